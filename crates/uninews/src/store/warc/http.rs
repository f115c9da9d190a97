//! HTTP messages as WARC blocks (`application/http; msgtype=request|response`).
//!
//! What is stored, and how it can differ from the bytes on the wire:
//! - the request: request line (origin-form target), then every header the client sent
//!   (`host` first), names lower-case as the client sends them; no body (GET);
//! - the response: status line (the canonical reason phrase: the client does not expose
//!   the server's own), the headers as received in their order (repeated headers grouped
//!   by name), then the body **as received**: content-coding (gzip, br) intact, so
//!   `Content-Encoding` stays true;
//! - framing: the client removes chunked transfer-coding, so `Transfer-Encoding` is kept
//!   as `x-archive-orig-transfer-encoding`; a `Content-Length` that does not match the
//!   stored body (a body not read or cut short) is kept as `x-archive-orig-content-length`;
//!   in both cases a `content-length` with the stored length is added, so the stored HTTP
//!   message describes itself truthfully. This is what Heritrix, warcprox and wget do with
//!   headers that no longer describe the stored bytes.

use crate::fetch::Exchange;
use reqwest::Version;
use reqwest::header::{CONTENT_LENGTH, HeaderMap, TRANSFER_ENCODING};
use url::Url;

/// Prefix of original headers that no longer describe the stored message.
pub const ORIG_PREFIX: &str = "x-archive-orig-";

/// The HTTP version as written in a start line.
fn version(v: Version) -> &'static str {
    match v {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_2 => "HTTP/2.0",
        Version::HTTP_3 => "HTTP/3.0",
        _ => "HTTP/1.1",
    }
}

/// The request target in origin form: path and query.
fn target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &[u8]) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
}

/// The request block of `ex`.
pub fn request_block(ex: &Exchange<'_>) -> Vec<u8> {
    let mut out = format!(
        "{} {} {}\r\n",
        ex.method,
        target(ex.url),
        version(ex.version)
    )
    .into_bytes();
    for (name, value) in ex.request_headers {
        push_header(&mut out, name.as_str(), value.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The response head (status line, headers, blank line) for a stored payload of
/// `stored_len` bytes.
pub fn response_head(ex: &Exchange<'_>, stored_len: usize) -> Vec<u8> {
    let mut out = format!(
        "{} {} {}\r\n",
        version(ex.version),
        ex.status.as_u16(),
        ex.status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    out.extend_from_slice(&headers_for_payload(ex.response_headers, stored_len));
    out.extend_from_slice(b"\r\n");
    out
}

/// The header lines, with framing headers that do not describe a payload of
/// `stored_len` bytes renamed (see the module doc).
pub fn headers_for_payload(headers: &HeaderMap, stored_len: usize) -> Vec<u8> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let chunked = headers.contains_key(TRANSFER_ENCODING);
    let length_ok = declared == Some(stored_len as u64);
    let mut out = Vec::new();
    for (name, value) in headers {
        let rename = (name == TRANSFER_ENCODING) || (name == CONTENT_LENGTH && !length_ok);
        if rename {
            push_header(
                &mut out,
                &format!("{ORIG_PREFIX}{}", name.as_str()),
                value.as_bytes(),
            );
        } else {
            push_header(&mut out, name.as_str(), value.as_bytes());
        }
    }
    if !length_ok && (chunked || headers.contains_key(CONTENT_LENGTH)) {
        push_header(
            &mut out,
            "content-length",
            stored_len.to_string().as_bytes(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::BodyEnd;
    use reqwest::StatusCode;
    use reqwest::header::HeaderValue;

    fn map(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(*k, HeaderValue::from_static(v));
        }
        m
    }

    fn text(b: &[u8]) -> String {
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[test]
    fn request_line_and_headers_as_sent() {
        let url = Url::parse("http://a.edu.cn:8080/info/1012/3.htm?x=1&y=%E4").unwrap();
        let req = map(&[
            ("host", "a.edu.cn:8080"),
            ("user-agent", "uninews/0.1"),
            ("if-none-match", "\"abc\""),
        ]);
        let resp = HeaderMap::new();
        let ex = Exchange {
            started_at: jiff::Timestamp::UNIX_EPOCH,
            method: "GET",
            url: &url,
            version: Version::HTTP_11,
            request_headers: &req,
            remote_ip: None,
            status: StatusCode::OK,
            response_headers: &resp,
            body: b"",
            body_end: BodyEnd::Complete,
        };
        assert_eq!(
            text(&request_block(&ex)),
            "GET /info/1012/3.htm?x=1&y=%E4 HTTP/1.1\r\nhost: a.edu.cn:8080\r\n\
             user-agent: uninews/0.1\r\nif-none-match: \"abc\"\r\n\r\n"
        );
    }

    #[test]
    fn matching_length_is_kept_as_is() {
        let h = map(&[
            ("content-type", "text/html"),
            ("content-length", "5"),
            ("content-encoding", "gzip"),
        ]);
        assert_eq!(
            text(&headers_for_payload(&h, 5)),
            "content-type: text/html\r\ncontent-length: 5\r\ncontent-encoding: gzip\r\n"
        );
    }

    #[test]
    fn chunked_framing_is_renamed_and_the_stored_length_added() {
        let h = map(&[("transfer-encoding", "chunked"), ("etag", "\"1\"")]);
        assert_eq!(
            text(&headers_for_payload(&h, 42)),
            "x-archive-orig-transfer-encoding: chunked\r\netag: \"1\"\r\ncontent-length: 42\r\n"
        );
    }

    #[test]
    fn a_body_not_read_keeps_its_declared_length_aside() {
        let h = map(&[
            ("content-type", "application/pdf"),
            ("content-length", "90000"),
        ]);
        assert_eq!(
            text(&headers_for_payload(&h, 0)),
            "content-type: application/pdf\r\nx-archive-orig-content-length: 90000\r\n\
             content-length: 0\r\n"
        );
    }

    #[test]
    fn no_framing_headers_means_none_added() {
        let h = map(&[("etag", "\"1\"")]);
        assert_eq!(text(&headers_for_payload(&h, 0)), "etag: \"1\"\r\n");
    }
}
