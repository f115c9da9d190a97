//! Why a URL failed for good, kept typed from the fetcher to the crawl state: the stored
//! `last_error` is `<cause>: <message>`, and summaries group failures by that cause.

use crate::fetch::FetchError;
use crate::store::StoreError;
use url::Url;

/// A URL's final failure in a crawl.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PageFailure {
    /// The fetch failed (after the fetcher's retries).
    #[error(transparent)]
    Fetch(FetchError),
    /// Processing the fetched page panicked (a bug; the crawl goes on).
    #[error("{url}: processing panicked: {message}")]
    Panicked {
        /// The URL.
        url: Url,
        /// The panic's message.
        message: String,
    },
    /// The fetched page could not be stored (a file-system error for this page alone).
    #[error("{url}: cannot store the page: {source}")]
    Store {
        /// The URL.
        url: Url,
        /// The store's error (which names the path).
        source: StoreError,
    },
}

impl PageFailure {
    /// The short, stable name of the cause: the fetch's [`crate::fetch::Cause`]
    /// (`connect`, `http-503`, ...), `internal` for a panic, `store` for a page that
    /// could not be written.
    pub fn cause(&self) -> String {
        match self {
            PageFailure::Fetch(e) => e.cause().to_string(),
            PageFailure::Panicked { .. } => "internal".to_string(),
            PageFailure::Store { .. } => "store".to_string(),
        }
    }

    /// The text stored as the URL's `last_error`: `<cause>: <message>`.
    pub fn last_error(&self) -> String {
        format!("{}: {self}", self.cause())
    }
}

impl From<FetchError> for PageFailure {
    fn from(e: FetchError) -> Self {
        PageFailure::Fetch(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_error_starts_with_the_cause_name() {
        let url = Url::parse("http://a.edu/x").expect("url");
        let f = PageFailure::from(FetchError::Status {
            url: url.clone(),
            status: 503,
        });
        assert_eq!(f.cause(), "http-503");
        assert_eq!(f.last_error(), "http-503: http://a.edu/x: HTTP 503");
        let p = PageFailure::Panicked {
            url,
            message: "boom".into(),
        };
        assert_eq!(
            p.last_error(),
            "internal: http://a.edu/x: processing panicked: boom"
        );
    }
}
