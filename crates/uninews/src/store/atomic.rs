//! Atomic file writes: the bytes go to a temp file beside the target, which is then renamed
//! over it. A reader (or a crawl resumed after `kill -9`) sees the old file or the new one,
//! never a mix. The data is not fsync'd: the guarantee is against process crashes, which
//! is what resumable crawls need; fsync per page would cap a crawl at disk-flush speed.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A storage failure, with the path it concerns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading or writing `path` failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A stored file does not parse.
    #[error("{path}: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

impl StoreError {
    /// Wrap an IO error with its path.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io { path, source }
    }
}

/// Write `bytes` to `path` atomically, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(StoreError::io(dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".uninews-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(StoreError::io(dir))?;
    tmp.write_all(bytes).map_err(StoreError::io(tmp.path()))?;
    tmp.persist(path)
        .map_err(|e| StoreError::io(path)(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/record.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["record.json"]);
    }

    #[test]
    fn error_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let err = write_atomic(&blocker.join("child.json"), b"x").unwrap_err();
        assert!(err.to_string().contains("file"), "{err}");
    }
}
