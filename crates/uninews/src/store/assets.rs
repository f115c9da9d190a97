//! Content-addressed files of a crawl (images, attachments): `<folder>/<h2>/<sha256>.<ext>`
//! under the crawl folder, where `<sha256>` is the hex SHA-256 of the bytes and `<h2>` its
//! first two digits. The same bytes are one file, whatever URL they came from; a file's
//! name is its checksum.
//!
//! The extension comes from the bytes when the format has a signature (JPEG, PNG, GIF,
//! WebP, AVIF, PDF), else from the `Content-Type`, else from the URL's or the link's file
//! name, else `bin`. Before writing, any file of the same hash in the folder is reused, so
//! identical bytes served under two types still make one file (two concurrent first
//! downloads of the same bytes with different extensions are the one exception).
//! Writes are atomic ([`write_atomic`]).

use super::pages::content_hash;
use super::{StoreError, write_atomic};
use std::path::{Path, PathBuf};
use url::Url;

/// Longest extension kept.
const MAX_EXT: usize = 8;

/// URL extensions that name a server script, not the file it sends.
const SCRIPT_EXTS: [&str; 11] = [
    "jsp", "php", "asp", "aspx", "do", "action", "cgi", "htm", "html", "shtml", "ashx",
];

/// One content-addressed folder (`DIR/images`, `DIR/attachments`).
#[derive(Debug, Clone)]
pub struct AssetStore {
    out: PathBuf,
    folder: String,
}

/// A stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// Path relative to the crawl folder, `/`-separated: `images/ab/abcd….jpg`.
    pub rel: String,
    /// Hex SHA-256 of the bytes.
    pub hash: String,
    /// Size in bytes.
    pub size: u64,
    /// False when a file with these bytes was already stored.
    pub new: bool,
}

impl AssetStore {
    /// A store in `out/folder` (created on first write).
    pub fn new(out: impl Into<PathBuf>, folder: &str) -> Self {
        AssetStore {
            out: out.into(),
            folder: folder.to_string(),
        }
    }

    /// Store `body` as `<folder>/<h2>/<sha256>.<ext>`, unless a file of that hash is
    /// already there (with any extension).
    pub fn save(&self, body: &[u8], ext: &str) -> Result<StoredFile, StoreError> {
        let hash = content_hash(body);
        let ext = clean_ext(ext).unwrap_or_else(|| "bin".to_string());
        let dir_rel = format!("{}/{}", self.folder, &hash[..2]);
        let dir = self.out.join(&dir_rel);
        let done = |name: String, new| StoredFile {
            rel: format!("{dir_rel}/{name}"),
            hash: hash.clone(),
            size: body.len() as u64,
            new,
        };
        let name = format!("{hash}.{ext}");
        if dir.join(&name).is_file() {
            return Ok(done(name, false));
        }
        if let Some(existing) = same_hash(&dir, &hash)? {
            return Ok(done(existing, false));
        }
        write_atomic(&dir.join(&name), body)?;
        Ok(done(name, true))
    }

    /// The absolute path of a stored file's relative path.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }
}

/// A file named `<hash>.<anything>` in `dir`, if any.
fn same_hash(dir: &Path, hash: &str) -> Result<Option<String>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(dir)(e)),
    };
    for entry in entries {
        let name = entry.map_err(StoreError::io(dir))?.file_name();
        let name = name.to_string_lossy();
        if name.strip_prefix(hash).is_some_and(|r| r.starts_with('.')) {
            return Ok(Some(name.into_owned()));
        }
    }
    Ok(None)
}

/// The file extension for `body` (see the module docs): signature, then content type,
/// then the final URL's file name, then `name` (an attachment's link text), then `bin`.
pub fn extension(body: &[u8], content_type: Option<&str>, url: &Url, name: Option<&str>) -> String {
    sniff(body)
        .map(str::to_string)
        .or_else(|| content_type.and_then(from_content_type).map(str::to_string))
        .or_else(|| {
            let last = url.path_segments()?.next_back()?;
            file_ext(&percent_decoded(last))
        })
        .or_else(|| name.and_then(file_ext))
        .or_else(|| {
            content_type
                .and_then(generic_content_type)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "bin".to_string())
}

/// True when the body looks like an HTML page (an error or login page served instead of
/// a file): declared `text/html` (or XHTML) and no known binary signature.
pub fn is_html_instead(body: &[u8], content_type: Option<&str>) -> bool {
    let essence = essence(content_type.unwrap_or_default());
    (essence == "text/html" || essence == "application/xhtml+xml") && sniff(body).is_none()
}

fn sniff(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("gif")
    } else if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some("webp")
    } else if b.len() >= 12 && &b[4..12] == b"ftypavif" {
        Some("avif")
    } else if b.starts_with(b"%PDF-") {
        Some("pdf")
    } else {
        None
    }
}

fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn from_content_type(ct: &str) -> Option<&'static str> {
    Some(match essence(ct).as_str() {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/avif" => "avif",
        "image/svg+xml" => "svg",
        "image/bmp" | "image/x-ms-bmp" => "bmp",
        "image/tiff" => "tif",
        "image/x-icon" | "image/vnd.microsoft.icon" => "ico",
        "application/pdf" => "pdf",
        "application/msword" => "doc",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.ms-powerpoint" => "ppt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        "application/x-rar-compressed" | "application/vnd.rar" => "rar",
        "application/x-7z-compressed" => "7z",
        "text/plain" => "txt",
        "text/csv" => "csv",
        "video/mp4" => "mp4",
        "audio/mpeg" => "mp3",
        _ => return None,
    })
}

/// Types that say little about the file (a `.docx` is a ZIP): used after the names.
fn generic_content_type(ct: &str) -> Option<&'static str> {
    match essence(ct).as_str() {
        "application/zip" | "application/x-zip-compressed" => Some("zip"),
        _ => None,
    }
}

/// The extension of a file name, when it is a plausible file type (not `.jsp`, `.php`, …).
fn file_ext(name: &str) -> Option<String> {
    let (stem, ext) = name.trim().rsplit_once('.')?;
    let ext = clean_ext(ext)?;
    (!stem.is_empty() && !SCRIPT_EXTS.contains(&ext.as_str())).then_some(ext)
}

fn clean_ext(ext: &str) -> Option<String> {
    let ok = !ext.is_empty()
        && ext.len() <= MAX_EXT
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && ext.chars().any(|c| c.is_ascii_alphabetic());
    ok.then(|| ext.to_ascii_lowercase())
}

fn percent_decoded(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn extension_prefers_the_signature_then_type_then_names() {
        let u = url("http://x.edu.cn/a/photo");
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
        assert_eq!(extension(&jpeg, Some("image/png"), &u, None), "jpg");
        assert_eq!(extension(b"\x89PNG\r\n\x1a\n..", None, &u, None), "png");
        assert_eq!(extension(b"RIFF\0\0\0\0WEBPVP8 ", None, &u, None), "webp");
        assert_eq!(extension(b"%PDF-1.4", None, &u, None), "pdf");
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(extension(b"PK\x03\x04", Some(docx), &u, None), "docx");
        let dl = url("http://x.edu.cn/system/_content/download.jsp?wbfileid=1");
        let zip = Some("application/zip");
        assert_eq!(
            extension(b"PK\x03\x04", zip, &dl, Some("通知.XLSX")),
            "xlsx"
        );
        assert_eq!(extension(b"PK\x03\x04", zip, &dl, None), "zip");
        let octet = Some("application/octet-stream");
        assert_eq!(extension(b"??", octet, &dl, None), "bin");
        let named = url("http://x.edu.cn/files/%E9%99%84%E4%BB%B6.Doc");
        assert_eq!(extension(b"??", octet, &named, None), "doc");
        assert_eq!(
            extension(b"??", None, &url("http://x.edu.cn/a.tar.gz"), None),
            "gz"
        );
        assert_eq!(
            extension(b"??", None, &url("http://x.edu.cn/.htaccess"), None),
            "bin"
        );
        assert_eq!(
            extension(b"??", None, &url("http://x.edu.cn/a.b/c"), None),
            "bin"
        );
        assert_eq!(
            extension(b"??", None, &url("http://x.edu.cn/f.7z"), None),
            "7z"
        );
        assert_eq!(
            extension(b"??", None, &url("http://x.edu.cn/v.123"), None),
            "bin"
        );
    }

    #[test]
    fn html_error_pages_are_told_apart_from_files() {
        assert!(is_html_instead(
            b"<html>404",
            Some("text/html; charset=utf-8")
        ));
        assert!(!is_html_instead(&[0xFF, 0xD8, 0xFF, 0], Some("text/html")));
        assert!(!is_html_instead(b"%PDF-1.4", None));
        assert!(!is_html_instead(b"PK", Some("application/zip")));
    }

    #[test]
    fn same_bytes_are_one_file_named_by_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = AssetStore::new(dir.path(), "images");
        let a = store.save(b"image bytes", "jpg").unwrap();
        let hash = content_hash(b"image bytes");
        assert_eq!(a.rel, format!("images/{}/{hash}.jpg", &hash[..2]));
        assert!(a.new);
        assert_eq!(std::fs::read(store.path(&a.rel)).unwrap(), b"image bytes");
        // Again, even under another extension: the stored file is reused.
        let b = store.save(b"image bytes", "png").unwrap();
        assert_eq!((b.rel.as_str(), b.new), (a.rel.as_str(), false));
        let c = store.save(b"other bytes", "jpg").unwrap();
        assert_ne!(c.rel, a.rel);
        let files: Vec<_> = walk(&dir.path().join("images"));
        assert_eq!(files.len(), 2, "{files:?}");
        assert_eq!(
            store.save(b"x", "../../x").unwrap().rel.rsplit('.').next(),
            Some("bin")
        );
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }
}
