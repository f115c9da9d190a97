//! A small WARC reader of the test's own (independent of `uninews::store::warc::read`),
//! record checks, and the `warcio` runs.
#![allow(dead_code)]

use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One record read back.
#[derive(Debug, Clone)]
pub struct Rec {
    pub file: PathBuf,
    pub offset: usize,
    pub fields: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Rec {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn kind(&self) -> &str {
        self.get("WARC-Type").unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.block).into_owned()
    }

    /// The HTTP payload: the block after the HTTP head.
    pub fn payload(&self) -> Vec<u8> {
        let end = self
            .block
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("HTTP head ends");
        self.block[end + 4..].to_vec()
    }
}

/// The closed WARC files of `dir`, in name order; fails on a leftover `.open` file.
pub fn warc_files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).expect("WARC folder") {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".open"), "{name} left open after the crawl");
        if name.ends_with(".warc.gz") {
            assert!(name.starts_with("uninews-"), "{name}");
            v.push(p);
        }
    }
    v.sort();
    v
}

/// Every record of a `.warc.gz`: one gzip member per record, each decompressed alone.
pub fn read_warc(path: &Path) -> Vec<Rec> {
    let data = std::fs::read(path).expect("read WARC");
    let mut rest: &[u8] = &data;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let offset = data.len() - rest.len();
        let mut dec = flate2::bufread::GzDecoder::new(rest);
        let mut bytes = Vec::new();
        dec.read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("{}: member at {offset}: {e}", path.display()));
        rest = dec.into_inner();
        let (fields, block) =
            parse(&bytes).unwrap_or_else(|e| panic!("{}: record at {offset}: {e}", path.display()));
        out.push(Rec {
            file: path.to_path_buf(),
            offset,
            fields,
            block,
        });
    }
    out
}

type Parsed = (Vec<(String, String)>, Vec<u8>);

fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let text_end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no blank line after the header")?;
    let head = std::str::from_utf8(&bytes[..text_end]).map_err(|e| e.to_string())?;
    let mut lines = head.split("\r\n");
    if lines.next() != Some("WARC/1.1") {
        return Err(format!("bad version line in {head:?}"));
    }
    let mut fields = Vec::new();
    for l in lines {
        let (n, v) = l.split_once(':').ok_or(format!("bad line {l:?}"))?;
        fields.push((n.to_string(), v.trim().to_string()));
    }
    let len: usize = fields
        .iter()
        .find(|(n, _)| n == "Content-Length")
        .ok_or("no Content-Length")?
        .1
        .parse()
        .map_err(|_| "bad Content-Length")?;
    let start = text_end + 4;
    if bytes.len() != start + len + 4 {
        return Err(format!(
            "member holds {} bytes after the header, Content-Length says {len} + 4",
            bytes.len() - start
        ));
    }
    if &bytes[start + len..] != b"\r\n\r\n" {
        return Err("record does not end in CRLF CRLF".into());
    }
    Ok((fields, bytes[start..start + len].to_vec()))
}

/// Base32 (RFC 4648), written here independently of the library's.
fn b32(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut acc, mut bits, mut out) = (0u32, 0u32, String::new());
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(A[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(A[((acc << (5 - bits)) & 31) as usize] as char);
    }
    while out.len() % 8 != 0 {
        out.push('=');
    }
    out
}

pub fn sha1_b32(bytes: &[u8]) -> String {
    format!("sha1:{}", b32(&Sha1::digest(bytes)))
}

/// Records by `WARC-Record-ID`.
pub fn index_by_id(all: &[Rec]) -> BTreeMap<&str, &Rec> {
    all.iter()
        .map(|r| (r.get("WARC-Record-ID").unwrap(), r))
        .collect()
}

/// Field-level checks of every record: mandatory fields, ID and date forms, unique IDs,
/// content types, and both digests recomputed.
pub fn check_every_record(all: &[Rec]) {
    let mut ids = BTreeSet::new();
    for r in all {
        let at = format!("{} @{}", r.file.display(), r.offset);
        let id = r.get("WARC-Record-ID").expect("WARC-Record-ID");
        assert!(
            id.starts_with("<urn:uuid:") && id.ends_with('>') && id.len() == 47,
            "{at}: {id}"
        );
        assert!(ids.insert(id.to_string()), "{at}: duplicate ID {id}");
        let date = r.get("WARC-Date").expect("WARC-Date");
        assert!(
            date.len() == 27 && date.ends_with('Z') && date.as_bytes()[10] == b'T',
            "{at}: {date}"
        );
        assert_eq!(
            r.get("WARC-Block-Digest"),
            Some(sha1_b32(&r.block).as_str()),
            "{at}: block digest"
        );
        match r.kind() {
            "warcinfo" => {
                assert_eq!(r.get("Content-Type"), Some("application/warc-fields"))
            }
            "request" => {
                assert_eq!(
                    r.get("Content-Type"),
                    Some("application/http; msgtype=request")
                );
                assert!(r.text().starts_with("GET /"), "{at}");
                assert!(r.get("WARC-Target-URI").unwrap().starts_with("http://"));
                assert!(r.get("WARC-Concurrent-To").is_some(), "{at}");
            }
            "response" | "revisit" => {
                assert_eq!(
                    r.get("Content-Type"),
                    Some("application/http; msgtype=response")
                );
                assert!(r.text().starts_with("HTTP/1.1 "), "{at}");
                assert_eq!(r.get("WARC-IP-Address"), Some("127.0.0.1"), "{at}");
                if r.kind() == "response" && r.get("WARC-Truncated").is_none() {
                    assert_eq!(
                        r.get("WARC-Payload-Digest"),
                        Some(sha1_b32(&r.payload()).as_str()),
                        "{at}: payload digest"
                    );
                }
            }
            other => panic!("{at}: unexpected record type {other}"),
        }
    }
}

/// True when `warcio` runs.
fn warcio_present() -> bool {
    Command::new("warcio")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `warcio check -v` and `warcio index` accept every file: every digest that can be
/// checked passes, and the index lists every record this test read, in order.
pub fn warcio_accepts(files: &[PathBuf]) {
    if !warcio_present() {
        assert!(
            std::env::var("UNINEWS_REQUIRE_WARCIO").as_deref() != Ok("1"),
            "warcio is not on PATH and UNINEWS_REQUIRE_WARCIO=1 (pip install warcio)"
        );
        crate::common::skipped(
            "warcio is not on PATH (pip install warcio); WARC files not checked by it",
        );
        return;
    }
    let ours: Vec<Rec> = files.iter().flat_map(|f| read_warc(f)).collect();
    let out = Command::new("warcio")
        .args(["check", "-v"])
        .args(files)
        .output()
        .expect("warcio check runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "warcio check:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let revisits = ours.iter().filter(|r| r.kind() == "revisit").count();
    assert_eq!(
        text.matches("digest pass").count(),
        ours.len() - revisits,
        "warcio verified a digest of every non-revisit record:\n{text}"
    );
    assert_eq!(
        text.matches("not checked (revisit)").count(),
        revisits,
        "{text}"
    );
    let out = Command::new("warcio")
        .args([
            "index",
            "-f",
            "filename,offset,warc-type,warc-record-id,http:status",
        ])
        .args(files)
        .output()
        .expect("warcio index runs");
    assert!(
        out.status.success(),
        "warcio index: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("index line is JSON"))
        .collect();
    assert_eq!(lines.len(), ours.len(), "warcio index lists every record");
    for (line, rec) in lines.iter().zip(&ours) {
        let name = rec.file.file_name().unwrap().to_string_lossy();
        assert!(
            line["filename"]
                .as_str()
                .is_some_and(|f| f.ends_with(name.as_ref())),
            "{line}"
        );
        assert_eq!(line["warc-record-id"], rec.get("WARC-Record-ID").unwrap());
        assert_eq!(line["warc-type"], rec.kind());
        assert_eq!(
            line["offset"].as_str(),
            Some(rec.offset.to_string().as_str())
        );
        if matches!(rec.kind(), "response" | "revisit") {
            let status = &rec.text()[9..12];
            assert_eq!(line["http:status"].as_str(), Some(status), "{line}");
        }
    }
}
