//! The exchange recorder hook: every HTTP exchange the [`Fetcher`] makes
//! that got a response (each attempt, each redirect hop, robots.txt fetches) is handed
//! to an optional [`ExchangeRecorder`], e.g. the WARC writer
//! ([`crate::store::warc::WarcArchiver`]).
//!
//! What the recorder sees is what went over the wire, as far as the HTTP client lets us
//! see it:
//! - the request: method, URL, HTTP version and every header the client sent (`Host` as
//!   the client derives it from the URL, `User-Agent`, `Accept`, `Accept-Encoding`,
//!   `If-None-Match`, `If-Modified-Since`);
//! - the response: status, the headers exactly as received (`Content-Encoding` and
//!   `Content-Length` included), and the body **as received**: content-coding (gzip, br,
//!   deflate) intact, transfer-coding (chunked) removed, since the fetcher decodes content
//!   itself after the recorder has seen the raw bytes (see `content.rs`);
//! - how the body ended ([`BodyEnd`]): whole, not read on purpose, or broken off.
//!
//! Exchanges that got no response at all (connection refused, timeout before the head)
//! are not recorded.

use super::client::Fetcher;
use reqwest::header::{HOST, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Version};
use std::net::IpAddr;
use url::Url;

/// A recorder's failure (the fetch goes on; the fetcher logs it).
pub type RecordError = Box<dyn std::error::Error + Send + Sync>;

/// How much of a response body was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEnd {
    /// The whole body (possibly empty).
    Complete,
    /// The fetcher chose not to read the body, or stopped at its size cap: a non-HTML
    /// response to an HTML-only request, a 429/5xx that will be retried, a body larger
    /// than `max_body_bytes`. `body` holds what was read (often nothing).
    NotRead,
    /// The body broke off (connection reset, read timeout); `body` holds what came.
    Broken,
}

/// One HTTP exchange, borrowed from the fetcher for the duration of the call.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// When the request was sent.
    pub started_at: jiff::Timestamp,
    /// The request method (`GET`).
    pub method: &'a str,
    /// The request URL.
    pub url: &'a Url,
    /// The HTTP version of the exchange (from the response).
    pub version: Version,
    /// Every request header sent, `host` first (names lower-case, as the client sends them).
    pub request_headers: &'a HeaderMap,
    /// The server's IP address, when the client knows it.
    pub remote_ip: Option<IpAddr>,
    /// The response status.
    pub status: StatusCode,
    /// The response headers as received.
    pub response_headers: &'a HeaderMap,
    /// The response body as received (content-coding intact, transfer-coding removed).
    pub body: &'a [u8],
    /// Whether `body` is all of it.
    pub body_end: BodyEnd,
}

/// Receives every exchange the fetcher makes. Called from the fetch task (on a blocking
/// section of the runtime), so implementations may do blocking IO; they must be cheap
/// enough not to stall the crawl and must serialise their own writes.
pub trait ExchangeRecorder: Send + Sync + std::fmt::Debug {
    /// Record one exchange. Returns the ID of the record that holds the response (for
    /// WARC: the `response` or `revisit` record's `WARC-Record-ID`), `None` when it was
    /// not recorded on purpose.
    fn record(&self, exchange: &Exchange<'_>) -> Result<Option<String>, RecordError>;
}

/// One exchange's head, as the fetcher saw it (the body comes separately).
#[derive(Debug)]
pub(super) struct Wire<'a> {
    pub started_at: jiff::Timestamp,
    pub url: &'a Url,
    /// The headers the fetcher set (without `Host`).
    pub sent: &'a HeaderMap,
    pub version: Version,
    pub remote_ip: Option<IpAddr>,
    pub status: StatusCode,
    pub headers: &'a HeaderMap,
}

impl Fetcher {
    /// Hand one exchange to the recorder, if there is one; returns its record ID. A
    /// recorder failure is logged (the recorder itself decides whether the crawl stops).
    pub(super) fn record(&self, wire: &Wire<'_>, body: &[u8], body_end: BodyEnd) -> Option<String> {
        let recorder = self.inner.recorder.as_ref()?;
        let request_headers = as_sent(wire.url, wire.sent);
        let exchange = Exchange {
            started_at: wire.started_at,
            method: "GET",
            url: wire.url,
            version: wire.version,
            request_headers: &request_headers,
            remote_ip: wire.remote_ip,
            status: wire.status,
            response_headers: wire.headers,
            body,
            body_end,
        };
        match blocking(|| recorder.record(&exchange)) {
            Ok(id) => id,
            Err(e) => {
                tracing::error!(url = %wire.url, error = %e, "could not archive the exchange");
                None
            }
        }
    }
}

/// The `Host` header the HTTP client sends for `url`: the host, plus the port when the
/// URL names a non-default one.
pub(crate) fn host_header(url: &Url) -> Option<HeaderValue> {
    let host = url.host_str()?;
    let value = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    HeaderValue::from_str(&value).ok()
}

/// The request headers as sent: `host` first, then the headers the fetcher set.
pub(crate) fn as_sent(url: &Url, headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(headers.len() + 1);
    if let Some(h) = host_header(url) {
        out.insert(HOST, h);
    }
    for (name, value) in headers {
        out.append(name.clone(), value.clone());
    }
    out
}

/// Run a recorder call: on a multi-threaded runtime through `block_in_place` (the call
/// may write files), elsewhere directly.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{ACCEPT, USER_AGENT};

    #[test]
    fn host_header_names_non_default_ports_only() {
        let h = |u: &str| host_header(&Url::parse(u).expect("url")).expect("host");
        assert_eq!(h("http://a.edu.cn/x"), "a.edu.cn");
        assert_eq!(h("http://a.edu.cn:80/x"), "a.edu.cn");
        assert_eq!(h("https://a.edu.cn:8443/x"), "a.edu.cn:8443");
        assert_eq!(h("http://127.0.0.1:41234/"), "127.0.0.1:41234");
    }

    #[test]
    fn sent_headers_start_with_host() {
        let mut m = HeaderMap::new();
        m.insert(USER_AGENT, HeaderValue::from_static("uninews/0"));
        m.insert(ACCEPT, HeaderValue::from_static("*/*"));
        let url = Url::parse("http://a.edu.cn:81/x").expect("url");
        let sent = as_sent(&url, &m);
        let names: Vec<&str> = sent.keys().map(|k| k.as_str()).collect();
        assert_eq!(names, ["host", "user-agent", "accept"]);
        assert_eq!(sent[HOST], "a.edu.cn:81");
    }
}
