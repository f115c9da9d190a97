//! The frontier: what to fetch next and what has been fetched.
//!
//! - [`normalize`]: URL normalisation, link resolution (Teleport mirror wrappers
//!   unwrapped) and the crawl [`Scope`]. Pure.
//! - [`discover`]: article and pagination links on a list page, from a profile's
//!   [`ListRules`](crate::selectors::ListRules) or, without one, by recognising the
//!   VSB/博达 and WebPlus/SudyTech CMSs, with a generic fallback. Pure.
//! - [`state`]: the crawl state in SQLite (`DIR/crawl.sqlite`): every URL with its kind,
//!   state, attempts, validators and result; the queue lives there, not in memory.
//! - [`pg`]: the same state in PostgreSQL, shared by workers on many machines, with
//!   host leases.
//! - [`Frontier`]: the interface the crawl uses, implemented by both.
//!
//! URLs are compared in their normalised form: callers normalise (discovery already does)
//! before adding a URL to the state.

mod backend;
pub mod discover;
pub mod normalize;
pub mod pg;
pub mod state;

pub use backend::{Frontier, PassStart, Renewal};

pub use discover::{Cms, Discovery, discover};
pub use normalize::{Scope, normalize, normalize_str, resolve_href, resolve_link};
pub use state::{CrawlState, StateError, UrlState};

use std::fmt;

/// What a URL is to the crawl.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A news list page (or one of its pagination pages).
    List,
    /// An article page.
    Article,
    /// Some other in-scope page.
    Other,
    /// An image or other file an article refers to.
    Asset,
}

impl Kind {
    /// All kinds, in queue priority order (list pages first).
    pub const ALL: [Kind; 4] = [Kind::List, Kind::Article, Kind::Other, Kind::Asset];

    /// The name stored in the state database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::List => "list",
            Kind::Article => "article",
            Kind::Other => "other",
            Kind::Asset => "asset",
        }
    }

    /// Parse a name written by [`Kind::as_str`].
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Queue priority: lower is claimed first.
    pub fn priority(self) -> i64 {
        match self {
            Kind::List => 0,
            Kind::Article => 1,
            Kind::Other => 2,
            Kind::Asset => 3,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
