//! A static file server for an offline site mirror (a folder of saved pages), on
//! 127.0.0.1, for the mirror crawl tests. It serves the folder as it is, read in place:
//!
//! - the URL path is percent-decoded and mapped to the file of that relative path; `.`
//!   and `..` segments are refused (404), empty segments (`/a//b`) are skipped;
//! - a path ending in `/` (or naming a folder) serves that folder's `index.html`, else
//!   its `index.htm`;
//! - a query string is part of the file name, as wget saves such pages (`list.jsp?a=1`
//!   is the file `list.jsp?a=1`); when no such file exists the answer is 404;
//! - `.htm` and `.html` are served only as they exist: no fallback from one to the other;
//! - the content type follows the extension; HTML goes out as plain `text/html`, without
//!   a charset, so the crawler decodes a page exactly as `extract` does a file (BOM,
//!   `<meta charset>`, detection);
//! - anything else is 404 (including `/robots.txt`, which the mirrors do not hold).
//!
//! Every request is counted per decoded path (plus `?query`).

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A running mirror server.
pub struct MirrorServer {
    /// Where it listens.
    pub addr: SocketAddr,
    root: PathBuf,
    counts: Arc<Mutex<BTreeMap<String, usize>>>,
}

#[derive(Clone)]
struct Shared {
    root: Arc<PathBuf>,
    counts: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl MirrorServer {
    /// Serve `root` on an ephemeral port of 127.0.0.1 (until the runtime ends).
    pub async fn start(root: &Path) -> MirrorServer {
        let counts: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
        let shared = Shared {
            root: Arc::new(root.to_path_buf()),
            counts: counts.clone(),
        };
        let app = axum::Router::new()
            .route("/", axum::routing::get(serve_root))
            .route("/{*path}", axum::routing::get(serve_path))
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        MirrorServer {
            addr,
            root: root.to_path_buf(),
            counts,
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> url::Url {
        url::Url::parse(&format!("{}{path}", self.origin())).expect("mirror URL")
    }

    /// Requests so far, per decoded path (plus `?query`).
    pub fn requests(&self) -> BTreeMap<String, usize> {
        self.counts.lock().expect("request counts").clone()
    }

    /// The file the server answers `path` (decoded) and `query` with, if any.
    pub fn file_for(&self, path: &str, query: Option<&str>) -> Option<PathBuf> {
        file_for(&self.root, path, query)
    }
}

async fn serve_root(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    answer(&s, "/", q.as_deref())
}

async fn serve_path(
    State(s): State<Shared>,
    UrlPath(path): UrlPath<String>,
    RawQuery(q): RawQuery,
) -> Response {
    answer(&s, &format!("/{path}"), q.as_deref())
}

fn answer(s: &Shared, path: &str, query: Option<&str>) -> Response {
    let key = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    *s.counts
        .lock()
        .expect("request counts")
        .entry(key)
        .or_default() += 1;
    let Some(file) = file_for(&s.root, path, query) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match std::fs::read(&file) {
        Ok(body) => ([(header::CONTENT_TYPE, content_type(&file))], body).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The file of `root` that the decoded URL `path` (+ `query`) names, if it exists.
pub fn file_for(root: &Path, path: &str, query: Option<&str>) -> Option<PathBuf> {
    let mut file = root.to_path_buf();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let mut parts = Path::new(seg).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(_)), None) => file.push(seg),
            _ => return None,
        }
    }
    if file.is_dir() {
        if query.is_some() {
            return None;
        }
        return ["index.html", "index.htm"]
            .iter()
            .map(|i| file.join(i))
            .find(|f| f.is_file());
    }
    if let Some(q) = query {
        let name = format!("{}?{q}", file.file_name()?.to_str()?);
        file.set_file_name(name);
    }
    file.is_file().then_some(file)
}

/// The content type of a mirror file, by extension.
pub fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "htm" | "html" => "text/html",
        "css" => "text/css",
        "js" => "text/javascript",
        "txt" => "text/plain",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "zip" => "application/zip",
        "rar" => "application/vnd.rar",
        _ => "application/octet-stream",
    }
}
