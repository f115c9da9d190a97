//! Article extraction: HTML text in, [`Record`] out. Pure: no IO, no runtime.
//!
//! Rules are tried in this order: the site profile matching the page's host (`profile:<name>`),
//! the built-in rules of the CMS the page was made with (`cms:vsb`, `cms:webplus`), then a
//! generic extractor for any other page (`generic`).
//! PLACEHOLDER: the extraction work replaces the body of [`extract`].

use crate::decode;
use crate::record::Record;
use crate::selectors::{Profile, ProfileSet};
use url::Url;

/// A record plus what went wrong on the way (best effort: never an error).
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The record.
    pub record: Record,
    /// Notes for the user: undecodable bytes, missing title, truncated input, ...
    pub warnings: Vec<String>,
}

/// Extract the article of `html`, served at `url`, using `profile` when given.
pub fn extract(html: &str, url: &Url, profile: Option<&Profile>) -> Extraction {
    let extractor =
        profile.map_or_else(|| "generic".to_string(), |p| format!("profile:{}", p.name));
    let mut record = Record::empty(url.as_str(), extractor);
    record.site = profile.map(|p| p.name.clone());
    let doc = scraper::Html::parse_document(html);
    if let Ok(sel) = scraper::Selector::parse("title") {
        if let Some(t) = doc.select(&sel).next() {
            record.title = crate::text::normalize_ws(&t.text().collect::<String>());
        }
    }
    Extraction {
        record,
        warnings: Vec::new(),
    }
}

/// Which profile rules to use for a page.
#[derive(Debug, Clone, Default)]
pub enum ProfileChoice {
    /// The profile whose hosts cover the page URL, if any.
    #[default]
    ByHost,
    /// Always this profile.
    Forced(Box<Profile>),
    /// No site profile: CMS rules and the generic extractor only.
    Off,
}

/// Decoding plus profile choice plus extraction: what `uninews extract` and the crawler
/// both run on a page's raw bytes.
#[derive(Debug, Clone)]
pub struct Extractor {
    profiles: ProfileSet,
    choice: ProfileChoice,
}

impl Extractor {
    /// An extractor over `profiles`, choosing among them as `choice` says.
    pub fn new(profiles: ProfileSet, choice: ProfileChoice) -> Self {
        Extractor { profiles, choice }
    }

    /// The profile that would be used for `url`.
    pub fn profile_for(&self, url: &Url) -> Option<&Profile> {
        match &self.choice {
            ProfileChoice::ByHost => self.profiles.for_url(url),
            ProfileChoice::Forced(p) => Some(p),
            ProfileChoice::Off => None,
        }
    }

    /// Decode `bytes` (with `charset` as declared by `--charset` or HTTP) and extract.
    pub fn extract_bytes(&self, bytes: &[u8], url: &Url, charset: Option<&str>) -> Extraction {
        let tld = url
            .host_str()
            .and_then(|h| h.rsplit('.').next())
            .map(str::to_string);
        let decoded = decode::decode(bytes, charset, tld.as_deref());
        let mut out = extract(&decoded.text, url, self.profile_for(url));
        let mut warnings = decoded.warnings;
        if decoded.had_errors {
            warnings.push(format!(
                "invalid {} byte sequences were replaced with U+FFFD",
                decoded.encoding.name()
            ));
        }
        warnings.append(&mut out.warnings);
        out.warnings = warnings;
        out
    }
}
