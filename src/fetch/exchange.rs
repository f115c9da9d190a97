//! One HTTP exchange (one hop), its retries, and the capped body read.
//!
//! Every attempt takes, in this order: a slot of the host's concurrency cap, a slot of
//! the global cap, the end of any host-wide `Retry-After` pause, and a cell of the host's
//! rate limiter; then the request starts. Taking the global slot before the rate limiter
//! keeps the limiter's spacing intact even when the global cap is the bottleneck.
//!
//! Body cap: the decoded (decompressed) body is read chunk by chunk; going past
//! `max_body_bytes` ends the fetch in [`FetchError::BodyTooLarge`] (a failure, not
//! retried; nothing truncated is ever handed on). A declared `Content-Length` above the
//! cap fails before reading.

use super::client::Fetcher;
use super::host::Host;
use super::outcome::{Accept, Request};
use super::{FetchError, retry};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH,
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
        let _global_slot = self.inner.global.acquire().await.ok();
        host.ready().await;
        host.stats.request(is_retry);

        let accept = match req.accept {
            Accept::Html => ACCEPT_HTML,
            Accept::Any => "*/*",
        };
        let mut rb = self.inner.client.get(url.clone()).header(ACCEPT, accept);
        if let Some(v) = req
            .if_none_match
            .as_deref()
            .and_then(|v| header_value("If-None-Match", v))
        {
            rb = rb.header(IF_NONE_MATCH, v);
        }
        if let Some(v) = req
            .if_modified_since
            .as_deref()
            .and_then(|v| header_value("If-Modified-Since", v))
        {
            rb = rb.header(IF_MODIFIED_SINCE, v);
        }
        let mut resp = rb
            .send()
            .await
            .map_err(|e| HopError::from(classify(url, &e)))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return Err(HopError {
                error: FetchError::Status {
                    url: url.clone(),
                    status: status.as_u16(),
                },
                status: Some(status.as_u16()),
                retry_after: retry::retry_after(&headers, &self.inner.config),
            });
        }
        let mut hop = Hop {
            status,
            headers,
            body: None,
            not_html: None,
        };
        if !status.is_success() {
            return Ok(hop);
        }
        if req.accept == Accept::Html {
            let ct = hop
                .headers
                .get(CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            if let Some(ct) = ct.filter(|ct| !is_html(ct)) {
                hop.not_html = Some(ct);
                return Ok(hop);
            }
        }
        let too_large = |status| HopError {
            error: FetchError::BodyTooLarge {
                url: url.clone(),
                limit: cap,
            },
            status: Some(status),
            retry_after: None,
        };
        if resp.content_length().is_some_and(|n| n > cap) {
            return Err(too_large(status.as_u16()));
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    host.stats.bytes(chunk.len() as u64);
                    if (body.len() + chunk.len()) as u64 > cap {
                        return Err(too_large(status.as_u16()));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(HopError {
                        error: classify(url, &e),
                        status: Some(status.as_u16()),
                        retry_after: None,
                    });
                }
            }
        }
        hop.body = Some(body);
        Ok(hop)
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
