//! WARC files on disk: naming, rotation at a size limit, and crash safety.
//!
//! A file is written as `uninews-<start time>-<seq>.warc.gz.open` and renamed to
//! `….warc.gz` when it is closed (at the size limit, or at the end of the crawl), so
//! tools that pick up `*.warc.gz` never see a file being written. Each record is appended
//! as one whole gzip member with one `write`; a failed write is cut back off the file.
//! After a `kill -9`, [`WarcWriter::open`] repairs any leftover `.open` file: it is cut
//! back to the end of its last whole record (gzip member that decompresses to a complete
//! record) and renamed, or removed when nothing whole is left. Like the rest of the crawl
//! output, the files are not fsync'd: the guarantee is against process crashes.

use super::WarcError;
use super::read::scan;
use super::record::{WarcRecord, new_record_id, sha1_digest, warc_date};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Suffix of closed files.
pub const SUFFIX: &str = ".warc.gz";
/// Suffix of the file being written.
pub const OPEN_SUFFIX: &str = ".warc.gz.open";

/// The file being written.
#[derive(Debug)]
struct Current {
    open_path: PathBuf,
    final_path: PathBuf,
    file: File,
    len: u64,
}

/// Writes records into rotating WARC files. Not shared: the owner serialises calls.
#[derive(Debug)]
pub struct WarcWriter {
    dir: PathBuf,
    prefix: String,
    seq: u32,
    max_size: u64,
    info: Vec<(String, String)>,
    current: Option<Current>,
    closed: Vec<PathBuf>,
}

impl WarcWriter {
    /// A writer into `dir` (created), closing files at `max_size` bytes; every file starts
    /// with a `warcinfo` record holding `info` (after software, format and conformsTo).
    /// Leftover `.open` files of an earlier run are repaired first.
    pub fn open(
        dir: &Path,
        max_size: u64,
        info: Vec<(String, String)>,
    ) -> Result<WarcWriter, WarcError> {
        std::fs::create_dir_all(dir).map_err(WarcError::io(dir))?;
        repair_dir(dir)?;
        let now = jiff::Timestamp::now();
        Ok(WarcWriter {
            dir: dir.to_path_buf(),
            prefix: format!(
                "uninews-{}{:03}",
                now.strftime("%Y%m%d%H%M%S"),
                now.subsec_millisecond().max(0)
            ),
            seq: 0,
            max_size: max_size.max(1),
            info,
            current: None,
            closed: Vec::new(),
        })
    }

    /// Append whole records (each one gzip member), in order, to the current file; close
    /// it when it has reached the size limit. Returns the file's final path.
    pub fn append(&mut self, members: &[&[u8]]) -> Result<PathBuf, WarcError> {
        if self.current.is_none() {
            self.start_file()?;
        }
        let Some(cur) = self.current.as_mut() else {
            return Err(WarcError::Stopped("no WARC file open".into()));
        };
        let good = cur.len;
        for m in members {
            if let Err(e) = cur.file.write_all(m) {
                // Cut the torn member off so the file stays readable, then give up.
                let _ = cur.file.set_len(good);
                return Err(WarcError::io(&cur.open_path)(e));
            }
            cur.len += m.len() as u64;
        }
        let path = cur.final_path.clone();
        if cur.len >= self.max_size {
            self.close()?;
        }
        Ok(path)
    }

    /// Close the current file (rename it from `.open`), if one is open.
    pub fn close(&mut self) -> Result<(), WarcError> {
        let Some(cur) = self.current.take() else {
            return Ok(());
        };
        cur.file.sync_data().ok();
        drop(cur.file);
        std::fs::rename(&cur.open_path, &cur.final_path).map_err(WarcError::io(&cur.open_path))?;
        tracing::debug!(file = %cur.final_path.display(), bytes = cur.len, "WARC file closed");
        self.closed.push(cur.final_path);
        Ok(())
    }

    /// Files closed by this writer so far.
    pub fn closed(&self) -> &[PathBuf] {
        &self.closed
    }

    fn start_file(&mut self) -> Result<(), WarcError> {
        let (open_path, final_path, name) = loop {
            let name = format!("{}-{:05}{SUFFIX}", self.prefix, self.seq);
            self.seq += 1;
            let final_path = self.dir.join(&name);
            let open_path = self.dir.join(format!("{name}.open"));
            if !final_path.exists() && !open_path.exists() {
                break (open_path, final_path, name);
            }
        };
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&open_path)
            .map_err(WarcError::io(&open_path))?;
        let info = warcinfo(&name, &self.info)
            .to_gzip()
            .map_err(WarcError::io(&open_path))?;
        if let Err(e) = file.write_all(&info) {
            drop(file);
            let _ = std::fs::remove_file(&open_path);
            return Err(WarcError::io(&open_path)(e));
        }
        self.current = Some(Current {
            open_path,
            final_path,
            file,
            len: info.len() as u64,
        });
        Ok(())
    }
}

impl Drop for WarcWriter {
    fn drop(&mut self) {
        if let Err(e) = self.close() {
            tracing::error!(error = %e, "closing the WARC file failed");
        }
    }
}

/// The `warcinfo` record that starts every file.
fn warcinfo(filename: &str, extra: &[(String, String)]) -> WarcRecord {
    let mut block = format!(
        "software: uninews/{}\r\nformat: WARC File Format 1.1\r\n\
         conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
        env!("CARGO_PKG_VERSION")
    );
    for (k, v) in extra {
        block.push_str(&format!("{k}: {v}\r\n"));
    }
    let mut r = WarcRecord::new(
        "warcinfo",
        &new_record_id(),
        &warc_date(jiff::Timestamp::now()),
    )
    .field("WARC-Filename", filename)
    .field("WARC-Block-Digest", sha1_digest(block.as_bytes()))
    .field("Content-Type", "application/warc-fields");
    r.block = block.into_bytes();
    r
}

/// Repair every leftover `.open` file in `dir` (see the module doc). Returns the files
/// that were closed.
pub fn repair_dir(dir: &Path) -> Result<Vec<PathBuf>, WarcError> {
    let mut repaired = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(WarcError::io(dir))?;
    let mut open: Vec<PathBuf> = Vec::new();
    for e in entries {
        let e = e.map_err(WarcError::io(dir))?;
        if e.file_name().to_string_lossy().ends_with(OPEN_SUFFIX) {
            open.push(e.path());
        }
    }
    open.sort();
    for path in open {
        if let Some(p) = repair_file(&path)? {
            repaired.push(p);
        }
    }
    Ok(repaired)
}

/// Cut `path` (a `.open` file) back to its last whole record and rename it; remove it
/// when no whole record is left. Returns the closed file, if any.
pub fn repair_file(path: &Path) -> Result<Option<PathBuf>, WarcError> {
    let found = scan(path)?;
    let len = std::fs::metadata(path).map_err(WarcError::io(path))?.len();
    if found.good_len < len {
        tracing::warn!(
            file = %path.display(),
            kept = found.good_len,
            dropped = len - found.good_len,
            cause = found.torn.as_deref().unwrap_or(""),
            "WARC file left open by a crash: cutting off its torn last record"
        );
        let f = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(WarcError::io(path))?;
        f.set_len(found.good_len).map_err(WarcError::io(path))?;
    }
    // A file with nothing but its warcinfo record (or nothing) holds no exchange.
    if found.records.len() <= 1 {
        std::fs::remove_file(path).map_err(WarcError::io(path))?;
        return Ok(None);
    }
    let name = path.to_string_lossy();
    let target = PathBuf::from(name.trim_end_matches(".open").to_string());
    std::fs::rename(path, &target).map_err(WarcError::io(path))?;
    tracing::info!(file = %target.display(), records = found.records.len(), "repaired WARC file closed");
    Ok(Some(target))
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
