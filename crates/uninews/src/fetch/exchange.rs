//! One HTTP exchange (one hop), its retries, and the capped body read.
//!
//! Every attempt takes, in this order: a slot of the host's concurrency cap, then (once
//! the host is ready: past any host-wide `Retry-After` pause and its rate limiter's next
//! cell) a slot of the global cap, then the limiter's cell; then the request starts. A
//! request waiting on politeness holds no global slot, so the global cap bounds requests
//! on the wire only; taking the cell while holding the global slot keeps the limiter's
//! spacing intact even when the global cap is the bottleneck.
//!
//! Body cap: the body is read chunk by chunk as received, then content-decoded (see
//! `content.rs`); going past `max_body_bytes` either as received or decoded ends the fetch
//! in [`FetchError::BodyTooLarge`] (a failure, not retried; nothing truncated is ever
//! handed on). A declared `Content-Length` above the cap fails before reading.
//!
//! With an exchange recorder, every response is handed to it (see `recorder.rs`); the
//! bodies of redirects, 304s and 4xx answers are then read too (capped), for the archive.

use super::client::Fetcher;
use super::content::{self, Coding, DecompressError, decoded_headers};
use super::host::{Host, Readiness};
use super::outcome::{Accept, Request};
use super::recorder::{BodyEnd, Wire};
use super::{FetchError, retry};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, ACCEPT_ENCODING, CONTENT_TYPE, HeaderMap, HeaderValue, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, USER_AGENT,
};
use std::time::Duration;
use url::Url;

const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

/// The result of one successful exchange.
#[derive(Debug)]
pub(super) struct Hop {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body, for 2xx responses that were read.
    pub body: Option<Vec<u8>>,
    /// The declared Content-Type, when HTML was asked for and this is not HTML.
    pub not_html: Option<String>,
    /// The ID the exchange recorder gave this response's record.
    pub record_id: Option<String>,
}

/// A failed exchange.
#[derive(Debug)]
pub(super) struct HopError {
    pub error: FetchError,
    pub status: Option<u16>,
    pub retry_after: Option<Duration>,
}

impl From<FetchError> for HopError {
    fn from(error: FetchError) -> Self {
        HopError {
            error,
            status: None,
            retry_after: None,
        }
    }
}

/// An error and its sources, joined with `: `.
pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

fn classify(url: &Url, e: &reqwest::Error) -> FetchError {
    let message = chain(e);
    let url = url.clone();
    if e.is_timeout() {
        FetchError::Timeout { url, message }
    } else if e.is_connect() {
        FetchError::Connect { url, message }
    } else if e.is_body() || e.is_decode() {
        FetchError::Body { url, message }
    } else {
        FetchError::Transport { url, message }
    }
}

/// True for HTML content types (and for a missing or empty one).
pub(super) fn is_html(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.is_empty() || essence == "text/html" || essence == "application/xhtml+xml"
}

fn header_value(name: &str, value: &str) -> Option<HeaderValue> {
    match HeaderValue::from_str(value.trim()) {
        Ok(v) => Some(v),
        Err(_) => {
            tracing::warn!(
                header = name,
                value,
                "stored validator is not a valid header value; not sent"
            );
            None
        }
    }
}

impl Fetcher {
    /// One hop with retries: up to `max_attempts` exchanges, backing off between them.
    pub(super) async fn exchange(
        &self,
        url: &Url,
        req: &Request,
        cap: u64,
        attempts: &mut u32,
    ) -> Result<Hop, HopError> {
        let host = self.host(url);
        let config = &self.inner.config;
        let mut retry = 0u32;
        loop {
            *attempts += 1;
            let err = match self.attempt(&host, url, req, cap, retry > 0).await {
                Ok(hop) => return Ok(hop),
                Err(e) => e,
            };
            retry += 1;
            if !err.error.is_retryable() || retry >= config.max_attempts {
                return Err(err);
            }
            let mut wait = retry::backoff(config, retry);
            if let Some(after) = err.retry_after {
                host.pause_until(tokio::time::Instant::now() + after);
                wait = wait.max(after);
            }
            tracing::debug!(%url, error = %err.error, retry, ?wait, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        host: &Host,
        url: &Url,
        req: &Request,
        cap: u64,
        is_retry: bool,
    ) -> Result<Hop, HopError> {
        let _host_slot = host.slot().await;
        let _global_slot = self.start(host).await;
        host.stats.request(is_retry);

        let sent = self.request_headers(req);
        let started_at = jiff::Timestamp::now();
        let resp = self
            .inner
            .client
            .get(url.clone())
            .headers(sent.clone())
            .send()
            .await;
        host.answered();
        let mut resp = resp.map_err(|e| HopError::from(classify(url, &e)))?;
        let status = resp.status();
        let raw_headers = resp.headers().clone();
        let wire = Wire {
            started_at,
            url,
            sent: &sent,
            version: resp.version(),
            remote_ip: resp.remote_addr().map(|a| a.ip()),
            status,
            headers: &raw_headers,
        };
        let too_large = |status: StatusCode| HopError {
            error: FetchError::BodyTooLarge {
                url: url.clone(),
                limit: cap,
            },
            status: Some(status.as_u16()),
            retry_after: None,
        };
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            self.record(&wire, &[], BodyEnd::NotRead);
            return Err(HopError {
                error: FetchError::Status {
                    url: url.clone(),
                    status: status.as_u16(),
                },
                status: Some(status.as_u16()),
                retry_after: retry::retry_after(&raw_headers, &self.inner.config),
            });
        }
        let mut hop = Hop {
            status,
            headers: decoded_headers(raw_headers.clone()),
            body: None,
            not_html: None,
            record_id: None,
        };
        if !status.is_success() {
            // Redirects, 304 and 4xx: the body is read only for the archive.
            if self.inner.recorder.is_some() {
                let (raw, end) = self.read_body(host, url, &mut resp, cap).await;
                hop.record_id = self.record(&wire, &raw, end.body_end());
            }
            return Ok(hop);
        }
        if req.accept == Accept::Html {
            let ct = raw_headers
                .get(CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            if let Some(ct) = ct.filter(|ct| !is_html(ct)) {
                hop.record_id = self.record(&wire, &[], BodyEnd::NotRead);
                hop.not_html = Some(ct);
                return Ok(hop);
            }
        }
        if resp.content_length().is_some_and(|n| n > cap) && !req.truncate_body {
            self.record(&wire, &[], BodyEnd::NotRead);
            return Err(too_large(status));
        }
        let (raw, end) = self.read_body(host, url, &mut resp, cap).await;
        hop.record_id = self.record(&wire, &raw, end.body_end());
        match end {
            ReadEnd::Complete => {}
            ReadEnd::TooLarge if req.truncate_body => {}
            ReadEnd::TooLarge => return Err(too_large(status)),
            ReadEnd::Failed(error) => {
                return Err(HopError {
                    error,
                    status: Some(status.as_u16()),
                    retry_after: None,
                });
            }
        }
        let coding = Coding::of(&raw_headers);
        match content::decompress(raw, coding, cap) {
            Ok(body) => hop.body = Some(body),
            Err(DecompressError::TooLarge) => return Err(too_large(status)),
            Err(DecompressError::Corrupt(message)) => {
                return Err(HopError {
                    error: FetchError::Body {
                        url: url.clone(),
                        message: format!("cannot decode the {coding:?} content: {message}"),
                    },
                    status: Some(status.as_u16()),
                    retry_after: None,
                });
            }
        }
        Ok(hop)
    }

    /// Wait until `host` admits a request, then take a global slot and the host's cell.
    /// The wait for the host holds no global slot.
    async fn start(&self, host: &Host) -> Option<tokio::sync::SemaphorePermit<'_>> {
        loop {
            if let Readiness::Wait(at) | Readiness::Paused(at) = host.ready_at() {
                tokio::time::sleep_until(at).await;
            }
            let permit = self.inner.global.acquire().await.ok();
            match host.try_start() {
                Ok(()) => return permit,
                Err(at) => {
                    drop(permit);
                    tokio::time::sleep_until(at).await;
                }
            }
        }
    }

    /// The request headers the fetcher sets (the client adds only `Host`).
    fn request_headers(&self, req: &Request) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(ua) = HeaderValue::from_str(&self.inner.config.user_agent) {
            h.insert(USER_AGENT, ua);
        }
        let accept = match req.accept {
            Accept::Html => ACCEPT_HTML,
            Accept::Any => "*/*",
        };
        h.insert(ACCEPT, HeaderValue::from_static(accept));
        h.insert(
            ACCEPT_ENCODING,
            HeaderValue::from_static(content::ACCEPT_ENCODING),
        );
        if let Some(v) = req
            .if_none_match
            .as_deref()
            .and_then(|v| header_value("If-None-Match", v))
        {
            h.insert(IF_NONE_MATCH, v);
        }
        if let Some(v) = req
            .if_modified_since
            .as_deref()
            .and_then(|v| header_value("If-Modified-Since", v))
        {
            h.insert(IF_MODIFIED_SINCE, v);
        }
        h
    }

    /// Read the body as received (content-coding intact), at most `cap` bytes.
    async fn read_body(
        &self,
        host: &Host,
        url: &Url,
        resp: &mut reqwest::Response,
        cap: u64,
    ) -> (Vec<u8>, ReadEnd) {
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    host.stats.bytes(chunk.len() as u64);
                    if (body.len() + chunk.len()) as u64 > cap {
                        let room = (cap as usize).saturating_sub(body.len()).min(chunk.len());
                        body.extend_from_slice(&chunk[..room]);
                        return (body, ReadEnd::TooLarge);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return (body, ReadEnd::Complete),
                Err(e) => return (body, ReadEnd::Failed(classify(url, &e))),
            }
        }
    }
}

/// How a body read ended.
#[derive(Debug)]
enum ReadEnd {
    Complete,
    TooLarge,
    Failed(FetchError),
}

impl ReadEnd {
    fn body_end(&self) -> BodyEnd {
        match self {
            ReadEnd::Complete => BodyEnd::Complete,
            ReadEnd::TooLarge => BodyEnd::NotRead,
            ReadEnd::Failed(_) => BodyEnd::Broken,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_html;

    #[test]
    fn html_content_types() {
        assert!(is_html("text/html"));
        assert!(is_html("text/html; charset=gbk"));
        assert!(is_html("TEXT/HTML;charset=UTF-8"));
        assert!(is_html("application/xhtml+xml"));
        assert!(is_html(""));
        assert!(!is_html("application/pdf"));
        assert!(!is_html("image/jpeg"));
        assert!(!is_html("text/plain"));
    }
}
