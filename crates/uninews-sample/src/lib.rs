//! The bundled sample university news site and its fault-injecting loopback server.
//!
//! [`SampleSite`] is a deterministic generator: a news site with sections in the styles of
//! the two CMSs behind most Chinese university sites (VSB/博达 and WebPlus/SudyTech), a home
//! page, robots.txt, images and attachments. No page is stored: each is computed from the
//! seed and the article's number when asked for, so a 100,000-article site costs almost no
//! memory. The same data gives the ground truth ([`SampleSite::articles`],
//! [`SampleSite::expected_record`], [`SampleSite::list_pages`]).
//!
//! [`SampleServer`] serves a site on 127.0.0.1 (axum), logs every request, answers
//! conditional requests with 304, can change the site while running (new articles, edits,
//! a redesign) and injects faults per path ([`Faults`]): 5xx, 429 with `Retry-After`,
//! slow headers or bodies, connection resets, redirect chains and loops, off-site
//! redirects, GBK bodies.
//!
//! URL layout of the default site ([`SiteConfig::default`]):
//!
//! | path | page |
//! |---|---|
//! | `/`, `/index.htm`, `/main.htm` | home page |
//! | `/robots.txt` | `Disallow: /private/` (+ optional `Crawl-delay`) |
//! | `/xyxw.htm`, `/xyxw/{n}.htm` | VSB list pages, newest; older pages count down to 1 (oldest) |
//! | `/info/1078/{id}.htm` | VSB articles |
//! | `/9364/list.htm`, `/9364/list{n}.htm` | WebPlus list pages (`list2` = second newest) |
//! | `/{yyyy}/{mmdd}/c9364a{id}/page.htm` | WebPlus articles |
//! | `/private/info/1078/{n}.htm` | VSB-shaped articles disallowed by robots.txt, pinned on `/xyxw.htm` |
//! | `/__local/…`, `/_upload/article/images/…` | content images (JPEG or PNG) |
//! | `/system/_content/download.jsp?…&wbfileid=…`, `/_upload/article/files/…` | attachments |

mod assets;
mod config;
mod conn;
mod content;
mod credits;
mod faults;
mod handler;
mod html;
mod ids;
mod log;
mod modern;
mod phrases;
mod render;
mod rng;
mod routes;
mod server;
pub mod shared;
mod site;
#[cfg(test)]
mod tests;
mod textgen;
mod truth;
mod view;
mod vsb;
mod webplus;

pub use config::{CmsStyle, GbkConfig, GbkDeclaration, RobotsConfig, SectionConfig, SiteConfig};
pub use faults::{Fault, FaultRule, Faults, PathMatch, RetryAfter};
pub use ids::MAX_ARTICLES;
pub use log::RequestRecord;
pub use render::{PageKind, SamplePage};
pub use server::{SampleServer, ServerConfig, loopback_ips};
pub use site::SampleSite;

/// Errors of the sample site and server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SampleError {
    /// The site configuration is invalid.
    #[error("invalid sample site configuration: {0}")]
    Config(String),
    /// No section has this key.
    #[error("no section with key {0:?}")]
    UnknownSection(String),
    /// The path is not an article of the site.
    #[error("{0:?} is not an article of the sample site")]
    NotAnArticle(String),
    /// A fault pattern is not a valid regex.
    #[error("invalid fault pattern {pattern:?}: {message}")]
    Pattern {
        /// The pattern as written.
        pattern: String,
        /// The regex compiler's message.
        message: String,
    },
    /// The server could not bind its port.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for (0 = any).
        port: u16,
        /// The underlying error.
        source: std::io::Error,
    },
}
