//! What a fetch asks for ([`Request`]) and what it ends in ([`Outcome`]), plus the
//! fetch layer's error type.

use crate::frontier::Scope;
use reqwest::header::HeaderMap;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Which responses to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// Only HTML (`text/html`, `application/xhtml+xml`, or no Content-Type at all); any
    /// other declared type ends in [`SkipReason::NotHtml`] without reading the body.
    Html,
    /// Any content (images, files).
    Any,
}

/// One fetch to make.
#[derive(Debug, Clone)]
pub struct Request {
    /// The URL.
    pub url: Url,
    /// Which content to download.
    pub accept: Accept,
    /// `If-None-Match` value (a stored ETag).
    pub if_none_match: Option<String>,
    /// `If-Modified-Since` value (a stored Last-Modified).
    pub if_modified_since: Option<String>,
    /// Hosts the request and its redirects may visit; `None` = any host.
    pub scope: Option<Arc<Scope>>,
    /// Cap on this response's decoded body; `None` = the fetcher's `max_body_bytes`.
    pub max_body_bytes: Option<u64>,
    /// Keep the first `max_body_bytes` of a larger body instead of failing (robots.txt).
    pub truncate_body: bool,
}

impl Request {
    /// A request for `url`, any content, no validators, no scope.
    pub fn new(url: Url) -> Request {
        Request {
            url,
            accept: Accept::Any,
            if_none_match: None,
            if_modified_since: None,
            scope: None,
            max_body_bytes: None,
            truncate_body: false,
        }
    }

    /// Download HTML only.
    pub fn html_only(mut self) -> Request {
        self.accept = Accept::Html;
        self
    }

    /// Send `If-None-Match` / `If-Modified-Since` (on every hop of a redirect chain).
    pub fn conditional(mut self, etag: Option<String>, last_modified: Option<String>) -> Request {
        self.if_none_match = etag;
        self.if_modified_since = last_modified;
        self
    }

    /// Cap this response's decoded body at `bytes` (instead of the fetcher's
    /// `max_body_bytes`): a larger body ends in [`FetchError::BodyTooLarge`].
    pub fn max_body(mut self, bytes: u64) -> Request {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// Confine the request and its redirects to `scope`.
    pub fn within(mut self, scope: Arc<Scope>) -> Request {
        self.scope = Some(scope);
        self
    }
}

/// Where a fetch ended.
#[derive(Debug)]
pub enum Outcome {
    /// A 2xx response with its body.
    Page(Page),
    /// `304 Not Modified` to a conditional request.
    NotModified(Response),
    /// Not fetched on purpose.
    Skipped(Skipped),
    /// Gave up; carries the last error.
    Failed(Failure),
}

/// A response's metadata.
#[derive(Debug, Clone)]
pub struct Response {
    /// The URL asked for.
    pub url: Url,
    /// The URL that answered (after redirects).
    pub final_url: Url,
    /// The redirect hops taken, in order (each URL that answered with a redirect).
    pub redirects: Vec<Url>,
    /// HTTP status.
    pub status: u16,
    /// All response headers (after decompression: no Content-Encoding/Length).
    pub headers: HeaderMap,
    /// The ID the exchange recorder gave the record of this (final) response: with WARC
    /// output, the `WARC-Record-ID` of its `response` or `revisit` record.
    pub record_id: Option<String>,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// HTTP exchanges made for this fetch (retries and redirect hops included).
    pub attempts: u32,
    /// Wall time of the whole fetch, waits included.
    pub elapsed: Duration,
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The response.
    pub response: Response,
    /// The decoded (decompressed) body, at most `max_body_bytes`.
    pub body: Vec<u8>,
}

/// Why a URL was not fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// robots.txt disallows this URL (the request's or a redirect target).
    Robots {
        /// The disallowed URL.
        url: Url,
    },
    /// The URL (or a redirect target) lies outside the request's scope.
    OffScope {
        /// The off-scope URL.
        url: Url,
    },
    /// HTML was asked for and the response declared another type.
    NotHtml {
        /// The declared Content-Type.
        content_type: String,
    },
}

impl SkipReason {
    /// A short reason for the crawl state: `robots`, `off-scope`, `not-html`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SkipReason::Robots { .. } => "robots",
            SkipReason::OffScope { .. } => "off-scope",
            SkipReason::NotHtml { .. } => "not-html",
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Robots { url } => write!(f, "disallowed by robots.txt: {url}"),
            SkipReason::OffScope { url } => write!(f, "off scope: {url}"),
            SkipReason::NotHtml { content_type } => write!(f, "not HTML: {content_type}"),
        }
    }
}

/// A fetch not made on purpose.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The URL asked for.
    pub url: Url,
    /// Redirect hops taken before the skip.
    pub redirects: Vec<Url>,
    /// Why.
    pub reason: SkipReason,
    /// The response that led to the skip ([`SkipReason::NotHtml`] only).
    pub response: Option<Response>,
}

/// A fetch that failed after its attempts.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The URL asked for.
    pub url: Url,
    /// The URL of the last exchange (a redirect target, or `url`).
    pub last_url: Url,
    /// HTTP exchanges made.
    pub attempts: u32,
    /// HTTP status of the last response, if one came.
    pub status: Option<u16>,
    /// The last error.
    pub error: FetchError,
}

/// Why a fetch failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Not an http(s) URL with a host.
    #[error("{url}: only http and https URLs can be fetched")]
    Unsupported {
        /// The URL.
        url: Url,
    },
    /// No connection (refused, DNS, TLS).
    #[error("{url}: cannot connect: {message}")]
    Connect {
        /// The URL.
        url: Url,
        /// The cause chain.
        message: String,
    },
    /// A timeout (connect, read or total).
    #[error("{url}: timed out: {message}")]
    Timeout {
        /// The URL.
        url: Url,
        /// The cause chain.
        message: String,
    },
    /// Another transport error (reset connection, protocol error, ...).
    #[error("{url}: request failed: {message}")]
    Transport {
        /// The URL.
        url: Url,
        /// The cause chain.
        message: String,
    },
    /// An HTTP error status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: Url,
        /// The status.
        status: u16,
    },
    /// The body broke off while being read.
    #[error("{url}: reading the body failed: {message}")]
    Body {
        /// The URL.
        url: Url,
        /// The cause chain.
        message: String,
    },
    /// The decoded body is larger than the cap (the body is discarded).
    #[error("{url}: body larger than {limit} bytes")]
    BodyTooLarge {
        /// The URL.
        url: Url,
        /// The cap.
        limit: u64,
    },
    /// More redirect hops than allowed.
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL asked for.
        url: Url,
        /// The hop limit.
        limit: u32,
    },
    /// A redirect led back to a URL of the same chain.
    #[error("{url}: redirect loop back to {target}")]
    RedirectLoop {
        /// The URL asked for.
        url: Url,
        /// The repeated URL.
        target: Url,
    },
    /// A redirect without a usable `Location`.
    #[error("{url}: redirect with unusable Location {location:?}")]
    BadRedirect {
        /// The redirecting URL.
        url: Url,
        /// The header value.
        location: String,
    },
    /// The host's robots.txt answered 5xx or not at all: the host is treated as fully
    /// disallowed for a while (see the `robots` module).
    #[error("{url}: robots.txt unavailable ({cause}); {}", if *.retry { "host paused" } else { "host given up" })]
    RobotsUnavailable {
        /// The URL not fetched.
        url: Url,
        /// Why robots.txt could not be read.
        cause: String,
        /// The host is only paused (the URL should be tried again later); false once the
        /// host has been given up (`robots_max_tries`).
        retry: bool,
    },
}

impl Failure {
    /// True when the host, not the URL, is the problem for now (its robots.txt is
    /// unavailable): the crawl should put the URL back in the queue for later rather
    /// than record a final failure.
    pub fn retry_later(&self) -> bool {
        matches!(
            self.error,
            FetchError::RobotsUnavailable { retry: true, .. }
        )
    }
}

/// The cause of a failed fetch, by kind; its text (`connect`, `http-503`, ...) is the
/// stable name summaries group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Cause {
    /// Not an http(s) URL with a host.
    Unsupported,
    /// No connection.
    Connect,
    /// A timeout.
    Timeout,
    /// Another transport error.
    Transport,
    /// An HTTP error status.
    Http(u16),
    /// The body broke off.
    Body,
    /// The body is larger than the cap.
    BodyTooLarge,
    /// More redirect hops than allowed.
    TooManyRedirects,
    /// A redirect loop.
    RedirectLoop,
    /// A redirect without a usable `Location`.
    BadRedirect,
    /// robots.txt unavailable.
    RobotsUnavailable,
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Cause::Unsupported => "unsupported",
            Cause::Connect => "connect",
            Cause::Timeout => "timeout",
            Cause::Transport => "transport",
            Cause::Http(status) => return write!(f, "http-{status}"),
            Cause::Body => "body",
            Cause::BodyTooLarge => "body-too-large",
            Cause::TooManyRedirects => "too-many-redirects",
            Cause::RedirectLoop => "redirect-loop",
            Cause::BadRedirect => "bad-redirect",
            Cause::RobotsUnavailable => "robots-unavailable",
        };
        f.write_str(name)
    }
}

impl FetchError {
    /// The failure's [`Cause`]; its text is the short, stable name summaries use:
    /// `unsupported`, `connect`, `timeout`, `transport`, `http-503`, `body`,
    /// `body-too-large`, `too-many-redirects`, `redirect-loop`, `bad-redirect`,
    /// `robots-unavailable`.
    pub fn cause(&self) -> Cause {
        match self {
            FetchError::Unsupported { .. } => Cause::Unsupported,
            FetchError::Connect { .. } => Cause::Connect,
            FetchError::Timeout { .. } => Cause::Timeout,
            FetchError::Transport { .. } => Cause::Transport,
            FetchError::Status { status, .. } => Cause::Http(*status),
            FetchError::Body { .. } => Cause::Body,
            FetchError::BodyTooLarge { .. } => Cause::BodyTooLarge,
            FetchError::TooManyRedirects { .. } => Cause::TooManyRedirects,
            FetchError::RedirectLoop { .. } => Cause::RedirectLoop,
            FetchError::BadRedirect { .. } => Cause::BadRedirect,
            FetchError::RobotsUnavailable { .. } => Cause::RobotsUnavailable,
        }
    }

    /// Worth retrying: connect errors, timeouts, transport and body errors, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Connect { .. }
            | FetchError::Timeout { .. }
            | FetchError::Transport { .. }
            | FetchError::Body { .. } => true,
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}
