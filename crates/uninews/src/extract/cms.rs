//! Built-in CMS rule sets (`cms/*.toml`, compiled in): VSB/博达 (`cms:vsb`),
//! WebPlus/SudyTech (`cms:webplus`) and TRS WCM (`cms:trs`). They use the site-profile format, so a CMS rule set is
//! just a profile chosen by markers in the page instead of by host.

use crate::selectors::ExtractRules;
use crate::selectors::rules::{RawBody, RawDates, RawFields, compile};
use serde::Deserialize;
use std::path::Path;
use std::sync::LazyLock;

/// A built-in CMS rule set (the profile-like rules of one CMS; the crawler's list-page
/// counterpart is [`crate::frontier::discover::Cms`]).
#[derive(Debug)]
pub struct CmsRules {
    /// Short name (`vsb`), used as `extractor = "cms:<name>"`.
    pub name: String,
    /// Strings of the raw page that identify the CMS.
    pub markers: Vec<String>,
    /// How many markers must be present.
    pub min_markers: usize,
    /// The extraction rules.
    pub rules: ExtractRules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCms {
    name: String,
    markers: Vec<String>,
    #[serde(default = "one")]
    min_markers: usize,
    #[serde(default)]
    fields: RawFields,
    #[serde(default)]
    body: RawBody,
    #[serde(default)]
    dates: RawDates,
}

fn one() -> usize {
    1
}

/// The rule-set sources compiled into the binary.
pub const SOURCES: [(&str, &str); 3] = [
    ("vsb", include_str!("cms/vsb.toml")),
    ("webplus", include_str!("cms/webplus.toml")),
    ("trs", include_str!("cms/trs.toml")),
];

/// Parse one rule set (used for the built-ins and by their tests).
pub fn parse(name: &str, text: &str) -> Result<CmsRules, crate::selectors::ProfileError> {
    let origin = format!("builtin:cms/{name}.toml");
    let path = Path::new(&origin);
    let raw: RawCms = toml::from_str(text).map_err(|e| crate::selectors::ProfileError::Format {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })?;
    Ok(CmsRules {
        rules: compile(path, raw.fields, raw.body, raw.dates)?,
        name: raw.name,
        markers: raw.markers,
        min_markers: raw.min_markers.max(1),
    })
}

static BUILTIN: LazyLock<Vec<CmsRules>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(name, text)| parse(name, text).expect("built-in CMS rules are valid (tested)"))
        .collect()
});

/// Every marker of every rule set as one alternation: a single pass over the page finds
/// them all (the regex engine searches literal alternations with SIMD prefilters).
static MARKERS: LazyLock<(regex::Regex, Vec<(usize, usize)>)> = LazyLock::new(|| {
    let mut owners = Vec::new();
    let mut alts = Vec::new();
    for (ci, c) in BUILTIN.iter().enumerate() {
        for (mi, m) in c.markers.iter().enumerate() {
            owners.push((ci, mi));
            alts.push(regex::escape(m));
        }
    }
    let re = regex::Regex::new(&alts.join("|")).expect("escaped literals form a valid regex");
    (re, owners)
});

/// The CMS whose markers the page shows most, if any reaches its minimum.
pub fn detect(html: &str) -> Option<&'static CmsRules> {
    let (re, owners) = &*MARKERS;
    let mut found = vec![false; owners.len()];
    let mut left = owners.len();
    for m in re.find_iter(html) {
        let Some(i) = owners
            .iter()
            .position(|&(ci, mi)| BUILTIN[ci].markers[mi] == m.as_str())
        else {
            continue;
        };
        if !found[i] {
            found[i] = true;
            left -= 1;
            if left == 0 {
                break;
            }
        }
    }
    BUILTIN
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let n = owners
                .iter()
                .zip(&found)
                .filter(|((o, _), f)| *o == ci && **f)
                .count();
            (c, n)
        })
        .filter(|(c, n)| *n >= c.min_markers)
        .max_by_key(|(_, n)| *n)
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rule_sets_compile() {
        for (name, text) in SOURCES {
            let c = parse(name, text).unwrap();
            assert_eq!(c.name, name);
            assert!(!c.rules.body.selectors.is_empty());
        }
    }

    #[test]
    fn detection_by_markers() {
        let vsb = r#"<form name="_newscontent_fromname"><div id="vsb_content"><div class="v_news_content"><img src="/__local/a.jpg"></div></div></form>"#;
        assert_eq!(detect(vsb).unwrap().name, "vsb");
        let wp = r#"<h1 class="arti_title">t</h1><p class="arti_metas"></p><div class='wp_articlecontent'><img src="/_upload/article/images/a.jpg"></div>"#;
        assert_eq!(detect(wp).unwrap().name, "webplus");
        let trs = r#"<meta name="publishedtype" content="1"><meta name="catalogs" content="y_1"><div class="TRS_Editor"><p>正文</p></div>"#;
        assert_eq!(detect(trs).unwrap().name, "trs");
        assert!(detect(r#"<div class="TRS_Editor"><p>正文</p></div>"#).is_none());
        assert!(
            detect("<html><body><p>plain page, one vsb_content mention</p></body></html>")
                .is_none()
        );
    }
}
