//! Author and publication date from page metadata (JSON-LD, `<meta>`, byline elements),
//! for pages whose rules give neither.

use super::{json_ld, meta_content};
use crate::text::normalize_ws;
use scraper::{Html, Selector};
use std::sync::LazyLock;

/// The author from page metadata, for pages without rules: JSON-LD `author`, then the
/// `<meta>` names in `KEYS` (Dublin Core, `author`, `article:author`, Highwire
/// `citation_author`, ...), each skipped when it is a URL, then the text of `rel="author"` /
/// `itemprop="author"` / byline elements. Several JSON-LD authors are joined with `, `.
pub fn meta_author(doc: &Html) -> Option<String> {
    static BYLINE: LazyLock<Selector> = LazyLock::new(|| {
        Selector::parse(
            r#"[rel="author"], [itemprop="author"], .byline, .author-name, .byline-name, .author"#,
        )
        .expect("static selector")
    });
    /// `<meta>` names of the author, Dublin Core first (the most deliberate), then the
    /// common ones; NYT-style `byl` last.
    const KEYS: [&str; 10] = [
        "dc:creator",
        "dc.creator",
        "dcterm:creator",
        "dcterms.creator",
        "author",
        "article:author",
        "citation_author",
        "parsely-author",
        "sailthru.author",
        "byl",
    ];
    let from_ld = || json_ld(doc).find_map(|v| ld_author(&v).and_then(|a| plausible(&a)));
    let from_meta = || {
        KEYS.iter()
            .find_map(|k| meta_content(doc, &[k]).and_then(|a| plausible(&a)))
    };
    from_ld().or_else(from_meta).or_else(|| {
        doc.select(&BYLINE).find_map(|e| {
            plausible(&crate::extract::byline::clean(
                &crate::extract::dom::element_text(e),
            ))
        })
    })
}

/// A name as an author field holds it: whitespace normalised, a leading "By" dropped (also
/// `Von`, `Par`, `Por`, `Door`, `Di`, `Av`, `Af` when two words remain, since `Von Lehmann`
/// and `Di Stefano` are names); `None` for a URL, an empty value or one too long to be names.
fn plausible(v: &str) -> Option<String> {
    static BY: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"(?i)^by\s+").expect("static regex"));
    static BY_OTHER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)^(?:von|par|por|door|di|av|af)\s+(\S+\s+\S.*)$")
            .expect("static regex")
    });
    let v = normalize_ws(v);
    let v = BY.replace(&v, "");
    let v = BY_OTHER.replace(&v, "$1").trim().to_string();
    (!v.is_empty() && v.chars().count() <= 80 && !v.contains("://")).then_some(v)
}

/// The `author` of the first JSON-LD object that has one (searching `@graph` and arrays).
fn ld_author(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let name = |a: &Value| match a {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    match v {
        Value::Array(items) => items.iter().find_map(ld_author),
        Value::Object(o) => {
            if let Some(a) = o.get("author") {
                let names: Vec<String> = match a {
                    Value::Array(list) => list.iter().filter_map(name).collect(),
                    other => name(other).into_iter().collect(),
                };
                let names: Vec<String> = names
                    .into_iter()
                    .map(|n| normalize_ws(&n))
                    .filter(|n| !n.is_empty())
                    .collect();
                if !names.is_empty() {
                    return Some(names.join(", "));
                }
            }
            o.get("@graph").and_then(ld_author)
        }
        _ => None,
    }
}

/// The publication date from page metadata (`article:published_time`, Highwire
/// `citation_publication_date`, Dublin Core, JSON-LD `datePublished`, microdata
/// `itemprop="datePublished"`, `<time pubdate>`): date only, since a time there is not what
/// the page prints.
pub fn meta_published(doc: &Html) -> Option<String> {
    static MICRODATA: LazyLock<Selector> = LazyLock::new(|| {
        Selector::parse(r#"[itemprop="datePublished"], time[pubdate]"#).expect("static selector")
    });
    let from_meta = meta_content(
        doc,
        &[
            "article:published_time",
            "og:published_time",
            "datePublished",
            "pubdate",
            "publishdate",
            "PubDate",
            "citation_publication_date",
            "citation_online_date",
            "citation_date",
            "dc.date",
            "dc.date.issued",
            "dcterms.issued",
            "dcterms.created",
            "dcterms.date",
            "parsely-pub-date",
            "date",
        ],
    );
    let from_microdata = || {
        doc.select(&MICRODATA).find_map(|e| {
            let v = e.value();
            v.attr("datetime")
                .or_else(|| v.attr("content"))
                .and_then(crate::text::non_empty)
        })
    };
    let text = from_meta.or_else(from_microdata).or_else(|| {
        doc.select(&super::JSONLD_SEL).find_map(|s| {
            let t: String = s.text().collect();
            let at = t.find("\"datePublished\"")?;
            Some(t[at..].chars().take(60).collect())
        })
    })?;
    let p = crate::extract::dates::find(&text, None)?;
    Some(crate::extract::dates::iso(
        crate::extract::dates::Printed {
            date: p.date,
            time: None,
        },
        None,
    ))
}
