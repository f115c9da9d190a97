//! The URL layout: article ids and dates from sequence numbers and back, and the
//! self-checking hex names of images and attachments, so that every URL maps back to what
//! it shows in O(1) without storing anything per article.

use super::rng::mix;
use jiff::civil::Date;

/// Most articles a section may have (dates stay within jiff's range).
pub const MAX_ARTICLES: u64 = 1_000_000;

/// The date of the oldest article of every section.
const FIRST_DAY: Date = jiff::civil::date(2022, 3, 1);

/// First VSB article id; ids grow by 1 to 3 per article.
const VSB_BASE: u64 = 1000;
/// First WebPlus article id; ids grow by 1 or 2 per article.
const WEBPLUS_BASE: u64 = 240_000;
/// The VSB site owner id (in attachment URLs and view-counter scripts).
pub const VSB_OWNER: u64 = 1_693_921_601;
/// First VSB attachment file id.
const VSB_FILE_BASE: u64 = 100_000;
/// Salt of the mask over the first half of hex names.
const HEX_SALT: u64 = 0x5A17_C0DE_2020_0416;

/// Kinds of hex-named resources (top byte of the key).
const KIND_IMAGE: u64 = 1;
const KIND_SHARED_IMAGE: u64 = 2;
const KIND_ATTACHMENT: u64 = 3;

/// The publication date of article `seq` (0 = oldest): two or three articles every two days.
pub fn article_date(seq: u64) -> Date {
    let days = (seq * 2 / 3) as i64;
    FIRST_DAY
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(jiff::civil::date(9999, 12, 31))
}

/// VSB article id of `seq` in `column`.
pub fn vsb_id(seed: u64, column: u32, seq: u64) -> u64 {
    VSB_BASE + 3 * seq + mix(seed ^ mix(u64::from(column) ^ mix(seq))) % 3
}

/// The sequence number behind a VSB article id.
pub fn vsb_seq(seed: u64, column: u32, id: u64) -> Option<u64> {
    let seq = id.checked_sub(VSB_BASE)? / 3;
    (vsb_id(seed, column, seq) == id).then_some(seq)
}

/// WebPlus article id of `seq` in `column`.
pub fn webplus_id(seed: u64, column: u32, seq: u64) -> u64 {
    WEBPLUS_BASE + 2 * seq + mix(seed ^ mix(u64::from(column) ^ mix(seq ^ 0xA5))) % 2
}

/// The sequence number behind a WebPlus article id.
pub fn webplus_seq(seed: u64, column: u32, id: u64) -> Option<u64> {
    let seq = id.checked_sub(WEBPLUS_BASE)? / 2;
    (webplus_id(seed, column, seq) == id).then_some(seq)
}

/// A content image: unique to one article, or one of the shared pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageKey {
    /// Image `index` of article `seq` of section `section`.
    Own {
        /// Section index.
        section: usize,
        /// Article sequence number.
        seq: u64,
        /// Position among the article's images.
        index: u8,
    },
    /// Image `n` of the pool shared by many articles.
    Shared(u16),
}

/// An attachment: file `index` of article `seq` of section `section`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileKey {
    /// Section index.
    pub section: usize,
    /// Article sequence number.
    pub seq: u64,
    /// Position among the article's attachments (0..8).
    pub index: u8,
}

fn pack(kind: u64, section: usize, seq: u64, index: u8) -> u64 {
    (kind << 56)
        | ((section as u64 & 0xFF) << 48)
        | ((seq & 0xFF_FFFF_FFFF) << 8)
        | u64::from(index)
}

fn unpack(raw: u64) -> (u64, usize, u64, u8) {
    (
        raw >> 56,
        ((raw >> 48) & 0xFF) as usize,
        (raw >> 8) & 0xFF_FFFF_FFFF,
        (raw & 0xFF) as u8,
    )
}

impl ImageKey {
    /// The packed 64-bit key (also seeds the image's pixels).
    pub fn raw(self) -> u64 {
        match self {
            ImageKey::Own {
                section,
                seq,
                index,
            } => pack(KIND_IMAGE, section, seq, index),
            ImageKey::Shared(n) => (KIND_SHARED_IMAGE << 56) | u64::from(n),
        }
    }

    fn from_raw(raw: u64) -> Option<Self> {
        match unpack(raw) {
            (KIND_IMAGE, section, seq, index) => Some(ImageKey::Own {
                section,
                seq,
                index,
            }),
            (KIND_SHARED_IMAGE, 0, _, _) => u16::try_from(raw & 0xFFFF_FFFF_FFFF)
                .ok()
                .map(ImageKey::Shared),
            _ => None,
        }
    }

    /// `jpg` or `png`, fixed per image.
    pub fn ext(self) -> &'static str {
        if mix(self.raw() ^ 0x1F).is_multiple_of(4) {
            "png"
        } else {
            "jpg"
        }
    }

    /// VSB path: `/__local/B/D4/F2/<27 hex>_<8 hex>_<4 hex>.jpg`.
    pub fn vsb_path(self) -> String {
        let h = key_hex(self.raw()).to_ascii_uppercase();
        let tail = mix(self.raw() ^ 0x7E);
        format!(
            "/__local/{}/{}/{}/{}_{:08X}_{:04X}.{}",
            &h[..1],
            &h[1..3],
            &h[3..5],
            &h[5..],
            tail >> 32,
            tail & 0xFFFF,
            self.ext()
        )
    }

    /// VSB's `vurl` attribute for the image: `/_vsl/<32 hex>/<8 hex>/<4 hex>`.
    pub fn vsb_vurl(self) -> String {
        let p = self.vsb_path();
        let stem = p
            .trim_start_matches("/__local/")
            .split('.')
            .next()
            .unwrap_or_default()
            .replace('/', "");
        format!("/_vsl/{}", stem.replace('_', "/"))
    }

    /// WebPlus path: `/_upload/article/images/2f/12/<24 hex>/<32 hex>.jpg`.
    pub fn webplus_path(self) -> String {
        let h = key_hex(self.raw());
        format!(
            "/_upload/article/images/{}/{}/{}/{}.{}",
            &h[..2],
            &h[2..4],
            &h[4..28],
            h,
            self.ext()
        )
    }

    /// The image behind a path made by [`Self::vsb_path`] or [`Self::webplus_path`] (the
    /// WebPlus `_d` "original" variant included).
    pub fn parse_path(path: &str) -> Option<ImageKey> {
        let (stem, ext) = path.rsplit_once('.')?;
        let key = if let Some(rest) = stem.strip_prefix("/__local/") {
            let parts: Vec<&str> = rest.split('/').collect();
            let [a, b, c, file] = parts.as_slice() else {
                return None;
            };
            let head = file.split('_').next()?;
            if a.len() != 1 || b.len() != 2 || c.len() != 2 {
                return None;
            }
            parse_key_hex(&format!("{a}{b}{c}{head}"))?
        } else if let Some(rest) = stem.strip_prefix("/_upload/article/images/") {
            let file = rest.rsplit('/').next()?;
            parse_key_hex(file.strip_suffix("_d").unwrap_or(file))?
        } else {
            return None;
        };
        let img = ImageKey::from_raw(key)?;
        (img.ext() == ext && (path == img.vsb_path() || path.starts_with("/_upload/")))
            .then_some(img)
    }
}

impl FileKey {
    /// The packed 64-bit key.
    pub fn raw(self) -> u64 {
        pack(KIND_ATTACHMENT, self.section, self.seq, self.index)
    }

    /// `pdf`, `docx` or `xlsx`, fixed per file.
    pub fn ext(self) -> &'static str {
        match mix(self.raw() ^ 0x2B) % 10 {
            0..=4 => "pdf",
            5..=7 => "docx",
            _ => "xlsx",
        }
    }

    /// VSB download id (`wbfileid`).
    pub fn vsb_file_id(self) -> u64 {
        VSB_FILE_BASE + ((self.seq * 8 + u64::from(self.index & 7)) * 8 + self.section as u64)
    }

    /// The file behind a VSB `wbfileid`.
    pub fn from_vsb_file_id(id: u64) -> Option<FileKey> {
        let v = id.checked_sub(VSB_FILE_BASE)?;
        Some(FileKey {
            section: (v % 8) as usize,
            index: ((v / 8) % 8) as u8,
            seq: v / 64,
        })
    }

    /// VSB path and query: `/system/_content/download.jsp?urltype=…&owner=…&wbfileid=…`.
    pub fn vsb_path(self) -> String {
        format!(
            "/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner={VSB_OWNER}&wbfileid={}",
            self.vsb_file_id()
        )
    }

    /// WebPlus path: `/_upload/article/files/f0/a4/<24 hex>/<uuid>.pdf`.
    pub fn webplus_path(self) -> String {
        let h = key_hex(self.raw());
        format!(
            "/_upload/article/files/{}/{}/{}/{}-{}-{}-{}-{}.{}",
            &h[..2],
            &h[2..4],
            &h[4..28],
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..],
            self.ext()
        )
    }

    /// The file behind a WebPlus path made by [`Self::webplus_path`].
    pub fn parse_webplus_path(path: &str) -> Option<FileKey> {
        let rest = path.strip_prefix("/_upload/article/files/")?;
        let (stem, ext) = rest.rsplit('/').next()?.rsplit_once('.')?;
        let raw = parse_key_hex(&stem.replace('-', ""))?;
        let (kind, section, seq, index) = unpack(raw);
        let key = FileKey {
            section,
            seq,
            index,
        };
        (kind == KIND_ATTACHMENT && key.ext() == ext && key.webplus_path() == path).then_some(key)
    }
}

/// 32 lowercase hex digits: the key masked by a hash of the check value, then the check
/// value (a hash of the key), so names look random but decode in O(1).
fn key_hex(raw: u64) -> String {
    let check = mix(raw);
    format!("{:016x}{check:016x}", raw ^ mix(check ^ HEX_SALT))
}

fn parse_key_hex(h: &str) -> Option<u64> {
    if h.len() != 32 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let check = u64::from_str_radix(&h[16..], 16).ok()?;
    let raw = u64::from_str_radix(&h[..16], 16).ok()? ^ mix(check ^ HEX_SALT);
    (mix(raw) == check).then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_ids_round_trip_and_grow() {
        let mut last = 0;
        for seq in 0..2000 {
            let v = vsb_id(7, 1078, seq);
            assert!(v > last);
            last = v;
            assert_eq!(vsb_seq(7, 1078, v), Some(seq));
            let w = webplus_id(7, 9364, seq);
            assert_eq!(webplus_seq(7, 9364, w), Some(seq));
        }
        let misses = (1000..7000)
            .filter(|&id| vsb_seq(7, 1078, id).is_none())
            .count();
        assert!(misses > 3000, "most ids are not articles: {misses}");
        assert!(article_date(0) < article_date(3));
        assert!(article_date(MAX_ARTICLES).year() < 9999);
    }

    #[test]
    fn image_and_file_paths_round_trip() {
        let keys = [
            ImageKey::Own {
                section: 1,
                seq: 123_456,
                index: 2,
            },
            ImageKey::Shared(7),
        ];
        for k in keys {
            assert_eq!(
                ImageKey::parse_path(&k.vsb_path()),
                Some(k),
                "{}",
                k.vsb_path()
            );
            let wp = k.webplus_path();
            assert_eq!(ImageKey::parse_path(&wp), Some(k), "{wp}");
            let orig = wp.replace(&format!(".{}", k.ext()), &format!("_d.{}", k.ext()));
            assert_eq!(ImageKey::parse_path(&orig), Some(k));
        }
        assert_eq!(ImageKey::parse_path("/__local/0/00/00/abc_1_2.jpg"), None);
        let f = FileKey {
            section: 1,
            seq: 99,
            index: 1,
        };
        assert_eq!(FileKey::parse_webplus_path(&f.webplus_path()), Some(f));
        assert_eq!(FileKey::from_vsb_file_id(f.vsb_file_id()), Some(f));
        let mut bad = f.webplus_path();
        let at = bad.rfind('/').unwrap_or(0) + 3;
        let flip = if &bad[at..=at] == "0" { "1" } else { "0" };
        bad.replace_range(at..=at, flip);
        assert_eq!(FileKey::parse_webplus_path(&bad), None);
    }
}
