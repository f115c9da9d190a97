//! Storage on disk: raw pages, content-addressed images and attachments, records,
//! fixtures. Every write is atomic (a temp file in the target folder, then a rename) or
//! append-safe, so a crash never leaves a half file that a reader would trust.

pub mod assets;
pub mod atomic;
pub mod meta;
pub mod pages;
pub mod records;
pub mod warc;

pub use assets::{AssetStore, StoredFile};
pub use atomic::{StoreError, write_atomic};
pub use meta::{PageMeta, meta_path, read_meta, write_meta};
pub use pages::{PageStore, content_hash};
pub use records::{RecordLog, read_records};
