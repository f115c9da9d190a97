//! uninews: mirror university news websites and turn every article into clean,
//! structured JSON (schema v1, see `docs/schema/article.v1.json`).
//!
//! The modules follow the pipeline:
//!
//! | module | role | IO |
//! |---|---|---|
//! | [`fetch`] | HTTP client, per-host rate limits, robots.txt, retries | network |
//! | [`frontier`] | URL normalisation, discovery on list pages, the crawl queue and its SQLite state | disk (state only) |
//! | [`decode`] | bytes to text (BOM, declared charset, `<meta>`, detection) | none |
//! | [`extract`] | HTML in, [`record::Record`] out | none |
//! | [`selectors`] | site profiles (`selectors/*.toml`) and the built-in CMS rules | disk (loading) |
//! | [`store`] | raw pages, records, assets, WARC; atomic writes | disk |
//! | [`crawl`] | the one place that wires fetch, frontier, extract and store | all |
//! | [`fixtures`] | regression fixtures: on disk, captured from crawls, checked, checked live | disk, network |
//! | [`serve`] | `serve DIR`: replay a crawl folder on 127.0.0.1 | disk, network (loopback) |
//!
//! The library never prints and never exits: it returns values and typed errors, and logs
//! through `tracing`. Only the binary (the `uninews-cli` crate) talks to the terminal;
//! the sample site lives in the `uninews-sample` crate.

pub mod crawl;
pub mod decode;
pub mod extract;
pub mod fetch;
pub mod fixtures;
pub mod frontier;
pub mod record;
pub mod selectors;
pub mod serve;
pub mod server_task;
pub mod store;
pub mod text;

pub use record::Record;
