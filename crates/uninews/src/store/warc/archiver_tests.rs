//! Tests of the WARC recorder: request/response layout, digests, revisit decisions.

use super::*;
use crate::store::warc::read::{ReadRecord, scan};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{StatusCode, Version};
use url::Url;

const BODY: &[u8] = b"<html><title>t</title>news</html>";

struct Ex {
    url: Url,
    req: HeaderMap,
    resp: HeaderMap,
    status: StatusCode,
    body: Vec<u8>,
    end: BodyEnd,
}

impl Ex {
    fn new(url: &str, status: u16, body: &[u8]) -> Ex {
        let mut req = HeaderMap::new();
        req.insert("host", HeaderValue::from_static("a.edu.cn"));
        req.insert("user-agent", HeaderValue::from_static("uninews/test"));
        let mut resp = HeaderMap::new();
        resp.insert("content-type", HeaderValue::from_static("text/html"));
        resp.insert(
            "content-length",
            HeaderValue::from_str(&body.len().to_string()).unwrap(),
        );
        Ex {
            url: Url::parse(url).unwrap(),
            req,
            resp,
            status: StatusCode::from_u16(status).unwrap(),
            body: body.to_vec(),
            end: BodyEnd::Complete,
        }
    }

    fn exchange(&self) -> Exchange<'_> {
        Exchange {
            started_at: "2025-03-01T00:00:00.5Z".parse().unwrap(),
            method: "GET",
            url: &self.url,
            version: Version::HTTP_11,
            request_headers: &self.req,
            remote_ip: Some("127.0.0.1".parse().unwrap()),
            status: self.status,
            response_headers: &self.resp,
            body: &self.body,
            body_end: self.end,
        }
    }
}

fn recorder(dir: &Path) -> WarcArchiver {
    WarcArchiver::open_with_info(dir, &WarcConfig::default(), Vec::new()).unwrap()
}

/// Every record of every file in `dir`, warcinfo records left out.
fn records(dir: &Path) -> Vec<ReadRecord> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| scan(f).unwrap().records)
        .filter(|r| r.get("WARC-Type") != Some("warcinfo"))
        .collect()
}

fn names(r: &ReadRecord) -> Vec<&str> {
    r.fields.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn decisions() {
    let prev = Entry {
        record_id: "<urn:uuid:p>".into(),
        digest: "sha1:AAA".into(),
        date: "2025-01-01T00:00:00.000000Z".into(),
    };
    assert_eq!(decide(200, Some("sha1:AAA"), None), Decision::Response);
    assert_eq!(
        decide(200, Some("sha1:AAA"), Some(&prev)),
        Decision::Identical(prev.clone())
    );
    assert_eq!(
        decide(200, Some("sha1:BBB"), Some(&prev)),
        Decision::Response
    );
    // A payload not read whole is never a revisit, nor is a non-2xx answer.
    assert_eq!(decide(200, None, Some(&prev)), Decision::Response);
    assert_eq!(
        decide(404, Some("sha1:AAA"), Some(&prev)),
        Decision::Response
    );
    assert_eq!(
        decide(304, None, Some(&prev)),
        Decision::NotModified(Some(prev.clone()))
    );
    assert_eq!(decide(304, None, None), Decision::NotModified(None));
}

#[test]
fn request_and_response_records_are_linked_and_digested() {
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(dir.path());
    let ex = Ex::new("http://a.edu.cn/info/1.htm", 200, BODY);
    let id = rec.write(&ex.exchange()).unwrap();
    rec.close().unwrap();
    let all = records(dir.path());
    assert_eq!(all.len(), 2);
    let (req, resp) = (&all[0], &all[1]);
    assert_eq!(
        names(req),
        [
            "WARC-Type",
            "WARC-Record-ID",
            "WARC-Date",
            "WARC-Target-URI",
            "WARC-IP-Address",
            "WARC-Concurrent-To",
            "WARC-Block-Digest",
            "Content-Type",
            "Content-Length"
        ]
    );
    assert_eq!(req.get("WARC-Type"), Some("request"));
    assert_eq!(req.get("WARC-Date"), Some("2025-03-01T00:00:00.500000Z"));
    assert_eq!(
        req.get("WARC-Target-URI"),
        Some("http://a.edu.cn/info/1.htm")
    );
    assert_eq!(req.get("WARC-IP-Address"), Some("127.0.0.1"));
    assert_eq!(req.get("WARC-Concurrent-To"), Some(id.as_str()));
    assert_eq!(
        req.get("Content-Type"),
        Some("application/http; msgtype=request")
    );
    assert_eq!(
        req.block,
        b"GET /info/1.htm HTTP/1.1\r\nhost: a.edu.cn\r\nuser-agent: uninews/test\r\n\r\n"
    );
    assert_eq!(
        req.get("WARC-Block-Digest"),
        Some(sha1_digest(&req.block).as_str())
    );

    assert_eq!(resp.get("WARC-Type"), Some("response"));
    assert_eq!(resp.get("WARC-Record-ID"), Some(id.as_str()));
    assert_ne!(req.get("WARC-Record-ID"), Some(id.as_str()));
    assert_eq!(
        resp.get("Content-Type"),
        Some("application/http; msgtype=response")
    );
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 33\r\n\r\n";
    assert_eq!(resp.block, [head.as_bytes(), BODY].concat());
    assert_eq!(
        resp.get("WARC-Block-Digest"),
        Some(sha1_digest(&resp.block).as_str())
    );
    assert_eq!(
        resp.get("WARC-Payload-Digest"),
        Some(sha1_digest(BODY).as_str())
    );
    assert_eq!(resp.get("WARC-Truncated"), None);
}

#[test]
fn same_payload_again_is_a_revisit_and_a_new_one_a_response() {
    let dir = tempfile::tempdir().unwrap();
    let url = "http://a.edu.cn/info/2.htm";
    let first = {
        let rec = recorder(dir.path());
        rec.write(&Ex::new(url, 200, BODY).exchange()).unwrap()
    };
    // A later run (the index is on disk): same payload.
    let rec = recorder(dir.path());
    let again = rec.write(&Ex::new(url, 200, BODY).exchange()).unwrap();
    let changed = rec
        .write(&Ex::new(url, 200, b"<html>edited</html>").exchange())
        .unwrap();
    let after_change = rec
        .write(&Ex::new(url, 200, b"<html>edited</html>").exchange())
        .unwrap();
    let other_url = rec
        .write(&Ex::new("http://a.edu.cn/info/3.htm", 200, BODY).exchange())
        .unwrap();
    rec.close().unwrap();
    let all = records(dir.path());
    let by_id = |id: &str| {
        all.iter()
            .find(|r| r.get("WARC-Record-ID") == Some(id))
            .unwrap_or_else(|| panic!("{id} not written"))
    };
    assert_eq!(by_id(&first).get("WARC-Type"), Some("response"));
    let r = by_id(&again);
    assert_eq!(r.get("WARC-Type"), Some("revisit"));
    assert_eq!(r.get("WARC-Profile"), Some(PROFILE_IDENTICAL));
    assert_eq!(r.get("WARC-Refers-To"), Some(first.as_str()));
    assert_eq!(r.get("WARC-Refers-To-Target-URI"), Some(url));
    assert_eq!(r.get("WARC-Refers-To-Date"), by_id(&first).get("WARC-Date"));
    assert_eq!(
        r.get("WARC-Payload-Digest"),
        Some(sha1_digest(BODY).as_str())
    );
    // The revisit holds the head only.
    assert!(r.block.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(r.block.ends_with(b"\r\n\r\n") && !r.block.ends_with(BODY));
    assert_eq!(
        r.get("WARC-Block-Digest"),
        Some(sha1_digest(&r.block).as_str())
    );
    assert_eq!(by_id(&changed).get("WARC-Type"), Some("response"));
    let r = by_id(&after_change);
    assert_eq!(r.get("WARC-Type"), Some("revisit"));
    assert_eq!(r.get("WARC-Refers-To"), Some(changed.as_str()));
    assert_eq!(by_id(&other_url).get("WARC-Type"), Some("response"));
}

#[test]
fn not_modified_is_a_server_not_modified_revisit() {
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(dir.path());
    let url = "http://a.edu.cn/info/4.htm";
    let unknown = rec.write(&Ex::new(url, 304, b"").exchange()).unwrap();
    let first = rec.write(&Ex::new(url, 200, BODY).exchange()).unwrap();
    let mut ex = Ex::new(url, 304, b"");
    ex.req
        .insert("if-none-match", HeaderValue::from_static("\"e1\""));
    let known = rec.write(&ex.exchange()).unwrap();
    // A 304 does not replace the URL's entry: a later identical 200 still refers to `first`.
    let later = rec.write(&Ex::new(url, 200, BODY).exchange()).unwrap();
    rec.close().unwrap();
    let all = records(dir.path());
    let by_id = |id: &str| {
        all.iter()
            .find(|r| r.get("WARC-Record-ID") == Some(id))
            .unwrap()
    };
    let r = by_id(&unknown);
    assert_eq!(r.get("WARC-Type"), Some("revisit"));
    assert_eq!(r.get("WARC-Profile"), Some(PROFILE_NOT_MODIFIED));
    assert_eq!(r.get("WARC-Refers-To"), None);
    let r = by_id(&known);
    assert_eq!(r.get("WARC-Profile"), Some(PROFILE_NOT_MODIFIED));
    assert_eq!(r.get("WARC-Refers-To"), Some(first.as_str()));
    assert!(r.block.starts_with(b"HTTP/1.1 304 Not Modified\r\n"));
    let req = all
        .iter()
        .find(|q| q.get("WARC-Concurrent-To") == Some(known.as_str()))
        .unwrap();
    assert!(String::from_utf8_lossy(&req.block).contains("if-none-match: \"e1\"\r\n"));
    assert_eq!(by_id(&later).get("WARC-Refers-To"), Some(first.as_str()));
}

#[test]
fn bodies_not_read_are_truncated_without_payload_digest_and_never_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(dir.path());
    let url = "http://a.edu.cn/file.pdf";
    let mut ex = Ex::new(url, 200, b"");
    ex.resp
        .insert("content-length", HeaderValue::from_static("90000"));
    ex.end = BodyEnd::NotRead;
    let a = rec.write(&ex.exchange()).unwrap();
    let b = rec.write(&ex.exchange()).unwrap();
    let mut broken = Ex::new("http://a.edu.cn/x.htm", 200, b"<html>par");
    broken
        .resp
        .insert("content-length", HeaderValue::from_static("500"));
    broken.end = BodyEnd::Broken;
    let c = rec.write(&broken.exchange()).unwrap();
    rec.close().unwrap();
    let all = records(dir.path());
    let by_id = |id: &str| {
        all.iter()
            .find(|r| r.get("WARC-Record-ID") == Some(id))
            .unwrap()
    };
    for id in [&a, &b] {
        let r = by_id(id);
        assert_eq!(r.get("WARC-Type"), Some("response"), "never a revisit");
        assert_eq!(r.get("WARC-Truncated"), Some("length"));
        assert_eq!(r.get("WARC-Payload-Digest"), None);
        let head = String::from_utf8_lossy(&r.block);
        assert!(
            head.contains("x-archive-orig-content-length: 90000\r\ncontent-length: 0\r\n"),
            "{head}"
        );
    }
    let r = by_id(&c);
    assert_eq!(r.get("WARC-Truncated"), Some("disconnect"));
    assert!(r.block.ends_with(b"\r\n\r\n<html>par"));
}
