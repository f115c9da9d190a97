//! Decompression of content codings (`Content-Encoding: gzip | x-gzip | deflate | br`),
//! "decompress" here, as "decode" is the charset step ([`crate::decode`]); done by the
//! fetcher itself rather than by the HTTP client, so that the exchange recorder sees the
//! body and headers exactly as received (the client's automatic decompression strips
//! `Content-Encoding` and `Content-Length` before anyone can look).
//!
//! The same codings as before are asked for (`Accept-Encoding: gzip, deflate, br`) and
//! decoded; any other coding is passed through untouched, as the client did. The decoded
//! size is capped (a small gzip body can inflate to gigabytes).

use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, HeaderMap};
use std::io::Read;

/// The `Accept-Encoding` the fetcher sends: the codings [`decompress`] understands.
pub(crate) const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// A content coding the fetcher decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coding {
    /// No (or an unknown) coding: the body is passed on as it came.
    Identity,
    /// `gzip` / `x-gzip`.
    Gzip,
    /// `deflate` (zlib-wrapped, or raw deflate as some servers send).
    Deflate,
    /// `br`.
    Brotli,
}

impl Coding {
    /// The coding declared by `headers` (one token; several stacked codings are passed
    /// through undecoded).
    pub fn of(headers: &HeaderMap) -> Coding {
        let Some(v) = headers.get(CONTENT_ENCODING) else {
            return Coding::Identity;
        };
        let v = String::from_utf8_lossy(v.as_bytes())
            .trim()
            .to_ascii_lowercase();
        match v.as_str() {
            "gzip" | "x-gzip" => Coding::Gzip,
            "deflate" => Coding::Deflate,
            "br" => Coding::Brotli,
            _ => Coding::Identity,
        }
    }
}

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecompressError {
    /// It decodes to more than the cap.
    TooLarge,
    /// It does not decode.
    Corrupt(String),
}

/// Decode `raw` per `coding`, reading at most `cap` decoded bytes.
pub(crate) fn decompress(
    raw: Vec<u8>,
    coding: Coding,
    cap: u64,
) -> Result<Vec<u8>, DecompressError> {
    match coding {
        Coding::Identity => Ok(raw),
        Coding::Gzip => read_capped(flate2::read::MultiGzDecoder::new(&raw[..]), cap),
        Coding::Deflate => {
            read_capped(flate2::read::ZlibDecoder::new(&raw[..]), cap).or_else(|e| match e {
                DecompressError::Corrupt(_) => {
                    read_capped(flate2::read::DeflateDecoder::new(&raw[..]), cap)
                }
                e => Err(e),
            })
        }
        Coding::Brotli => read_capped(brotli_decompressor::Decompressor::new(&raw[..], 8192), cap),
    }
}

fn read_capped(reader: impl Read, cap: u64) -> Result<Vec<u8>, DecompressError> {
    let mut out = Vec::new();
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecompressError::Corrupt(e.to_string()))?;
    if out.len() as u64 > cap {
        return Err(DecompressError::TooLarge);
    }
    Ok(out)
}

/// The headers handed on with a decoded body: what the HTTP client used to hand on, i.e.
/// without `Content-Encoding` and `Content-Length` when the coding is one we decode.
pub(crate) fn decoded_headers(mut headers: HeaderMap) -> HeaderMap {
    if Coding::of(&headers) != Coding::Identity {
        headers.remove(CONTENT_ENCODING);
        headers.remove(CONTENT_LENGTH);
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use std::io::Write;

    const TEXT: &[u8] = "<p>新闻 news</p>".as_bytes();

    fn gzip(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn headers(ce: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_ENCODING, HeaderValue::from_str(ce).unwrap());
        h.insert(CONTENT_LENGTH, HeaderValue::from_static("12"));
        h
    }

    #[test]
    fn codings_are_recognised() {
        assert_eq!(Coding::of(&HeaderMap::new()), Coding::Identity);
        assert_eq!(Coding::of(&headers("GZIP")), Coding::Gzip);
        assert_eq!(Coding::of(&headers("x-gzip")), Coding::Gzip);
        assert_eq!(Coding::of(&headers(" deflate")), Coding::Deflate);
        assert_eq!(Coding::of(&headers("br")), Coding::Brotli);
        assert_eq!(Coding::of(&headers("zstd")), Coding::Identity);
        assert_eq!(Coding::of(&headers("gzip, br")), Coding::Identity);
    }

    #[test]
    fn gzip_and_deflate_decode() {
        assert_eq!(decompress(gzip(TEXT), Coding::Gzip, 1000).unwrap(), TEXT);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(TEXT).unwrap();
        assert_eq!(
            decompress(z.finish().unwrap(), Coding::Deflate, 1000).unwrap(),
            TEXT
        );
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        d.write_all(TEXT).unwrap();
        assert_eq!(
            decompress(d.finish().unwrap(), Coding::Deflate, 1000).unwrap(),
            TEXT
        );
        assert_eq!(
            decompress(TEXT.to_vec(), Coding::Identity, 1).unwrap(),
            TEXT
        );
    }

    #[test]
    fn brotli_decodes() {
        let mut w = brotli::CompressorWriter::new(Vec::new(), 4096, 9, 22);
        w.write_all(TEXT).unwrap();
        let br = w.into_inner();
        assert_ne!(br, TEXT);
        assert_eq!(decompress(br, Coding::Brotli, 100).unwrap(), TEXT);
    }

    #[test]
    fn bombs_and_garbage_are_errors() {
        let big = gzip(&vec![b'a'; 100_000]);
        assert!(big.len() < 1000);
        assert_eq!(
            decompress(big.clone(), Coding::Gzip, 99_999),
            Err(DecompressError::TooLarge)
        );
        assert_eq!(
            decompress(big, Coding::Gzip, 100_000).unwrap().len(),
            100_000
        );
        assert!(matches!(
            decompress(b"not gzip".to_vec(), Coding::Gzip, 100),
            Err(DecompressError::Corrupt(_))
        ));
        let mut torn = gzip(TEXT);
        torn.truncate(torn.len() - 6);
        assert!(matches!(
            decompress(torn, Coding::Gzip, 100),
            Err(DecompressError::Corrupt(_))
        ));
    }

    #[test]
    fn decoded_headers_drop_encoding_and_length() {
        let h = decoded_headers(headers("gzip"));
        assert!(h.get(CONTENT_ENCODING).is_none() && h.get(CONTENT_LENGTH).is_none());
        let h = decoded_headers(headers("zstd"));
        assert_eq!(h[CONTENT_ENCODING], "zstd");
        assert_eq!(h[CONTENT_LENGTH], "12");
    }
}
