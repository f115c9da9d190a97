//! `fixture add URL`: fetch one page politely and save it as a fixture.

use super::{CaptureError, NewFixture, Saved, save_fixture, site_name};
use crate::extract::Extractor;
use crate::fetch::{Fetcher, Outcome, Request};
use crate::frontier::Scope;
use crate::record::Record;
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
    let meta = crate::crawl::page_meta(&page.response, url);
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
