//! `fixture add URL`: fetch one page politely and save it as a fixture.

use super::{CaptureError, NewFixture, Saved, save_fixture, site_name};
use crate::extract::Extractor;
use crate::fetch::{Fetcher, Outcome, Request, Response};
use crate::frontier::Scope;
use crate::record::Record;
use crate::store::PageMeta;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use url::Url;

/// A page fetched and saved as a fixture.
#[derive(Debug, Clone)]
pub struct Added {
    /// What saving did (a new fixture, or the URL already was one).
    pub saved: Saved,
    /// The site folder it went to.
    pub site: String,
    /// The record extracted from the page (the proposal).
    pub record: Record,
    /// Extraction warnings.
    pub warnings: Vec<String>,
}

/// Fetch `url` with `fetcher` (its rate limit, robots.txt and retries; redirects only
/// within the URL's host), extract it with `extractor`, and save it as a fixture under
/// `root`. An existing fixture of the same URL is left as it is ([`Saved::Exists`]).
pub async fn add_url(
    fetcher: &Fetcher,
    extractor: &Extractor,
    url: &Url,
    root: &Path,
) -> Result<Added, CaptureError> {
    let scope = Arc::new(Scope::of_urls([url]));
    let fail = |message: String| CaptureError::Fetch {
        url: url.to_string(),
        message,
    };
    let page = match fetcher
        .fetch(&Request::new(url.clone()).html_only().within(scope))
        .await
    {
        Outcome::Page(page) => page,
        Outcome::NotModified(_) => return Err(fail("unexpected 304 Not Modified".into())),
        Outcome::Skipped(s) => return Err(fail(format!("not fetched: {}", s.reason))),
        Outcome::Failed(f) => return Err(fail(f.error.to_string())),
    };
    let meta = page_meta(&page.response, url);
    let final_url = &page.response.final_url;
    let out = extractor.extract_bytes(&page.body, final_url, meta.charset());
    let site = site_name(&out.record, final_url);
    let new = NewFixture {
        url: final_url,
        body: &page.body,
        meta: &meta,
        record: &out.record,
    };
    let saved = save_fixture(root, &site, &new)?;
    Ok(Added {
        saved,
        site,
        record: out.record,
        warnings: out.warnings,
    })
}

/// The `.meta.json` of a fetched page, as the crawler writes it: final URL, the URL
/// asked for when a redirect led elsewhere, fetch time, content type, status, headers
/// (lower-case names, repeated headers joined with `, `).
pub fn page_meta(r: &Response, requested: &Url) -> PageMeta {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &r.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    PageMeta {
        url: r.final_url.to_string(),
        requested_url: (r.final_url != *requested).then(|| requested.to_string()),
        fetched_at: Some(jiff::Timestamp::now().to_string()),
        content_type: r.content_type.clone(),
        status: Some(r.status),
        headers,
    }
}
