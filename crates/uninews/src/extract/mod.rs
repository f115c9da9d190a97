//! Article extraction: HTML text in, [`Record`] out. Pure: no IO, no runtime.
//!
//! Rules are tried in this order, field by field: the site profile matching the page's host
//! (`profile:<name>`), the built-in rules of the CMS the page was made with (`cms:vsb`,
//! `cms:webplus`), then generic rules that work on any page (`generic`).
//!
//! The pipeline: parse; find the headline and the body container (rules, else
//! [`generic`]); walk the body into flat blocks ([`blocks`]); assign roles and build sections
//! and images ([`body`]); read dates and credits from rule fields, body credit lines and the
//! meta zone around the headline ([`meta`]); the breadcrumb ([`breadcrumb`]); attachments.

mod attachments;
mod blocks;
mod body;
mod breadcrumb;
mod byline;
mod cms;
mod credits;
mod dates;
mod depth;
mod dom;
mod fields;
mod find;
mod generic;
mod images;
mod meta;

use crate::decode;
use crate::record::Record;
use crate::selectors::{DateRules, ExtractRules, FIELD_NAMES, FastSelector, Profile, ProfileSet};
use credits::{Credits, ROLES, Role, scan_meta};
use scraper::Html;
use url::Url;

/// A record plus what went wrong on the way (best effort: never an error).
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The record.
    pub record: Record,
    /// Notes for the user: undecodable bytes, missing title, truncated input, ...
    pub warnings: Vec<String>,
}

fn role_field(role: Role) -> &'static str {
    match role {
        Role::Author => "author",
        Role::Photographer => "photographer",
        Role::Editor => "editor",
        Role::Reviewer => "reviewer",
        Role::Source => "source",
    }
}

/// The value of credit field `role` from a rule's text: the labelled value when the text
/// carries labels (`作者：宣传部`), else the whole (short) text.
fn credit_from_rule(text: &str, role: Role, has_regex: bool) -> Option<String> {
    if has_regex {
        return crate::text::non_empty(text);
    }
    let found = scan_meta(text);
    if found.is_empty() {
        return crate::text::non_empty(text).filter(|t| t.chars().count() <= 60);
    }
    found
        .into_iter()
        .find(|(r, _)| *r == role)
        .and_then(|(_, v)| v)
}

struct Page<'a> {
    chain: Vec<&'a ExtractRules>,
    found: find::Found<'a>,
}

impl<'a> Page<'a> {
    /// Look up, in one pass, every selector the rule chain may need.
    fn new(doc: &'a Html, chain: Vec<&'a ExtractRules>) -> Page<'a> {
        let mut first: Vec<&FastSelector> = Vec::new();
        for r in &chain {
            for name in FIELD_NAMES {
                if let Some(rule) = r.field(name) {
                    first.extend(rule.selectors.iter());
                }
            }
            first.extend(r.body.selectors.iter());
        }
        let all: Vec<&FastSelector> = chain
            .iter()
            .find(|r| !r.body.attachments.is_empty())
            .map(|r| r.body.attachments.iter().collect())
            .unwrap_or_default();
        let found = find::Found::new(doc, &first, &all);
        Page { chain, found }
    }

    /// The hits of the rules for `field`, in chain order.
    fn hits<'s>(&'s self, field: &'s str) -> impl Iterator<Item = (bool, fields::Hit<'a>)> + 's {
        self.chain.iter().filter_map(move |r| {
            let rule = r.field(field)?;
            let el = self.found.first_of(&rule.selectors)?;
            Some((rule.regex.is_some(), fields::hit(el, rule)))
        })
    }

    /// The body container of the first rule set whose body selectors match.
    fn body(&self) -> Option<scraper::ElementRef<'a>> {
        self.chain
            .iter()
            .find_map(|r| self.found.first_of(&r.body.selectors))
    }

    /// Links selected by the first rule set that has attachment selectors.
    fn attachment_links(&self) -> Vec<scraper::ElementRef<'a>> {
        self.chain
            .iter()
            .find(|r| !r.body.attachments.is_empty())
            .map(|r| {
                r.body
                    .attachments
                    .iter()
                    .flat_map(|s| self.found.all(s).iter().copied())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Extract the article of `html`, served at `url`, using `profile` when given.
pub fn extract(html: &str, url: &Url, profile: Option<&Profile>) -> Extraction {
    let mut warnings = Vec::new();
    if html.trim().is_empty() {
        warnings.push("the page is empty".to_string());
    }
    let capped = depth::limit_depth(html);
    if matches!(capped, std::borrow::Cow::Owned(_)) {
        warnings.push(format!(
            "elements nested deeper than {} levels were flattened",
            depth::MAX_DEPTH
        ));
    }
    let doc = Html::parse_document(&capped);
    let cms = cms::detect(html);
    let extractor = match (profile, cms) {
        (Some(p), _) => format!("profile:{}", p.name),
        (None, Some(c)) => format!("cms:{}", c.name),
        (None, None) => "generic".to_string(),
    };
    let mut record = Record::empty(url.as_str(), extractor);
    record.site = profile.map(|p| p.name.clone());
    let mut chain: Vec<&ExtractRules> = Vec::new();
    if let Some(p) = profile {
        chain.push(&p.extract);
    }
    if let Some(c) = cms {
        chain.push(&c.rules);
    }
    let page = Page::new(&doc, chain);
    let date_rules: Option<&DateRules> = page.chain.first().map(|r| &r.dates);
    let zone_tz = date_rules.and_then(|d| d.timezone.as_ref());

    // headline
    let (title, title_node) = page
        .hits("title")
        .find_map(|(_, h)| {
            h.value
                .filter(|v| !v.is_empty())
                .map(|v| (v, Some(h.element.id())))
        })
        .or_else(|| generic::title(&doc))
        .unwrap_or_default();
    if title.is_empty() {
        warnings.push("no title found".to_string());
    }
    record.title = title;

    // body
    let mut roots = page.body().map(|e| vec![e]).unwrap_or_default();
    let generic_body = roots.is_empty();
    let mut noise = std::collections::HashSet::new();
    if generic_body {
        (roots, noise) = generic::body_and_noise(&doc, title_node);
    }
    if roots.is_empty() {
        warnings.push("no body found".to_string());
    }
    let drop: Vec<&FastSelector> = page.chain.iter().flat_map(|r| r.body.drop.iter()).collect();
    let walk = if generic_body {
        blocks::walk_generic(&roots, url, &noise)
    } else {
        blocks::walk(&roots, url, &drop)
    };
    let assembled = body::assemble(walk.blocks, &record.title);
    if !roots.is_empty() && assembled.sections.is_empty() && walk.attachments.is_empty() {
        warnings.push("the body holds no text".to_string());
    }
    record.sections = assembled.sections;
    record.images = assembled.images;
    if generic_body
        && let (Some(h), Some(first)) = (title_node, roots.first())
        && let Some(lead) = generic::standfirst(&doc, h, first.id())
    {
        generic::prepend_lead(&mut record.sections, &mut record.images, lead);
    }

    // the meta zone around the headline
    let zone = meta::zone(&doc, title_node, roots.first().map(|r| r.id()));

    // published
    record.published = page
        .hits("published")
        .find_map(|(_, h)| h.value.and_then(|v| dates::find(&v, date_rules)))
        .or_else(|| zone.published(date_rules))
        .or_else(|| {
            assembled
                .lead_meta
                .iter()
                .find_map(|l| dates::find(l, date_rules))
        })
        .map(|p| dates::iso(p, zone_tz))
        .or_else(|| generic::meta_published(&doc));

    // credits: rule fields, then body credit lines, then the meta zone
    let mut zone_credits = zone.credits();
    for l in &assembled.lead_meta {
        zone_credits.add_all(scan_meta(l));
    }
    let mut credits = Credits::default();
    for role in ROLES {
        let from_rule = page
            .hits(role_field(role))
            .find_map(|(has_regex, h)| h.value.and_then(|v| credit_from_rule(&v, role, has_regex)));
        let value = from_rule
            .or_else(|| assembled.credits.get(role).map(str::to_string))
            .or_else(|| zone_credits.get(role).map(str::to_string));
        credits.add(role, value);
    }
    record.author = credits.author;
    if record.author.is_none() && page.chain.is_empty() {
        record.author = generic::meta_author(&doc);
    }
    record.photographer = credits.photographer;
    record.editor = credits.editor;
    record.reviewer = credits.reviewer;
    record.source = credits.source;

    // subtitle: only from rules; the first rule whose element exists decides
    record.subtitle = page
        .hits("subtitle")
        .next()
        .and_then(|(_, h)| h.value)
        .filter(|v| !v.is_empty() && *v != record.title);

    // breadcrumb
    record.breadcrumb = page
        .chain
        .iter()
        .filter_map(|r| r.breadcrumb.as_ref())
        .filter_map(|rule| page.found.first_of(&rule.selectors))
        .map(breadcrumb::items_of)
        .find(|items| !items.is_empty())
        .unwrap_or_else(|| breadcrumb::find(&doc, roots.first().map(|r| r.id())));

    // attachments: the body's file links and players, then the links the first rule set
    // with attachment selectors picks out (a profile's replace the CMS's)
    let mut list = walk.attachments;
    for a in page.attachment_links() {
        let name = dom::element_text(a);
        let name = if name.is_empty() {
            a.value()
                .attr("title")
                .map(crate::text::normalize_ws)
                .unwrap_or_default()
        } else {
            name
        };
        if let Some(href) = a.value().attr("href")
            && let Some(u) = dom::resolve(url, href)
            && !name.is_empty()
        {
            list.push(&u, name);
        }
    }
    record.attachments = list.into_vec();

    Extraction { record, warnings }
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

    /// Decode `bytes` (with `charset` as declared by HTTP) and extract.
    pub fn extract_bytes(&self, bytes: &[u8], url: &Url, charset: Option<&str>) -> Extraction {
        let decoded = decode::decode(bytes, charset, decode::page_tld(url));
        self.extract_decoded(decoded, url)
    }

    /// Decode `bytes` as `charset` says, whatever the page declares or looks like
    /// (`extract --charset`), and extract.
    pub fn extract_bytes_forced(&self, bytes: &[u8], url: &Url, charset: &str) -> Extraction {
        let decoded = decode::decode_forced(bytes, charset, decode::page_tld(url));
        self.extract_decoded(decoded, url)
    }

    fn extract_decoded(&self, decoded: decode::Decoded, url: &Url) -> Extraction {
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

#[cfg(test)]
mod tests;
