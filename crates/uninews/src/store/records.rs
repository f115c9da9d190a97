//! The crawl's records: `DIR/articles.jsonl`, one schema-v1 record per line, append-only.
//!
//! Append-safety: each record is one `write` of a whole line. The crawl state (SQLite)
//! stores the file length after every committed record; on resume the file is cut back to
//! that length, which drops a torn last line and any record whose page was not yet marked
//! done (that page is fetched again and its record appended once).

use super::StoreError;
use crate::record::Record;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// An open `articles.jsonl`, positioned at its end.
#[derive(Debug)]
pub struct RecordLog {
    path: PathBuf,
    file: File,
    len: u64,
}

impl RecordLog {
    /// Open (or create) the log. With `committed`, cut the file back to that length (what the
    /// crawl state last confirmed); without, cut any torn tail after the last newline.
    pub fn open(path: &Path, committed: Option<u64>) -> Result<RecordLog, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(StoreError::io(dir))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(StoreError::io(path))?;
        let actual = file.metadata().map_err(StoreError::io(path))?.len();
        let keep = match committed {
            Some(c) => c.min(actual),
            None => last_newline_end(path)?,
        };
        if keep < actual {
            tracing::info!(
                "{}: dropping {} uncommitted bytes at the end",
                path.display(),
                actual - keep
            );
            file.set_len(keep).map_err(StoreError::io(path))?;
        }
        Ok(RecordLog {
            path: path.to_path_buf(),
            file,
            len: keep,
        })
    }

    /// Append one record as one line; returns the new file length (to commit).
    pub fn append(&mut self, record: &Record) -> Result<u64, StoreError> {
        let mut line = serde_json::to_vec(record).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .map_err(StoreError::io(&self.path))?;
        self.len += line.len() as u64;
        Ok(self.len)
    }

    /// Current length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when no record has been written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Length of the file up to and including its last newline.
fn last_newline_end(path: &Path) -> Result<u64, StoreError> {
    let file = File::open(path).map_err(StoreError::io(path))?;
    let mut reader = BufReader::new(file);
    let (mut end, mut pos) = (0u64, 0u64);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(StoreError::io(path))?;
        if n == 0 {
            return Ok(end);
        }
        pos += n as u64;
        if buf.last() == Some(&b'\n') {
            end = pos;
        }
    }
}

/// Read every record of a log (streaming); a line that does not parse is an error naming
/// the file and line number.
pub fn read_records(
    path: &Path,
) -> Result<impl Iterator<Item = Result<Record, StoreError>>, StoreError> {
    let file = File::open(path).map_err(StoreError::io(path))?;
    let path = path.to_path_buf();
    Ok(BufReader::new(file)
        .lines()
        .enumerate()
        .map(move |(i, line)| {
            let line = line.map_err(StoreError::io(&path))?;
            serde_json::from_str(&line).map_err(|e| StoreError::Corrupt {
                path: path.clone(),
                message: format!("line {}: {e}", i + 1),
            })
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(n: u32) -> Record {
        Record::empty(format!("http://x.edu.cn/{n}.htm"), "generic")
    }

    #[test]
    fn appends_lines_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        let mut log = RecordLog::open(&path, None).unwrap();
        log.append(&rec(1)).unwrap();
        let len = log.append(&rec(2)).unwrap();
        assert_eq!(len, std::fs::metadata(&path).unwrap().len());
        let urls: Vec<_> = read_records(&path)
            .unwrap()
            .map(|r| r.unwrap().url)
            .collect();
        assert_eq!(urls, ["http://x.edu.cn/1.htm", "http://x.edu.cn/2.htm"]);
    }

    #[test]
    fn torn_tail_is_dropped_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        let mut log = RecordLog::open(&path, None).unwrap();
        let good = log.append(&rec(1)).unwrap();
        drop(log);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"schema_version":1,"url":"http://x.ed"#)
            .unwrap();
        drop(f);
        let log = RecordLog::open(&path, None).unwrap();
        assert_eq!(log.len(), good);
        assert_eq!(read_records(&path).unwrap().count(), 1);
    }

    #[test]
    fn uncommitted_records_are_cut_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        let mut log = RecordLog::open(&path, None).unwrap();
        let committed = log.append(&rec(1)).unwrap();
        log.append(&rec(2)).unwrap();
        drop(log);
        let mut log = RecordLog::open(&path, Some(committed)).unwrap();
        log.append(&rec(3)).unwrap();
        let urls: Vec<_> = read_records(&path)
            .unwrap()
            .map(|r| r.unwrap().url)
            .collect();
        assert_eq!(urls, ["http://x.edu.cn/1.htm", "http://x.edu.cn/3.htm"]);
    }
}
