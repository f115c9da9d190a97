//! Reading WARC files back, member by member: used to repair a file a crash left open
//! (find the end of its last whole record), and by tests.

use super::WarcError;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Header fields of a record, in order.
pub type Fields = Vec<(String, String)>;

/// A record read back: its header fields (in order) and its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRecord {
    /// Offset of the record's gzip member in the file.
    pub offset: u64,
    /// Header fields, names as written.
    pub fields: Fields,
    /// The block (`Content-Length` bytes).
    pub block: Vec<u8>,
}

impl ReadRecord {
    /// The first field named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A `BufRead` that counts the bytes consumed, so each gzip member's end is known.
struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

/// What a scan of a file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The whole records, in order.
    pub records: Vec<ReadRecord>,
    /// The byte length covered by whole records (the end of the last whole member).
    pub good_len: u64,
    /// Why reading stopped before the end of the file, if it did.
    pub torn: Option<String>,
}

/// Read every whole record of `path`; stop at the first member that does not decompress
/// to a whole WARC record (a torn tail).
pub fn scan(path: &Path) -> Result<Scan, WarcError> {
    let file = File::open(path).map_err(WarcError::io(path))?;
    let mut r = Counting {
        inner: BufReader::new(file),
        pos: 0,
    };
    let mut scan = Scan {
        records: Vec::new(),
        good_len: 0,
        torn: None,
    };
    loop {
        match r.fill_buf() {
            Ok([]) => return Ok(scan),
            Ok(_) => {}
            Err(e) => return Err(WarcError::io(path)(e)),
        }
        let offset = r.pos;
        let mut bytes = Vec::new();
        let read = flate2::bufread::GzDecoder::new(&mut r).read_to_end(&mut bytes);
        let parsed = match read {
            Ok(_) => parse(&bytes).map_err(|m| format!("record at offset {offset}: {m}")),
            Err(e) => Err(format!("gzip member at offset {offset}: {e}")),
        };
        match parsed {
            Ok((fields, block)) => {
                scan.records.push(ReadRecord {
                    offset,
                    fields,
                    block,
                });
                scan.good_len = r.pos;
            }
            Err(m) => {
                scan.torn = Some(m);
                return Ok(scan);
            }
        }
    }
}

/// Split one decompressed member into header fields and block, checking the framing:
/// version line, `Content-Length` bytes of block, then exactly CRLF CRLF.
pub fn parse(bytes: &[u8]) -> Result<(Fields, Vec<u8>), String> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of header")?;
    let head = std::str::from_utf8(&bytes[..end]).map_err(|_| "header is not UTF-8")?;
    let mut lines = head.split("\r\n");
    if lines.next() != Some(super::record::WARC_VERSION) {
        return Err("not a WARC/1.1 record".into());
    }
    let mut fields = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(": ").ok_or("header line without ': '")?;
        fields.push((name.to_string(), value.to_string()));
    }
    let len: usize = fields
        .iter()
        .find(|(n, _)| n == "Content-Length")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or("no Content-Length")?;
    let start = end + 4;
    if bytes.len() != start + len + 4 || &bytes[start + len..] != b"\r\n\r\n" {
        return Err(format!(
            "block is not Content-Length ({len}) bytes followed by CRLF CRLF"
        ));
    }
    Ok((fields, bytes[start..start + len].to_vec()))
}
