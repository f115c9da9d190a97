//! The revisit index, `DIR/warc/index.sqlite`: for each URL, the last `response` record
//! archived with a whole 2xx payload (its record ID, payload digest and date). It lets a
//! later fetch of the same URL (this run or a later one) be written as a `revisit` record
//! when its payload digest is the same.
//!
//! An entry is written only after the record it names has been written to its file, so
//! after a crash the index never names a record that is not in a WARC file (a record whose
//! write completed is a whole gzip member, which the repair keeps). SQLite in WAL mode
//! makes each entry one small committed transaction.

use super::WarcError;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The index file's name inside the WARC folder.
pub const INDEX_FILE: &str = "index.sqlite";

/// What the index holds about one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `WARC-Record-ID` of the response record.
    pub record_id: String,
    /// Its `WARC-Payload-Digest`.
    pub digest: String,
    /// Its `WARC-Date`.
    pub date: String,
}

/// The open index.
#[derive(Debug)]
pub struct RevisitIndex {
    conn: Connection,
    path: PathBuf,
}

impl RevisitIndex {
    /// Open (or create) the index at `path`.
    pub fn open(path: &Path) -> Result<RevisitIndex, WarcError> {
        let err = |source| WarcError::Index {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(err)?;
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS payloads (
                uri TEXT PRIMARY KEY,
                record_id TEXT NOT NULL,
                digest TEXT NOT NULL,
                date TEXT NOT NULL
            )",
        )
        .map_err(err)?;
        Ok(RevisitIndex {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> WarcError + '_ {
        |source| WarcError::Index {
            path: self.path.clone(),
            source,
        }
    }

    /// The last whole response archived for `uri`.
    pub fn get(&self, uri: &str) -> Result<Option<Entry>, WarcError> {
        self.conn
            .prepare_cached("SELECT record_id, digest, date FROM payloads WHERE uri = ?1")
            .and_then(|mut st| {
                st.query_row([uri], |r| {
                    Ok(Entry {
                        record_id: r.get(0)?,
                        digest: r.get(1)?,
                        date: r.get(2)?,
                    })
                })
                .optional()
            })
            .map_err(self.err())
    }

    /// Remember `entry` as the last whole response for `uri`.
    pub fn put(&self, uri: &str, entry: &Entry) -> Result<(), WarcError> {
        self.conn
            .prepare_cached(
                "INSERT INTO payloads (uri, record_id, digest, date) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (uri) DO UPDATE SET record_id = excluded.record_id,
                    digest = excluded.digest, date = excluded.date",
            )
            .and_then(|mut st| st.execute(params![uri, entry.record_id, entry.digest, entry.date]))
            .map(|_| ())
            .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_reopening_and_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX_FILE);
        let e = |id: &str| Entry {
            record_id: id.into(),
            digest: format!("sha1:{id}"),
            date: "2025-01-01T00:00:00.000000Z".into(),
        };
        {
            let idx = RevisitIndex::open(&path).unwrap();
            assert_eq!(idx.get("http://a.edu/1").unwrap(), None);
            idx.put("http://a.edu/1", &e("A")).unwrap();
            idx.put("http://a.edu/1", &e("B")).unwrap();
            idx.put("http://a.edu/2", &e("C")).unwrap();
        }
        let idx = RevisitIndex::open(&path).unwrap();
        assert_eq!(idx.get("http://a.edu/1").unwrap(), Some(e("B")));
        assert_eq!(idx.get("http://a.edu/2").unwrap(), Some(e("C")));
        assert_eq!(idx.get("http://a.edu/3").unwrap(), None);
    }
}
