//! The request handler: log the request, let the faults decide, render the page, answer
//! conditional requests with 304, and shape the response (delays, slow or broken bodies,
//! redirects, GBK re-encoding).

use super::conn::ConnHandle;
use super::faults::{Decision, Fault, Faults, RetryAfter};
use super::log::{RequestLog, RequestRecord};
use super::render::SamplePage;
use super::site::SampleSite;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use jiff::Timestamp;
use jiff::fmt::rfc2822::{DateTimeParser, DateTimePrinter};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// State shared by the server handle and the handler.
#[derive(Debug)]
pub(crate) struct Shared {
    pub site: RwLock<SampleSite>,
    pub faults: Mutex<Faults>,
    pub log: Mutex<RequestLog>,
    pub started: Instant,
    pub port: u16,
    /// Send `ETag`/`Last-Modified` and honour conditional requests.
    pub validators: bool,
}

/// Lock a mutex, ignoring poisoning (a panicked test thread must not wedge the server).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn read(site: &RwLock<SampleSite>) -> std::sync::RwLockReadGuard<'_, SampleSite> {
    site.read().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn write(site: &RwLock<SampleSite>) -> std::sync::RwLockWriteGuard<'_, SampleSite> {
    site.write().unwrap_or_else(|e| e.into_inner())
}

/// An RFC 9110 HTTP-date.
pub(crate) fn http_date(t: Timestamp) -> String {
    DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&t)
        .unwrap_or_default()
}

/// The outcome besides the response itself.
struct Served {
    response: Response,
    status: Option<u16>,
}

pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    req: Request,
) -> Response {
    let at = shared.started.elapsed();
    let pq = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let headers = req.headers();
    let get = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut rec = RequestRecord {
        at,
        method: req.method().to_string(),
        path: pq.clone(),
        host: get(header::HOST),
        user_agent: get(header::USER_AGENT),
        if_none_match: get(header::IF_NONE_MATCH),
        if_modified_since: get(header::IF_MODIFIED_SINCE),
        status: None,
        faults: Vec::new(),
    };
    let internal = pq.starts_with("/__hop?") || pq.starts_with("/__loop?");
    let decision = if internal {
        Decision::default()
    } else {
        lock(&shared.faults).decide(&pq)
    };
    let out = respond(&shared, &conn, req.method(), &pq, headers, &decision);
    rec.status = out.status;
    rec.faults = decision.names.clone();
    lock(&shared.log).push(rec);
    if let Some(d) = decision.delay {
        tokio::time::sleep(d).await;
    }
    out.response
}

fn simple(status: StatusCode, body: &str) -> Served {
    let html = format!(
        "<html><head><title>{status}</title></head><body><h1>{status}</h1><p>{body}</p></body></html>\n"
    );
    let mut response = Response::new(Body::from(html));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Served {
        response,
        status: Some(status.as_u16()),
    }
}

fn redirect(location: &str) -> Served {
    let mut out = simple(StatusCode::FOUND, "moved");
    if let Ok(v) = HeaderValue::from_str(location) {
        out.response.headers_mut().insert(header::LOCATION, v);
    }
    out
}

fn query_pairs(pq: &str) -> Vec<(String, String)> {
    let q = pq.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(q.as_bytes())
        .into_owned()
        .collect()
}

fn hop_url(n: u32, to: &str) -> String {
    let q = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("n", &n.to_string())
        .append_pair("to", to)
        .finish();
    format!("/__hop?{q}")
}

fn respond(
    shared: &Shared,
    conn: &ConnHandle,
    method: &Method,
    pq: &str,
    headers: &HeaderMap,
    d: &Decision,
) -> Served {
    if method != Method::GET && method != Method::HEAD {
        let mut out = simple(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        out.response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return out;
    }
    let pairs = query_pairs(pq);
    let param = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if pq.starts_with("/__hop?") {
        let n: u32 = param("n").and_then(|n| n.parse().ok()).unwrap_or(1);
        let to = param("to").unwrap_or_else(|| "/".into());
        return if n <= 1 {
            redirect(&to)
        } else {
            redirect(&hop_url(n - 1, &to))
        };
    }
    if pq.starts_with("/__loop?") {
        return redirect(&param("to").unwrap_or_else(|| "/".into()));
    }
    match &d.terminal {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return simple(status, "injected fault");
        }
        Some(Fault::TooManyRequests(ra)) => {
            let mut out = simple(StatusCode::TOO_MANY_REQUESTS, "slow down");
            let value = match ra {
                RetryAfter::Seconds(s) => s.to_string(),
                RetryAfter::HttpDate(s) => http_date(
                    Timestamp::now()
                        .checked_add(jiff::SignedDuration::from_secs(i64::from(*s)))
                        .unwrap_or_else(|_| Timestamp::now()),
                ),
            };
            if let Ok(v) = HeaderValue::from_str(&value) {
                out.response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return out;
        }
        Some(Fault::CloseWithoutResponse) => {
            conn.kill();
            return Served {
                status: None,
                ..simple(StatusCode::INTERNAL_SERVER_ERROR, "never sent")
            };
        }
        Some(Fault::RedirectChain { hops, to }) => {
            let to = to.clone().unwrap_or_else(|| pq.to_string());
            return if *hops <= 1 {
                redirect(&to)
            } else {
                redirect(&hop_url(hops - 1, &to))
            };
        }
        Some(Fault::RedirectLoop) => {
            let q = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("to", pq)
                .finish();
            return redirect(&format!("/__loop?{q}"));
        }
        Some(Fault::OffsiteRedirect { host }) => {
            return redirect(&format!("http://{host}:{}{pq}", shared.port));
        }
        _ => {}
    }
    let Some(mut page) = read(&shared.site).render(pq) else {
        return simple(StatusCode::NOT_FOUND, "no such page on the sample site");
    };
    if let Some(g) = &d.gbk {
        to_gbk(&mut page, *g == Fault::GbkMislabelled);
    }
    let etag = page.etag();
    let last_modified = http_date(page.last_modified);
    if shared.validators && not_modified(headers, &etag, page.last_modified) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        set(&mut response, header::ETAG, &etag);
        set(&mut response, header::LAST_MODIFIED, &last_modified);
        return Served {
            response,
            status: Some(304),
        };
    }
    let len = page.body.len();
    let body = match (d.reset_after, d.slow) {
        (Some(after), _) => broken_body(page.body, after),
        (None, Some((chunk, interval))) => slow_body(page.body, chunk, interval),
        (None, None) => Body::from(page.body),
    };
    let mut response = Response::new(body);
    set(&mut response, header::CONTENT_TYPE, &page.content_type);
    if shared.validators {
        set(&mut response, header::ETAG, &etag);
        set(&mut response, header::LAST_MODIFIED, &last_modified);
    }
    set(&mut response, header::CONTENT_LENGTH, &len.to_string());
    set(&mut response, header::SERVER, "uninews-sample");
    Served {
        response,
        status: Some(200),
    }
}

fn set(r: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().insert(name, v);
    }
}

/// RFC 9110 §13.2.2: `If-None-Match` decides when present, else `If-Modified-Since`.
fn not_modified(headers: &HeaderMap, etag: &str, last_modified: Timestamp) -> bool {
    let weak = |t: &str| t.trim().trim_start_matches("W/").to_string();
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return inm
            .split(',')
            .any(|t| t.trim() == "*" || weak(t) == weak(etag));
    }
    let Some(ims) = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    match DateTimeParser::new().parse_timestamp(ims.trim()) {
        Ok(since) => last_modified.as_second() <= since.as_second(),
        Err(_) => false,
    }
}

/// Re-encode an HTML page as GBK, declared as GBK (or, mislabelled, as UTF-8).
fn to_gbk(page: &mut SamplePage, mislabelled: bool) {
    if !page.content_type.starts_with("text/html") {
        return;
    }
    let text = if page.is_gbk() {
        encoding_rs::GBK.decode(&page.body).0.into_owned()
    } else {
        String::from_utf8_lossy(&page.body).into_owned()
    };
    let text = if mislabelled {
        text.replacen("charset=GBK", "charset=UTF-8", 1).replacen(
            "charset=\"gbk\"",
            "charset=\"utf-8\"",
            1,
        )
    } else {
        text.replacen("charset=UTF-8", "charset=GBK", 1).replacen(
            "charset=\"utf-8\"",
            "charset=\"gbk\"",
            1,
        )
    };
    page.body = encoding_rs::GBK.encode(&text).0.into_owned();
    page.content_type = if mislabelled {
        "text/html; charset=utf-8"
    } else {
        "text/html; charset=GBK"
    }
    .to_string();
}

/// The first `after` bytes, a pause so they reach the client, then a body error: hyper
/// aborts the response and closes the connection short of its `Content-Length`.
fn broken_body(body: Vec<u8>, after: usize) -> Body {
    let cut = after.min(body.len().saturating_sub(1));
    let head = Bytes::from(body).slice(..cut);
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let head = head.clone();
        async move {
            match step {
                0 => Some((Ok(head), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Some((
                        Err(std::io::Error::other(
                            "sample server: injected mid-body reset",
                        )),
                        2,
                    ))
                }
                _ => None,
            }
        }
    });
    Body::from_stream(stream)
}

/// The body in `chunk`-byte pieces, `interval` apart.
fn slow_body(body: Vec<u8>, chunk: usize, interval: Duration) -> Body {
    let bytes = Bytes::from(body);
    let stream = futures_util::stream::unfold(0usize, move |pos| {
        let bytes = bytes.clone();
        async move {
            if pos >= bytes.len() {
                return None;
            }
            if pos > 0 {
                tokio::time::sleep(interval).await;
            }
            let end = (pos + chunk).min(bytes.len());
            Some((Ok::<Bytes, std::io::Error>(bytes.slice(pos..end)), end))
        }
    });
    Body::from_stream(stream)
}
