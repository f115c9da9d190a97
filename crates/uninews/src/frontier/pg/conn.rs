//! The connection thread: one blocking PostgreSQL client on a thread of its own.
//!
//! The `postgres` client drives tokio-postgres on a small runtime of its own, which must
//! not run inside another runtime; the frontier's methods are called from the crawl's
//! runtime threads. So each connection lives on its own OS thread, and a call sends it a
//! job and waits for the answer (one channel round trip, a few microseconds, against a
//! server round trip of tens). Statements are prepared once per connection and cached.

use crate::frontier::state::StateError;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::mpsc;

/// The parameters of a statement.
pub(super) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A connection's side of a job: the client, its statement cache, whether a batch
/// transaction is open.
pub(super) struct Session {
    client: Client,
    cache: HashMap<&'static str, Statement>,
    batching: bool,
}

impl Session {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(st) = self.cache.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql)?;
        self.cache.insert(sql, st.clone());
        Ok(st)
    }

    /// Run a (cached) statement; its rows.
    pub fn query(
        &mut self,
        sql: &'static str,
        params: Params,
    ) -> Result<Vec<Row>, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.query(&st, params)
    }

    /// Run a (cached) statement; how many rows it changed.
    pub fn execute(&mut self, sql: &'static str, params: Params) -> Result<u64, postgres::Error> {
        let st = self.statement(sql)?;
        self.client.execute(&st, params)
    }

    /// Run SQL text as it is (schema, transaction control).
    pub fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.client.batch_execute(sql)
    }

    /// Run `f` in a transaction of its own, or in the open batch.
    pub fn tx<R>(
        &mut self,
        f: impl FnOnce(&mut Session) -> Result<R, postgres::Error>,
    ) -> Result<R, postgres::Error> {
        if self.batching {
            return f(self);
        }
        self.client.batch_execute("BEGIN")?;
        match f(self) {
            Ok(r) => {
                self.client.batch_execute("COMMIT")?;
                Ok(r)
            }
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Open a batch (`open`), or end the open one: commit or roll back.
    pub fn set_batch(&mut self, open: bool, commit: bool) -> Result<(), postgres::Error> {
        if open {
            self.client.batch_execute("BEGIN")?;
            self.batching = true;
            return Ok(());
        }
        self.batching = false;
        self.client
            .batch_execute(if commit { "COMMIT" } else { "ROLLBACK" })
    }
}

type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// A connection on its own thread (see the module doc). Dropping it closes the
/// connection.
#[derive(Debug)]
pub(super) struct Conn {
    jobs: Mutex<mpsc::Sender<Job>>,
    target: String,
}

impl Conn {
    /// Connect to `url` (a `postgres://` URL or key=value string); `target` names the
    /// server in errors.
    pub fn open(url: &str, target: &str) -> Result<Conn, StateError> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel();
        let url = url.to_string();
        std::thread::Builder::new()
            .name("uninews-pg".into())
            .spawn(move || {
                let client = match Client::connect(&url, NoTls) {
                    Ok(c) => {
                        let _ = ready_tx.send(Ok(()));
                        c
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let mut session = Session {
                    client,
                    cache: HashMap::new(),
                    batching: false,
                };
                while let Ok(job) = rx.recv() {
                    job(&mut session);
                }
            })
            .map_err(|e| StateError::Shared {
                target: target.to_string(),
                message: format!("cannot start the connection thread: {e}"),
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Conn {
                jobs: Mutex::new(jobs),
                target: target.to_string(),
            }),
            Ok(Err(error)) => Err(StateError::Postgres {
                target: target.to_string(),
                error,
            }),
            Err(_) => Err(gone(target)),
        }
    }

    /// Run `f` on the connection's thread and wait for its answer.
    pub fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<R, postgres::Error> + Send + 'static,
    ) -> Result<R, StateError> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |s| {
            let _ = tx.send(f(s));
        });
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(job)
            .map_err(|_| gone(&self.target))?;
        match rx.recv() {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(error)) => Err(StateError::Postgres {
                target: self.target.clone(),
                error,
            }),
            Err(_) => Err(gone(&self.target)),
        }
    }
}

fn gone(target: &str) -> StateError {
    StateError::Shared {
        target: target.to_string(),
        message: "the connection thread is gone (it panicked)".to_string(),
    }
}
