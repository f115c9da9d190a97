//! URL normalisation, link resolution and the crawl scope. Pure: no IO, no runtime.
//!
//! Every URL the crawler stores or compares goes through [`normalize`], so that the same
//! page reached by two spellings (`HTTP://Example.edu:80/a/../b.htm?utm_source=x#top` and
//! `http://example.edu/b.htm`) is one row in the crawl state.

use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;
use url::Url;

/// Normalise an absolute URL. Returns `None` unless the scheme is `http` or `https`.
///
/// What changes (the `url` crate's parser already does the first three):
/// - scheme and host are lower-cased; the default port (`:80`, `:443`) is dropped;
/// - `.` and `..` path segments are resolved; an empty path becomes `/`;
/// - the fragment (`#...`) is dropped;
/// - query parameters named `utm_*` (any case) or listed in `tracking` (exact name,
///   ASCII case-insensitive) are removed, the others keep their order and spelling;
/// - an empty query (`?` alone, or nothing left after removal) is dropped.
///
/// User info (`user:pass@`) is kept: it is part of what the server sees.
pub fn normalize(url: &Url, tracking: &[String]) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let mut out = url.clone();
    out.set_fragment(None);
    match url.query() {
        None => {}
        Some("") => out.set_query(None),
        Some(q) => {
            let kept: Vec<&str> = q
                .split('&')
                .filter(|pair| !pair.is_empty())
                .filter(|pair| {
                    let name = pair.split('=').next().unwrap_or_default();
                    !is_tracking_param(name, tracking)
                })
                .collect();
            if kept.is_empty() {
                out.set_query(None);
            } else {
                out.set_query(Some(&kept.join("&")));
            }
        }
    }
    Some(out)
}

/// Parse `text` as an absolute URL and normalise it.
pub fn normalize_str(text: &str, tracking: &[String]) -> Option<Url> {
    Url::parse(text.trim())
        .ok()
        .and_then(|u| normalize(&u, tracking))
}

fn is_tracking_param(raw_name: &str, tracking: &[String]) -> bool {
    let name = raw_name.to_ascii_lowercase();
    name.starts_with("utm_") || tracking.iter().any(|t| t.eq_ignore_ascii_case(&name))
}

/// Teleport Pro/Ultra mirrors replace out-of-bounds links with
/// `javascript:if(confirm('...'))window.location='TARGET'` (quotes sometimes written `%27`).
static TELEPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^javascript:\s*if\s*\(\s*confirm\(.*\)\s*\)\s*window\.location\s*=\s*(?:'|%27|&#39;)(.*?)(?:'|%27|&#39;)\s*;?\s*$")
        .expect("static Teleport regex")
});

/// Resolve a link's `href` against the page URL, without normalising.
///
/// Returns `None` for links that lead to no fetchable page: empty or pure-fragment
/// (`#`, `#top`) hrefs, `javascript:`, `mailto:`, `tel:`, `data:` and any other
/// non-http(s) scheme, and hrefs that do not parse. One exception: a Teleport mirror
/// wrapper `javascript:if(confirm('...'))window.location='TARGET'` yields TARGET.
pub fn resolve_href(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower = href.get(..11).unwrap_or(href).to_ascii_lowercase();
    if lower.starts_with("javascript:") {
        let target = TELEPORT.captures(href)?.get(1)?.as_str();
        return Url::parse(target.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"));
    }
    let url = base.join(href).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// [`resolve_href`], then [`normalize`].
pub fn resolve_link(base: &Url, href: &str, tracking: &[String]) -> Option<Url> {
    resolve_href(base, href).and_then(|u| normalize(&u, tracking))
}

/// The sites a crawl may visit: its *origins*, so a hostile page cannot point the crawler
/// at another service of the same machine (`http://127.0.0.1:6379/`).
///
/// An entry is a host (`news.example.edu.cn`) or `*.example.edu.cn` (that host and every
/// subdomain), with a port rule written after a colon:
/// - no port: the default ports only (80 for http, 443 for https; an http start URL that
///   redirects to https on the same host stays in scope);
/// - `host:8080`: that port only (a start URL with an explicit port gives this);
/// - `host:*`: any port.
///
/// [`Scope::any_port`] widens every entry to any port (`crawl --any-port`). Hosts compare
/// ASCII case-insensitively; only http and https URLs are ever in scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    entries: BTreeSet<(String, PortRule)>,
    any_port: bool,
}

/// Which ports of a host a scope entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PortRule {
    /// The scheme's default port (80/443).
    Default,
    /// One port.
    Port(u16),
    /// Any port.
    Any,
}

/// `host`, `host:PORT`, `host:*`, `[v6]:PORT` → the lowercased host pattern and its rule.
fn parse_entry(text: &str) -> Option<(String, PortRule)> {
    let t = text.trim();
    let (host, rule) = match t.rsplit_once(':') {
        Some((h, "*")) => (h, PortRule::Any),
        Some((h, p)) if (h.ends_with(']') || !h.contains(':')) && !p.is_empty() => {
            (h, PortRule::Port(p.parse().ok()?))
        }
        _ => (t, PortRule::Default),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some((host, rule))
}

fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(parent) => host == parent || host.ends_with(&format!(".{parent}")),
        None => pattern == host,
    }
}

impl Scope {
    /// A scope of the given entries (see the type's documentation for the syntax).
    pub fn new<I, S>(entries: I) -> Scope
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Scope {
            entries: entries
                .into_iter()
                .filter_map(|e| parse_entry(e.as_ref()))
                .collect(),
            any_port: false,
        }
    }

    /// The scope of a crawl started at `urls`: their hosts exactly, each on its URL's port
    /// (the default ports when the URL names none).
    pub fn of_urls<'a>(urls: impl IntoIterator<Item = &'a Url>) -> Scope {
        let mut scope = Scope::default();
        for u in urls {
            if let Some(h) = u.host_str() {
                let rule = u.port().map_or(PortRule::Default, PortRule::Port);
                scope
                    .entries
                    .insert((h.trim_end_matches('.').to_ascii_lowercase(), rule));
            }
        }
        scope
    }

    /// Add an entry (`host`, `host:PORT`, `host:*`, `*.domain`).
    pub fn insert(&mut self, entry: &str) {
        if let Some(e) = parse_entry(entry) {
            self.entries.insert(e);
        }
    }

    /// Widen every entry to any port of its host (`crawl --any-port`).
    pub fn any_port(mut self) -> Scope {
        self.any_port = true;
        self
    }

    /// True when `host` is covered on some port.
    pub fn contains_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.entries.iter().any(|(h, _)| host_matches(h, &host))
    }

    /// True when `url` is http(s) and its host and port are covered.
    pub fn contains(&self, url: &Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.entries.iter().any(|(h, rule)| {
            host_matches(h, &host)
                && (self.any_port
                    || match rule {
                        PortRule::Default => url.port().is_none(),
                        PortRule::Port(p) => url.port_or_known_default() == Some(*p),
                        PortRule::Any => true,
                    })
        })
    }

    /// The host patterns (each once, whatever its ports).
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        let mut seen = BTreeSet::new();
        self.entries
            .iter()
            .map(|(h, _)| h.as_str())
            .filter(move |h| seen.insert(*h))
    }

    /// True when the scope covers no host at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Option<String> {
        normalize_str(s, &["sessionid".to_string(), "from".to_string()]).map(String::from)
    }

    #[test]
    fn normalisation_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "HTTP://News.Example.EDU/a.htm",
                Some("http://news.example.edu/a.htm"),
            ),
            ("http://example.edu:80/a", Some("http://example.edu/a")),
            ("https://example.edu:443/a", Some("https://example.edu/a")),
            (
                "http://example.edu:8080/a",
                Some("http://example.edu:8080/a"),
            ),
            ("https://example.edu:80/a", Some("https://example.edu:80/a")),
            (
                "http://example.edu/a/b/../c/./d.htm",
                Some("http://example.edu/a/c/d.htm"),
            ),
            (
                "http://example.edu/../../x.htm",
                Some("http://example.edu/x.htm"),
            ),
            ("http://example.edu", Some("http://example.edu/")),
            (
                "http://example.edu/a.htm#top",
                Some("http://example.edu/a.htm"),
            ),
            (
                "http://example.edu/a.htm?",
                Some("http://example.edu/a.htm"),
            ),
            (
                "http://example.edu/a.htm?#x",
                Some("http://example.edu/a.htm"),
            ),
            (
                "http://example.edu/a?utm_source=x&utm_Medium=y",
                Some("http://example.edu/a"),
            ),
            (
                "http://example.edu/a?id=3&utm_source=x&p=2",
                Some("http://example.edu/a?id=3&p=2"),
            ),
            (
                "http://example.edu/a?UTM_CAMPAIGN=z&id=3",
                Some("http://example.edu/a?id=3"),
            ),
            (
                "http://example.edu/a?SessionId=9&id=3&from=rss",
                Some("http://example.edu/a?id=3"),
            ),
            // Not a listed tracking parameter: kept, with its order and spelling.
            (
                "http://example.edu/a?b=2&a=1&fromx=1",
                Some("http://example.edu/a?b=2&a=1&fromx=1"),
            ),
            (
                "http://example.edu/a?id=1&&",
                Some("http://example.edu/a?id=1"),
            ),
            (
                "http://user:pw@example.edu/a",
                Some("http://user:pw@example.edu/a"),
            ),
            ("ftp://example.edu/a", None),
            ("mailto:x@example.edu", None),
            ("not a url", None),
        ];
        for (input, want) in cases {
            assert_eq!(norm(input).as_deref(), *want, "normalize({input:?})");
        }
    }

    #[test]
    fn resolution_table() {
        let base = Url::parse("http://yjszs.cqjtu.edu.cn/kdxx/2.htm").expect("base");
        let cases: &[(&str, Option<&str>)] = &[
            ("1.htm", Some("http://yjszs.cqjtu.edu.cn/kdxx/1.htm")),
            ("../kdxx.htm", Some("http://yjszs.cqjtu.edu.cn/kdxx.htm")),
            (
                "/info/1052/1870.htm",
                Some("http://yjszs.cqjtu.edu.cn/info/1052/1870.htm"),
            ),
            ("//other.edu.cn/x.htm", Some("http://other.edu.cn/x.htm")),
            (
                "  ../info/1/2.htm#c  ",
                Some("http://yjszs.cqjtu.edu.cn/info/1/2.htm"),
            ),
            (
                "?page=2",
                Some("http://yjszs.cqjtu.edu.cn/kdxx/2.htm?page=2"),
            ),
            ("https://x.edu/a?utm_term=q", Some("https://x.edu/a")),
            ("#", None),
            ("#top", None),
            ("", None),
            ("javascript:;", None),
            ("javascript:void(0);", None),
            ("JavaScript:void(0)", None),
            ("mailto:jyyzb@cqjtu.edu.cn", None),
            ("tel:+86-23-1234", None),
            ("data:text/html,hi", None),
            ("ftp://x.edu/file", None),
            (
                "javascript:if(confirm(%27http://adge.cqjtu.edu.cn/xkxx/xwdgk.htm  \\n\\nThis file was not retrieved by Teleport Ultra, because it is addressed on a domain or path outside the boundaries set for its Starting Address.  \\n\\nDo you want to open it from the server?%27))window.location=%27http://adge.cqjtu.edu.cn/xkxx/xwdgk.htm%27",
                Some("http://adge.cqjtu.edu.cn/xkxx/xwdgk.htm"),
            ),
            (
                "javascript:if(confirm('http://a.edu.cn/x.htm  \n\nThis file was not retrieved by Teleport Pro'))window.location='http://a.edu.cn/x.htm'",
                Some("http://a.edu.cn/x.htm"),
            ),
            (
                "javascript:if(confirm('x'))window.location='mailto:a@b.c'",
                None,
            ),
        ];
        for (href, want) in cases {
            let got = resolve_link(&base, href, &[]).map(String::from);
            assert_eq!(got.as_deref(), *want, "resolve({href:?})");
        }
    }

    #[test]
    fn scope_matches_hosts_and_wildcards() {
        let scope = Scope::new(["News.Example.edu", "*.uni.edu.cn"]);
        let yes = [
            "http://news.example.edu/a",
            "https://NEWS.example.edu/a",
            "http://news.example.edu:80/a",
            "http://uni.edu.cn/",
            "http://cs.uni.edu.cn/x",
            "http://a.b.uni.edu.cn/x",
        ];
        let no = [
            "http://example.edu/a",
            "http://www.news.example.edu/a",
            "http://xuni.edu.cn/",
            "ftp://news.example.edu/a",
            "https://news.example.edu:8443/a",
            "http://news.example.edu:443/a",
        ];
        for u in yes {
            assert!(scope.contains(&Url::parse(u).expect("url")), "{u} in scope");
        }
        for u in no {
            assert!(
                !scope.contains(&Url::parse(u).expect("url")),
                "{u} off scope"
            );
        }
        let start = [Url::parse("http://a.edu/x").expect("url")];
        let s = Scope::of_urls(&start);
        assert!(s.contains_host("A.edu"));
        assert!(!s.contains_host("b.edu"));
    }

    #[test]
    fn scope_is_the_origin_unless_widened() {
        let start = [Url::parse("http://127.0.0.1:8080/news.htm").expect("url")];
        let s = Scope::of_urls(&start);
        let same = Url::parse("http://127.0.0.1:8080/a.htm").expect("url");
        let other_port = Url::parse("http://127.0.0.1:6379/").expect("url");
        let default_port = Url::parse("http://127.0.0.1/").expect("url");
        assert!(s.contains(&same));
        assert!(!s.contains(&other_port), "another port of the same host");
        assert!(!s.contains(&default_port));
        let wide = s.any_port();
        assert!(wide.contains(&other_port) && wide.contains(&default_port));
        let explicit = Scope::new(["a.edu:8080", "b.edu:*", "[::1]:9000"]);
        assert!(explicit.contains(&Url::parse("http://a.edu:8080/").expect("url")));
        assert!(!explicit.contains(&Url::parse("http://a.edu/").expect("url")));
        assert!(explicit.contains(&Url::parse("http://b.edu:1234/").expect("url")));
        assert!(explicit.contains(&Url::parse("http://[::1]:9000/").expect("url")));
        assert_eq!(
            explicit.hosts().collect::<Vec<_>>(),
            ["[::1]", "a.edu", "b.edu"]
        );
    }
}
