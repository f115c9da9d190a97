//! The CPU step of a crawl, run off the async threads: a fetched page becomes either the
//! links of a list page or the record of an article. Pure: no IO.

use super::PageFailure;
use crate::extract::Extractor;
use crate::fetch::{Outcome, Page, Response};
use crate::frontier::discover::{Discovery, discover};
use crate::frontier::state::Claimed;
use crate::frontier::{Kind, Scope};
use crate::record::Record;

/// What a claimed URL came to.
#[derive(Debug)]
pub(crate) enum Processed {
    /// A list page and the links found on it.
    List {
        claimed: Claimed,
        page: Page,
        links: Box<Discovery>,
    },
    /// An article page and its record.
    Article {
        claimed: Claimed,
        page: Page,
        record: Box<Record>,
        warnings: Vec<String>,
    },
    /// Some other page, kept as fetched.
    Other { claimed: Claimed, page: Page },
    /// `304 Not Modified`: the stored page stands.
    NotModified {
        claimed: Claimed,
        response: Box<Response>,
    },
    /// Not fetched on purpose (robots.txt, off-scope redirect, not HTML).
    Skipped {
        claimed: Claimed,
        reason: &'static str,
        detail: String,
    },
    /// The host cannot be asked now (its robots.txt is unavailable): back to the queue.
    Later { claimed: Claimed, message: String },
    /// Failed for good (after the fetcher's retries).
    Failed {
        claimed: Claimed,
        failure: PageFailure,
        status: Option<u16>,
    },
}

impl Processed {
    /// Does this result count as a fetched page for `--max-pages`? Not a URL skipped
    /// (robots.txt, off scope, not HTML) or handed back to the queue: the state does not
    /// count it as done or failed either.
    pub(crate) fn counts_as_page(&self) -> bool {
        !matches!(self, Processed::Skipped { .. } | Processed::Later { .. })
    }
}

/// Everything the CPU step needs, shared by all tasks.
#[derive(Debug)]
pub(crate) struct Context {
    pub extractor: Extractor,
    pub scope: Scope,
}

/// Turn a fetch outcome into a [`Processed`] value.
pub(crate) fn process(ctx: &Context, claimed: Claimed, outcome: Outcome) -> Processed {
    match outcome {
        Outcome::Page(page) => match claimed.kind {
            Kind::List => {
                let url = &page.response.final_url;
                let rules = ctx.extractor.profile_for(url).map(|p| &p.list);
                let charset = page
                    .response
                    .content_type
                    .as_deref()
                    .and_then(crate::decode::charset_from_content_type);
                let text =
                    crate::decode::decode(&page.body, charset, crate::decode::page_tld(url)).text;
                let links = discover(&text, url, rules, &ctx.scope);
                Processed::List {
                    claimed,
                    page,
                    links: Box::new(links),
                }
            }
            // An empty or NUL-only page is not an article: no record, skipped as `empty`.
            Kind::Article if crate::decode::is_blank(&page.body) => Processed::Skipped {
                claimed,
                reason: "empty",
                detail: format!(
                    "empty page ({} bytes, only NUL or white space): not an article",
                    page.body.len()
                ),
            },
            Kind::Article => {
                let charset = page
                    .response
                    .content_type
                    .as_deref()
                    .and_then(crate::decode::charset_from_content_type);
                let out =
                    ctx.extractor
                        .extract_bytes(&page.body, &page.response.final_url, charset);
                Processed::Article {
                    claimed,
                    page,
                    record: Box::new(out.record),
                    warnings: out.warnings,
                }
            }
            Kind::Other | Kind::Asset => Processed::Other { claimed, page },
        },
        Outcome::NotModified(response) => Processed::NotModified {
            claimed,
            response: Box::new(response),
        },
        Outcome::Skipped(s) => Processed::Skipped {
            claimed,
            reason: s.reason.as_str(),
            detail: s.reason.to_string(),
        },
        Outcome::Failed(f) if f.retry_later() => Processed::Later {
            claimed,
            message: f.error.to_string(),
        },
        Outcome::Failed(f) => Processed::Failed {
            claimed,
            failure: PageFailure::Fetch(f.error),
            status: f.status,
        },
    }
}
