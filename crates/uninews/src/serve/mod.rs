//! `uninews serve DIR`: replay a crawl folder on 127.0.0.1, so a mirrored archive can be
//! browsed and crawled again offline.
//!
//! Every URL the crawl stored answers at its original path and query with the stored
//! bytes, the stored `Content-Type` (charset included) and its `ETag`/`Last-Modified`
//! (a matching `If-None-Match` gets 304). A page stored in several versions
//! (`crawl --refresh`) answers with the latest. A URL that redirected during the crawl
//! answers with a 301 to where it led. Files other than pages (images of a crawl with
//! `--images`) are served when the crawl state records them (a `done` row with a
//! `page_path` relative to `DIR/pages/` or `DIR/`). Anything else is 404. `/robots.txt`
//! answers with the stored one when the crawl stored it, else with one that replays the
//! crawl's decisions (the URLs it skipped for robots.txt are disallowed).
//!
//! Hosts: a request whose `Host` (or absolute request URI, when the replay is used as an
//! HTTP proxy) names one of the crawl's hosts sees that host's URLs only. Any other host,
//! such as the replay's own `127.0.0.1:PORT`, sees the paths of all hosts merged; where
//! two hosts stored the same path, the host with more stored URLs wins.
//!
//! The index is built from `DIR/crawl.sqlite` when the server starts (about 100 bytes of
//! memory per stored URL); bodies are read from disk per request.

mod archive;

pub use archive::{Archive, Found};

use crate::frontier::state::StateError;
use crate::server_task::ServerTask;
use crate::store::read_meta;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use url::Url;

/// Why a replay could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The folder holds no crawl.
    #[error("{path}: no crawl here (no crawl.sqlite)")]
    NoCrawl {
        /// The folder.
        path: PathBuf,
    },
    /// The crawl state could not be read.
    #[error(transparent)]
    State(#[from] StateError),
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for (0 = any).
        port: u16,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A running replay of a crawl folder. Dropping it stops it; [`ReplayServer::shutdown`]
/// stops it gracefully.
#[derive(Debug)]
pub struct ReplayServer {
    addr: SocketAddr,
    archive: Arc<Archive>,
    task: ServerTask,
}

impl ReplayServer {
    /// Index the crawl in `dir` and serve it on 127.0.0.1:`port` (0: any free port).
    /// Call from a tokio runtime.
    pub async fn start(dir: &Path, port: u16) -> Result<ReplayServer, ServeError> {
        let dir = dir.to_path_buf();
        let archive = tokio::task::spawn_blocking(move || Archive::open(&dir))
            .await
            .map_err(|e| ServeError::Bind {
                port,
                source: std::io::Error::other(e.to_string()),
            })??;
        let archive = Arc::new(archive);
        let bind = |source| ServeError::Bind { port, source };
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(archive.clone());
        let task = ServerTask::spawn("replay server", |stopped| {
            axum::serve(listener, app)
                .with_graceful_shutdown(stopped.wait())
                .into_future()
        });
        tracing::debug!("replaying {} URLs on {addr}", archive.len());
        Ok(ReplayServer {
            addr,
            archive,
            task,
        })
    }

    /// The socket address (127.0.0.1:port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> Url {
        Url::parse(&format!("http://{}/", self.addr))
            .expect("http://127.0.0.1:PORT/ is a valid URL")
    }

    /// The archive being served.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    /// Stop accepting, let in-flight responses finish (at most 2 s), then stop.
    pub async fn shutdown(self) {
        self.task.shutdown().await;
    }
}

fn plain(status: StatusCode, text: &str) -> Response {
    let mut r = Response::new(Body::from(text.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

async fn handle(State(archive): State<Arc<Archive>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "GET or HEAD only\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let authority = req
        .uri()
        .authority()
        .map(|a| a.as_str().to_string())
        .or_else(|| {
            req.headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_string)
        });
    let pq = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let found = archive.lookup(authority.as_deref(), &pq);
    tracing::debug!("{} {pq}: {found:?}", req.method());
    match found {
        Found::File(path) => {
            let if_none_match = req
                .headers()
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            serve_file(&path, if_none_match.as_deref()).await
        }
        Found::Redirect(location) => {
            let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Found::NotFound if req.uri().path() == "/robots.txt" => {
            plain(StatusCode::OK, &archive.robots_txt(authority.as_deref()))
        }
        Found::NotFound => plain(StatusCode::NOT_FOUND, "not in this archive\n"),
    }
}

/// Answer with a stored file, its stored content type and validators.
async fn serve_file(path: &Path, if_none_match: Option<&str>) -> Response {
    let meta_path = path.to_path_buf();
    let meta = tokio::task::spawn_blocking(move || read_meta(&meta_path))
        .await
        .ok()
        .and_then(|m| match m {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!("{e}");
                None
            }
        });
    let header_of = |name: &str| meta.as_ref().and_then(|m| m.headers.get(name)).cloned();
    let etag = header_of("etag");
    let content_type = meta
        .as_ref()
        .and_then(|m| m.content_type.clone())
        .unwrap_or_else(|| guess_type(path).to_string());
    let mut r = if etag.is_some() && etag.as_deref() == if_none_match {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        match tokio::fs::read(path).await {
            Ok(bytes) => Response::new(Body::from(bytes)),
            Err(e) => {
                tracing::warn!("{}: {e}", path.display());
                return plain(StatusCode::NOT_FOUND, "stored file unreadable\n");
            }
        }
    };
    let headers = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    for (name, value) in [
        (header::ETAG, etag),
        (header::LAST_MODIFIED, header_of("last-modified")),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, v);
        }
    }
    r
}

/// A content type from a file's extension, for stored files without metadata.
fn guess_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "css" => "text/css",
        "js" => "text/javascript",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
