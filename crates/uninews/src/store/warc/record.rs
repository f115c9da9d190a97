//! One WARC/1.1 record: named header fields, a block, the CRLF framing, and its gzip
//! member. Also the record's building blocks: `<urn:uuid:…>` IDs (version 4), WARC dates,
//! and `sha1:<base32>` digests (the form warcio, pywb and Heritrix use).

use sha1::{Digest, Sha1};
use std::io::Write;

/// The version line every record starts with.
pub const WARC_VERSION: &str = "WARC/1.1";

/// A record being built: header fields in order, then the block. `Content-Length` is
/// added by [`WarcRecord::to_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// Named fields, in the order written (without `Content-Length`).
    pub fields: Vec<(&'static str, String)>,
    /// The record block.
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// A record of `warc_type` with its ID and date; more fields follow with [`WarcRecord::field`].
    pub fn new(warc_type: &str, id: &str, date: &str) -> WarcRecord {
        WarcRecord {
            fields: vec![
                ("WARC-Type", warc_type.to_string()),
                ("WARC-Record-ID", id.to_string()),
                ("WARC-Date", date.to_string()),
            ],
            block: Vec::new(),
        }
    }

    /// Add a field.
    pub fn field(mut self, name: &'static str, value: impl Into<String>) -> WarcRecord {
        self.fields.push((name, value.into()));
        self
    }

    /// Add a field when there is a value.
    pub fn field_opt(self, name: &'static str, value: Option<impl Into<String>>) -> WarcRecord {
        match value {
            Some(v) => self.field(name, v),
            None => self,
        }
    }

    /// The record as bytes: version line, fields, `Content-Length`, a blank line, the
    /// block, and the two CRLFs that end a record.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.block.len() + 512);
        out.extend_from_slice(WARC_VERSION.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (name, value) in &self.fields {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", self.block.len()).as_bytes());
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// The record as one gzip member (WARC files are a series of such members, one per
    /// record, so a reader can seek to any record).
    pub fn to_gzip(&self) -> std::io::Result<Vec<u8>> {
        gzip_member(&self.to_bytes())
    }
}

/// `bytes` compressed as one complete gzip member.
pub fn gzip_member(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 64),
        flate2::Compression::default(),
    );
    enc.write_all(bytes)?;
    enc.finish()
}

/// A new record ID: `<urn:uuid:…>` of a random (version 4) UUID.
pub fn new_record_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A WARC date: UTC, microsecond precision (`2025-03-01T08:00:00.123456Z`).
pub fn warc_date(t: jiff::Timestamp) -> String {
    format!(
        "{}.{:06}Z",
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        t.subsec_microsecond().max(0)
    )
}

/// `sha1:<base32>` of `bytes`.
pub fn sha1_digest(bytes: &[u8]) -> String {
    format!("sha1:{}", base32(&Sha1::digest(bytes)))
}

/// RFC 4648 base32 (upper case, `=` padded).
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((n >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ] {
            assert_eq!(base32(input.as_bytes()), want, "{input:?}");
        }
    }

    #[test]
    fn sha1_digests_of_known_bytes() {
        // SHA-1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709; its base32 is the digest
        // every WARC tool prints for an empty payload.
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        // SHA-1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d (FIPS 180 example).
        assert_eq!(sha1_digest(b"abc"), "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
    }

    #[test]
    fn record_ids_are_v4_urn_uuids_and_differ() {
        let a = new_record_id();
        let b = new_record_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), "<urn:uuid:>".len() + 36);
        assert!(a.starts_with("<urn:uuid:") && a.ends_with('>'));
        let uuid = &a[10..46];
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'), "version 4: {uuid}");
        assert!(
            matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "RFC 4122 variant: {uuid}"
        );
    }

    #[test]
    fn dates_are_utc_with_microseconds() {
        let t: jiff::Timestamp = "2025-03-01T08:09:10.123456789+08:00".parse().unwrap();
        assert_eq!(warc_date(t), "2025-03-01T00:09:10.123456Z");
        let t: jiff::Timestamp = "2025-03-01T00:00:00Z".parse().unwrap();
        assert_eq!(warc_date(t), "2025-03-01T00:00:00.000000Z");
    }

    #[test]
    fn layout_is_version_fields_length_blank_block_crlfcrlf() {
        let mut r = WarcRecord::new("resource", "<urn:uuid:x>", "2025-01-01T00:00:00Z")
            .field("WARC-Target-URI", "http://a.edu/")
            .field_opt("WARC-IP-Address", None::<String>);
        r.block = b"hello".to_vec();
        let want = "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:x>\r\n\
                    WARC-Date: 2025-01-01T00:00:00Z\r\nWARC-Target-URI: http://a.edu/\r\n\
                    Content-Length: 5\r\n\r\nhello\r\n\r\n";
        assert_eq!(String::from_utf8(r.to_bytes()).unwrap(), want);
    }

    #[test]
    fn each_record_is_a_gzip_member_that_decompresses_alone() {
        let mut a = WarcRecord::new("resource", "<urn:uuid:a>", "2025-01-01T00:00:00Z");
        a.block = vec![b'x'; 10_000];
        let b = WarcRecord::new("resource", "<urn:uuid:b>", "2025-01-01T00:00:00Z");
        let (ga, gb) = (a.to_gzip().unwrap(), b.to_gzip().unwrap());
        // The second member alone, cut from a file holding both, decompresses to record b.
        let file = [ga.clone(), gb.clone()].concat();
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&file[ga.len()..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b.to_bytes());
        // A single-member decoder stops at the end of the first member.
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&file[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, a.to_bytes());
    }
}
