//! A scripted HTTP server on 127.0.0.1 for the fetch tests: every request is logged with
//! its server-side arrival time, then answered by the test's closure.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use uninews::fetch::{FetchConfig, Fetcher};

/// Slack for server-observed gaps between request starts: the limiter admits a request,
/// then the client connects/sends and the server task wakes, with scheduling noise on a
/// shared machine in between.
pub const GAP_TOLERANCE: Duration = Duration::from_millis(15);

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The `Host` header's host name (`127.0.0.1` or `localhost`).
    pub host: String,
    /// Path and query.
    pub path: String,
    /// Arrival (monotonic).
    pub at: Instant,
    /// Arrival (wall clock).
    pub wall: SystemTime,
    /// Request headers.
    pub headers: HeaderMap,
    /// How many requests for this path arrived before this one.
    pub nth: usize,
}

/// What to answer.
pub struct Reply {
    pub delay: Duration,
    pub response: Response,
}

impl<R: IntoResponse> From<R> for Reply {
    fn from(r: R) -> Self {
        Reply {
            delay: Duration::ZERO,
            response: r.into_response(),
        }
    }
}

type Handler = dyn Fn(&Hit) -> Reply + Send + Sync;

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Server {
    /// Start a server answering with `handler`.
    pub async fn start(handler: impl Fn(&Hit) -> Reply + Send + Sync + 'static) -> Server {
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let counts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let log = hits.clone();
        let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
            let (log, counts, handler) = (log.clone(), counts.clone(), handler.clone());
            async move {
                let (at, wall) = (Instant::now(), SystemTime::now());
                let path = req
                    .uri()
                    .path_and_query()
                    .map_or("/".to_string(), |p| p.to_string());
                let host = req
                    .headers()
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .and_then(|h| h.rsplit_once(':').map(|(n, _)| n.to_string()))
                    .unwrap_or_default();
                let nth = {
                    let mut c = counts.lock().expect("counts");
                    let n = c.entry(format!("{host}{path}")).or_insert(0);
                    *n += 1;
                    *n - 1
                };
                let hit = Hit {
                    host,
                    path,
                    at,
                    wall,
                    headers: req.headers().clone(),
                    nth,
                };
                log.lock().expect("log").push(hit.clone());
                let reply = handler(&hit);
                if !reply.delay.is_zero() {
                    tokio::time::sleep(reply.delay).await;
                }
                reply.response
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server { addr, hits }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> url::Url {
        url::Url::parse(&format!("http://127.0.0.1:{}{path}", self.addr.port())).expect("url")
    }

    /// `http://localhost:PORT{path}`: the same server under another host name.
    pub fn url_at(&self, host: &str, path: &str) -> url::Url {
        url::Url::parse(&format!("http://{host}:{}{path}", self.addr.port())).expect("url")
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().expect("log").clone()
    }

    /// Requests for `path` so far.
    pub fn hits_for(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }
}

/// Gaps between consecutive arrivals (sorted by time) of `hits`.
pub fn gaps(hits: &[Hit]) -> Vec<Duration> {
    let mut at: Vec<Instant> = hits.iter().map(|h| h.at).collect();
    at.sort();
    at.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Assert every gap between arrivals of `hits` is at least `interval - GAP_TOLERANCE`.
pub fn assert_spaced(hits: &[Hit], interval: Duration, what: &str) {
    for (i, g) in gaps(hits).iter().enumerate() {
        assert!(
            *g + GAP_TOLERANCE >= interval,
            "{what}: gap {i} was {g:?}, below {interval:?} - {GAP_TOLERANCE:?}; arrivals: {:?}",
            hits.iter().map(|h| (&h.path, h.at)).collect::<Vec<_>>()
        );
    }
}

/// An HTML 200.
pub fn html(body: &str) -> Reply {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body.to_string(),
    )
        .into()
}

/// A bare status.
pub fn status(code: u16) -> Reply {
    StatusCode::from_u16(code).expect("status").into()
}

/// A redirect to `location`.
pub fn redirect(code: u16, location: &str) -> Reply {
    let mut r = status(code);
    r.response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(location).expect("location"),
    );
    r
}

/// A robots.txt body.
pub fn robots(text: &str) -> Reply {
    ([(header::CONTENT_TYPE, "text/plain")], text.to_string()).into()
}

/// A body sent in chunks without Content-Length.
pub fn chunked(content_type: &'static str, chunks: Vec<Vec<u8>>) -> Reply {
    let stream = futures_util::stream::iter(
        chunks
            .into_iter()
            .map(|c| Ok::<_, std::io::Error>(Bytes::from(c))),
    );
    (
        [(header::CONTENT_TYPE, content_type)],
        Body::from_stream(stream),
    )
        .into()
}

/// A fetcher for tests: fast rates and short backoffs.
pub fn fetcher(tweak: impl FnOnce(&mut FetchConfig)) -> Fetcher {
    let mut c = FetchConfig {
        rate: Some(50.0),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_attempts: 3,
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(10),
        ..FetchConfig::default()
    };
    tweak(&mut c);
    Fetcher::new(c).expect("fetcher")
}

/// Minimal gzip encoder (stored deflate blocks, no compression): enough to prove the
/// client decodes `Content-Encoding: gzip`.
pub fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let mut chunks = data.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
