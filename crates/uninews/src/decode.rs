//! Bytes to text, in the order a browser uses: byte-order mark, an explicitly declared
//! charset (`--charset` or the HTTP `Content-Type`), the page's own `<meta charset>` /
//! `http-equiv`, then statistical detection (chardetng) over the page.
//!
//! GBK and GB2312 labels decode as GB18030 (a superset), Big5 as Big5-HKSCS as the WHATWG
//! Encoding Standard prescribes. Invalid sequences become U+FFFD; decoding never fails.
//! A declaration that the bytes contradict (a GBK page labelled UTF-8, the classic mirror
//! mistake) is overruled by detection, with a warning.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};
use regex::bytes::Regex;
use std::sync::LazyLock;

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark at the start of the bytes.
    Bom,
    /// The caller's declaration (`--charset`, HTTP `Content-Type`).
    Declared,
    /// The page's `<meta charset>` or `<meta http-equiv="Content-Type">`.
    Meta,
    /// chardetng's guess over the bytes.
    Detected,
    /// Forced by the user (`extract --charset`): wins over everything, BOM included.
    Forced,
}

/// The result of [`decode`].
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The page text.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Why that encoding was used.
    pub source: CharsetSource,
    /// True when malformed sequences were replaced by U+FFFD.
    pub had_errors: bool,
    /// Human-readable notes (unknown labels, overruled declarations).
    pub warnings: Vec<String>,
}

/// How many leading bytes are searched for a `<meta>` declaration. WHATWG says 1024; real
/// university pages put long comments and scripts first, so we look further.
const META_PRESCAN: usize = 8 * 1024;

/// How many bytes chardetng reads; enough for a stable guess on any real page.
const DETECT_PREFIX: usize = 256 * 1024;

/// Share of U+FFFD (per mille of decoded chars) above which a UTF-8 declaration is judged
/// wrong and detection is consulted.
const UTF8_ERROR_PER_MILLE: usize = 5;

/// Mostly UTF-8: at most one invalid sequence per this many valid multi-byte characters
/// (a UTF-8 page with a few bad bytes). A GBK page read as UTF-8 has far more invalid
/// sequences than valid ones (a valid one only by chance), so it is never mostly UTF-8.
const UTF8_VALID_PER_INVALID: usize = 10;

/// Undeclared bytes are taken as mostly UTF-8 only with at least this many valid
/// multi-byte characters (a page with little non-ASCII text is left to detection).
const UTF8_MIN_MULTIBYTE: usize = 32;

/// Decode `bytes`. `declared` is an explicit charset label (from `--charset` or the HTTP
/// header), `tld` the page host's top-level domain (`"cn"`), which sharpens detection.
///
/// Damage stays local: bytes that are mostly UTF-8 (declared so or not) decode as UTF-8,
/// each bad sequence a U+FFFD, rather than the whole page in another encoding.
pub fn decode(bytes: &[u8], declared: Option<&str>, tld: Option<&str>) -> Decoded {
    let mut warnings: Vec<String> = blank_warning(bytes).into_iter().collect();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding: enc,
            source: CharsetSource::Bom,
            had_errors,
            warnings,
        };
    }
    let mut chosen: Option<(&'static Encoding, CharsetSource)> = None;
    if let Some(label) = declared {
        match lookup(label) {
            Some(enc) => chosen = Some((enc, CharsetSource::Declared)),
            None => warnings.push(format!("unknown declared charset {label:?}, ignored")),
        }
    }
    if chosen.is_none() {
        match meta_charset(bytes) {
            Some(Ok(enc)) => chosen = Some((enc, CharsetSource::Meta)),
            Some(Err(label)) => warnings.push(format!("unknown <meta> charset {label:?}, ignored")),
            None => {}
        }
    }
    if let Some((enc, source)) = chosen {
        if source == CharsetSource::Meta
            && enc != UTF_8
            && !bytes.is_ascii()
            && std::str::from_utf8(bytes).is_ok()
        {
            // A page saved or re-served as UTF-8 without fixing its `<meta>` (mirrors,
            // benchmark dumps): real GBK, Shift_JIS or EUC text is practically never valid
            // UTF-8, so the bytes are the stronger evidence. A caller's declaration (HTTP)
            // is not overruled this way.
            warnings.push(format!(
                "page declares {} in <meta> but is valid UTF-8; decoded as UTF-8",
                enc.name()
            ));
            return finish(bytes, UTF_8, CharsetSource::Detected, warnings);
        }
        if enc != UTF_8 || plausible_utf8(bytes) {
            return finish(bytes, enc, source, warnings);
        }
        let guess = detect(bytes, tld);
        if guess != UTF_8 {
            warnings.push(format!(
                "page declares UTF-8 but is not valid UTF-8; decoded as {} (detected)",
                guess.name()
            ));
            return finish(bytes, guess, CharsetSource::Detected, warnings);
        }
        return finish(bytes, enc, source, warnings);
    }
    let utf8 = utf8_shape(bytes);
    if utf8.invalid > 0 && utf8.multibyte >= UTF8_MIN_MULTIBYTE && utf8.mostly() {
        return finish(bytes, UTF_8, CharsetSource::Detected, warnings);
    }
    finish(bytes, detect(bytes, tld), CharsetSource::Detected, warnings)
}

/// Decode `bytes` as `label` says, whatever the page declares or looks like: the user's
/// word (`extract --charset`) always wins. An unknown label falls back to [`decode`]
/// with a warning.
pub fn decode_forced(bytes: &[u8], label: &str, tld: Option<&str>) -> Decoded {
    let Some(enc) = lookup(label) else {
        let mut d = decode(bytes, None, tld);
        d.warnings
            .insert(0, format!("unknown --charset {label:?}, ignored"));
        return d;
    };
    let warnings: Vec<String> = blank_warning(bytes).into_iter().collect();
    finish(bytes, enc, CharsetSource::Forced, warnings)
}

/// The top-level domain of a page's host (`cn`), which sharpens detection.
pub fn page_tld(url: &url::Url) -> Option<&str> {
    url.host_str().and_then(|h| h.rsplit('.').next())
}

/// The warning for a page that holds nothing (see [`is_blank`]).
fn blank_warning(bytes: &[u8]) -> Option<String> {
    is_blank(bytes).then(|| {
        format!(
            "the page is empty ({} bytes, only NUL or white space): not an article",
            bytes.len()
        )
    })
}

/// True when the page holds nothing: no bytes, or only NUL bytes and ASCII white space.
/// Such a page is not an article (the crawl skips it as `empty`).
pub fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == 0 || b.is_ascii_whitespace())
}

/// Valid multi-byte characters and invalid sequences in the bytes read as UTF-8.
struct Utf8Shape {
    multibyte: usize,
    invalid: usize,
}

impl Utf8Shape {
    fn mostly(&self) -> bool {
        self.invalid * UTF8_VALID_PER_INVALID <= self.multibyte
    }
}

/// Count the shape of the first [`DETECT_PREFIX`] bytes as UTF-8.
fn utf8_shape(bytes: &[u8]) -> Utf8Shape {
    let mut rest = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let mut shape = Utf8Shape {
        multibyte: 0,
        invalid: 0,
    };
    let leads = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xC0).count();
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                shape.multibyte += leads(valid.as_bytes());
                return shape;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                shape.multibyte += leads(valid);
                shape.invalid += 1;
                match e.error_len() {
                    Some(n) => rest = after.get(n..).unwrap_or_default(),
                    // Cut mid-character at the end (of the page or of the prefix).
                    None => return shape,
                }
            }
        }
    }
}

/// The charset parameter of a `Content-Type` header value, if any.
pub fn charset_from_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// Encoding for a label, with GBK (and so GB2312) widened to GB18030 and the UTF-16
/// labels mapped to UTF-8, as WHATWG does for labels found in a page.
pub fn lookup(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    Some(widen(enc))
}

fn widen(enc: &'static Encoding) -> &'static Encoding {
    if enc == GBK {
        GB18030
    } else if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc
    }
}

fn finish(
    bytes: &[u8],
    enc: &'static Encoding,
    source: CharsetSource,
    warnings: Vec<String>,
) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc,
        source,
        had_errors,
        warnings,
    }
}

fn detect(bytes: &[u8], tld: Option<&str>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    det.feed(prefix, prefix.len() == bytes.len());
    let tld = tld
        .map(str::as_bytes)
        .filter(|t| t.iter().all(u8::is_ascii_alphanumeric));
    widen(det.guess(tld, chardetng::Utf8Detection::Allow))
}

/// True when the bytes are UTF-8, allowing a few stray bad bytes (a page cut mid-character,
/// one pasted symbol) but not a page in another encoding.
fn plausible_utf8(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return true;
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let text = String::from_utf8_lossy(prefix);
    let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
    let total = text.chars().count().max(1);
    bad * 1000 / total < UTF8_ERROR_PER_MILLE || utf8_shape(bytes).mostly()
}

static META: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)<meta\b[^>]*>").expect("static regex"));
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"#).expect("static regex")
});

/// The first `<meta>` charset declaration in the page's head: `Some(Ok)` for a known
/// label, `Some(Err(label))` for an unknown one.
fn meta_charset(bytes: &[u8]) -> Option<Result<&'static Encoding, String>> {
    let head = &bytes[..bytes.len().min(META_PRESCAN)];
    META.find_iter(head).find_map(|m| {
        let cap = META_CHARSET.captures(m.as_bytes())?;
        let label = String::from_utf8_lossy(&cap[1]).into_owned();
        Some(lookup(&label).ok_or(label))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GBK.encode(s).0.into_owned()
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=gbk>时讯".as_bytes());
        let d = decode(&bytes, Some("big5"), None);
        assert_eq!(d.source, CharsetSource::Bom);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.ends_with("时讯"));
    }

    #[test]
    fn declared_charset_beats_meta() {
        let bytes = gbk("<meta charset=utf-8><p>编辑 徐云飞</p>");
        let d = decode(&bytes, Some("GB2312"), None);
        assert_eq!(d.source, CharsetSource::Declared);
        assert_eq!(d.encoding, GB18030);
        assert!(d.text.contains("编辑 徐云飞"));
    }

    #[test]
    fn meta_http_equiv_is_read() {
        let html = r#"<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gb2312"></head><body>当前位置：首页 &gt; 时讯</body></html>"#;
        let d = decode(&gbk(html), None, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, GB18030);
        assert!(d.text.contains("当前位置：首页 &gt; 时讯"));
        assert!(!d.had_errors);
    }

    #[test]
    fn undeclared_gbk_is_detected() {
        let html = "<html><body><p>面对疫情“大考”，中国石油大学党委坚持以政治建设为统领，以严格组织生活制度为抓手，依托网络信息技术，推动组织生活上“云端”。</p></body></html>";
        let d = decode(&gbk(html), None, Some("cn"));
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(d.encoding, GB18030);
        assert!(d.text.contains("中国石油大学党委"));
    }

    #[test]
    fn gbk_page_labelled_utf8_is_overruled_with_a_warning() {
        let html = "<html><head><meta charset=\"utf-8\"></head><body><p>各院级单位党组织高度重视，精心谋划，认真组织，扎实将学校党委的各项要求落实落细。</p></body></html>";
        let d = decode(&gbk(html), None, Some("cn"));
        assert_eq!(d.encoding, GB18030);
        assert_eq!(d.source, CharsetSource::Detected);
        assert!(d.text.contains("各院级单位党组织"));
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    }

    #[test]
    fn big5_is_decoded() {
        let text = "<meta charset=big5><p>國立臺灣大學新聞中心</p>";
        let bytes = encoding_rs::BIG5.encode(text).0.into_owned();
        let d = decode(&bytes, None, None);
        assert_eq!(d.encoding, encoding_rs::BIG5);
        assert!(d.text.contains("國立臺灣大學新聞中心"));
    }

    #[test]
    fn garbage_never_panics_and_is_replaced() {
        let bytes: Vec<u8> = (0..10_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let d = decode(&bytes, Some("utf-8"), None);
        assert!(!d.text.is_empty());
        let d = decode(&[], None, None);
        assert!(d.text.is_empty());
    }

    #[test]
    fn unknown_labels_are_reported_not_fatal() {
        let d = decode(b"<meta charset=klingon>hi", Some("nope"), None);
        assert_eq!(d.warnings.len(), 2);
        assert!(d.text.ends_with("hi"));
    }

    /// A UTF-8 page of ~300 Chinese characters with 7 invalid bytes spread through it.
    fn utf8_with_bad_bytes(meta: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        if meta {
            bytes.extend_from_slice(b"<html><head><meta charset=\"utf-8\"></head><body>");
        } else {
            bytes.extend_from_slice(b"<html><body>");
        }
        for i in 0..7 {
            bytes.extend_from_slice(
                "<p>这是一条新闻，学校召开了工作会议，研究部署下一阶段的重点任务。".as_bytes(),
            );
            bytes.push([0xFF, 0xC3, 0x80, 0xE4, 0xFE, 0xA0, 0x9F][i]);
            bytes.extend_from_slice("会议要求各单位认真落实。</p>".as_bytes());
        }
        bytes.extend_from_slice(b"</body></html>");
        bytes
    }

    #[test]
    fn a_few_bad_bytes_stay_local_in_a_utf8_page() {
        for (meta, declared) in [(true, None), (false, Some("utf-8")), (false, None)] {
            let d = decode(&utf8_with_bad_bytes(meta), declared, Some("cn"));
            assert_eq!(d.encoding, UTF_8, "meta {meta}, declared {declared:?}");
            assert!(d.had_errors);
            assert_eq!(d.text.matches('\u{fffd}').count(), 7, "{}", d.text);
            assert_eq!(d.text.matches("这是一条新闻").count(), 7);
            assert!(!d.text.contains("è¿™"), "not windows-1252");
            assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        }
    }

    #[test]
    fn a_forced_charset_always_wins() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=gbk><p>中文新闻，学院动态</p>");
        let as_utf8 = decode_forced(&gbk, "utf-8", Some("cn"));
        assert_eq!(
            (as_utf8.encoding, as_utf8.source),
            (UTF_8, CharsetSource::Forced)
        );
        assert!(
            as_utf8.had_errors,
            "GBK bytes read as UTF-8 give U+FFFD, as asked"
        );
        let bom = [&[0xEF, 0xBB, 0xBF][..], "<p>é</p>".as_bytes()].concat();
        assert_eq!(
            decode_forced(&bom, "windows-1252", None).encoding.name(),
            "windows-1252"
        );
        let unknown = decode_forced(&gbk, "x-bogus", Some("cn"));
        assert_eq!(
            unknown.encoding,
            encoding_rs::GB18030,
            "the page's own <meta> then"
        );
        assert!(unknown.warnings[0].contains("x-bogus"));
    }

    #[test]
    fn a_declared_charset_still_wins_over_mostly_utf8_bytes() {
        let d = decode(&utf8_with_bad_bytes(true), Some("gbk"), None);
        assert_eq!(d.encoding, GB18030);
        assert_eq!(d.source, CharsetSource::Declared);
    }

    #[test]
    fn empty_and_nul_pages_are_flagged() {
        for bytes in [&b""[..], &[0u8; 4096][..], b"\0\0 \r\n\t\0"] {
            assert!(is_blank(bytes));
            let d = decode(bytes, None, None);
            assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
            assert!(d.warnings[0].contains("empty"), "{:?}", d.warnings);
        }
        assert!(!is_blank(b"\0<p>x</p>"));
    }

    #[test]
    fn content_type_charset_parameter() {
        assert_eq!(
            charset_from_content_type("text/html; charset=GBK"),
            Some("GBK")
        );
        assert_eq!(
            charset_from_content_type("text/html;charset=\"utf-8\""),
            Some("utf-8")
        );
        assert_eq!(charset_from_content_type("text/html"), None);
    }
}
