//! Fault injection, chosen per path: a rule pairs a path matcher with a fault and says how
//! many requests of each matching path it hits ("the first 2 requests of article X get a
//! 500, then it succeeds").

use super::SampleError;
use super::content::ArticleRef;
use super::site::SampleSite;
use std::collections::HashMap;
use std::time::Duration;

/// Which requests a rule applies to.
#[derive(Debug, Clone)]
pub enum PathMatch {
    /// Exactly this path (compared with path and query when it contains `?`).
    Exact(String),
    /// Paths starting with this.
    Prefix(String),
    /// A regex searched in the path and query (`^/info/1078/\d+\.htm$`).
    Regex(regex::Regex),
    /// Every request.
    Any,
}

impl PathMatch {
    /// [`PathMatch::Exact`].
    pub fn exact(path: impl Into<String>) -> Self {
        PathMatch::Exact(path.into())
    }

    /// [`PathMatch::Prefix`].
    pub fn prefix(prefix: impl Into<String>) -> Self {
        PathMatch::Prefix(prefix.into())
    }

    /// [`PathMatch::Regex`]; an invalid pattern is an error.
    pub fn regex(pattern: &str) -> Result<Self, SampleError> {
        regex::Regex::new(pattern)
            .map(PathMatch::Regex)
            .map_err(|e| SampleError::Pattern {
                pattern: pattern.to_string(),
                message: e.to_string(),
            })
    }

    /// True when a request for `path_and_query` matches.
    pub fn matches(&self, path_and_query: &str) -> bool {
        let path = path_and_query.split('?').next().unwrap_or(path_and_query);
        match self {
            PathMatch::Exact(p) if p.contains('?') => p == path_and_query,
            PathMatch::Exact(p) => p == path,
            PathMatch::Prefix(p) => path_and_query.starts_with(p.as_str()),
            PathMatch::Regex(r) => r.is_match(path_and_query),
            PathMatch::Any => true,
        }
    }
}

/// The two forms of `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: 2`.
    Seconds(u32),
    /// `Retry-After: <HTTP-date this many seconds from now>`.
    HttpDate(u32),
}

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status (500, 502, 503, 404, ...) and a short HTML body.
    Status(u16),
    /// 429 Too Many Requests with a `Retry-After` header.
    TooManyRequests(RetryAfter),
    /// Wait this long before sending the response headers (combines with other faults).
    Delay(Duration),
    /// Send the body in `chunk`-byte pieces, `interval` apart.
    SlowBody {
        /// Bytes per piece.
        chunk: usize,
        /// Pause before each piece after the first.
        interval: Duration,
    },
    /// Send the headers (with the page's full `Content-Length`) and the first `after`
    /// bytes of the body, then reset the connection (TCP RST).
    ResetMidBody {
        /// Body bytes sent before the reset (at most the body length minus one).
        after: usize,
    },
    /// Read the request and reset the connection without sending any response.
    CloseWithoutResponse,
    /// Answer with a chain of `hops` redirects (302) ending at `to` (a path or an absolute
    /// URL), or at the requested URL itself when `to` is `None`. The hops in between are
    /// `/__hop?n=…&to=…`. A rule with `to: None` defaults to [`FaultRule::times`] 1, so
    /// the chain's final request is served; note that it revisits the first URL.
    RedirectChain {
        /// Number of 302 responses before the final page (at least 1).
        hops: u32,
        /// Where the chain ends.
        to: Option<String>,
    },
    /// Redirect to `/__loop?to=<path>`, which redirects back: a loop for as long as the
    /// rule is active.
    RedirectLoop,
    /// Redirect to the same path on another host name (`http://localhost:PORT/...` by
    /// default): the same server, but off-scope for a crawler scoped to `127.0.0.1`.
    OffsiteRedirect {
        /// The other host name.
        host: String,
    },
    /// Serve an HTML page GBK-encoded, declared by `<meta>` and the `Content-Type` header.
    Gbk,
    /// Serve an HTML page GBK-encoded while `<meta>` and header both say UTF-8 (the
    /// classic mirror mistake; detection must overrule the label).
    GbkMislabelled,
}

impl Fault {
    /// Short name for the request log.
    pub fn name(&self) -> String {
        match self {
            Fault::Status(c) => format!("status {c}"),
            Fault::TooManyRequests(RetryAfter::Seconds(s)) => format!("429 retry-after {s}s"),
            Fault::TooManyRequests(RetryAfter::HttpDate(s)) => {
                format!("429 retry-after date +{s}s")
            }
            Fault::Delay(d) => format!("delay {}ms", d.as_millis()),
            Fault::SlowBody { .. } => "slow body".into(),
            Fault::ResetMidBody { after } => format!("reset after {after} bytes"),
            Fault::CloseWithoutResponse => "close without response".into(),
            Fault::RedirectChain { hops, .. } => format!("redirect chain {hops}"),
            Fault::RedirectLoop => "redirect loop".into(),
            Fault::OffsiteRedirect { host } => format!("off-site redirect to {host}"),
            Fault::Gbk => "gbk".into(),
            Fault::GbkMislabelled => "gbk labelled utf-8".into(),
        }
    }

    /// True for faults that replace the response (the first active one wins).
    pub(crate) fn is_terminal(&self) -> bool {
        !matches!(
            self,
            Fault::Delay(_)
                | Fault::SlowBody { .. }
                | Fault::ResetMidBody { .. }
                | Fault::Gbk
                | Fault::GbkMislabelled
        )
    }
}

/// A matcher, a fault, and how often it strikes.
#[derive(Debug, Clone)]
pub struct FaultRule {
    /// Which requests.
    pub matcher: PathMatch,
    /// What happens.
    pub fault: Fault,
    /// The fault hits the first `n` requests of each matching path (and query), then the
    /// path is served normally; `None` = every request.
    pub times: Option<u32>,
    hits: HashMap<String, u32>,
}

impl FaultRule {
    /// A rule hitting every matching request (a self-ending redirect chain: the first).
    pub fn new(matcher: PathMatch, fault: Fault) -> Self {
        let times = matches!(fault, Fault::RedirectChain { to: None, .. }).then_some(1);
        FaultRule {
            matcher,
            fault,
            times,
            hits: HashMap::new(),
        }
    }

    /// Hit only the first `n` requests of each matching path.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Hit every matching request.
    pub fn always(mut self) -> Self {
        self.times = None;
        self
    }

    /// Count a request; true when the fault strikes it.
    fn strike(&mut self, path_and_query: &str) -> bool {
        if !self.matcher.matches(path_and_query) {
            return false;
        }
        let n = self.hits.entry(path_and_query.to_string()).or_insert(0);
        *n += 1;
        self.times.is_none_or(|t| *n <= t)
    }
}

/// The faults of a server, in order.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

/// What the faults decided for one request.
#[derive(Debug, Default)]
pub(crate) struct Decision {
    pub terminal: Option<Fault>,
    pub delay: Option<Duration>,
    pub slow: Option<(usize, Duration)>,
    pub reset_after: Option<usize>,
    pub gbk: Option<Fault>,
    pub names: Vec<String>,
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Faults::default()
    }

    /// Add a rule (builder style).
    pub fn with(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Add a rule.
    pub fn push(&mut self, rule: FaultRule) {
        self.rules.push(rule);
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// A few recoverable faults for `uninews demo`: the first section's newest list page
    /// fails once with 500; the second section's page 2 gets one 429 (`Retry-After: 1`);
    /// in each section the 3rd newest article gets one 503 and the 8th newest two 500s;
    /// the 5th newest article of the first section is delayed 300 ms and the 12th newest
    /// is reset mid-body once; the second section's 5th newest trickles its body.
    pub fn demo(site: &SampleSite) -> Faults {
        let mut f = Faults::none();
        let nth_newest = |s: usize, n: u64| {
            let len = site.state[s].articles;
            (n <= len).then(|| {
                site.article_path(ArticleRef {
                    section: s,
                    seq: len - n,
                    private: false,
                })
            })
        };
        let mut add = |path: Option<String>, fault: Fault, times: Option<u32>| {
            if let Some(p) = path {
                let mut r = FaultRule::new(PathMatch::exact(p), fault);
                r.times = times;
                f.push(r);
            }
        };
        add(Some(site.list_path(0, 1)), Fault::Status(500), Some(1));
        if site.state.len() > 1 && site.pages(1) >= 2 {
            add(
                Some(site.list_path(1, 2)),
                Fault::TooManyRequests(RetryAfter::Seconds(1)),
                Some(1),
            );
        }
        for s in 0..site.state.len().min(2) {
            add(nth_newest(s, 3), Fault::Status(503), Some(1));
            add(nth_newest(s, 8), Fault::Status(500), Some(2));
        }
        add(
            nth_newest(0, 5),
            Fault::Delay(Duration::from_millis(300)),
            None,
        );
        add(
            nth_newest(0, 12),
            Fault::ResetMidBody { after: 700 },
            Some(1),
        );
        if site.state.len() > 1 {
            add(
                nth_newest(1, 5),
                Fault::SlowBody {
                    chunk: 2048,
                    interval: Duration::from_millis(40),
                },
                None,
            );
        }
        f
    }

    /// Count a request against every rule and decide what happens to it.
    pub(crate) fn decide(&mut self, path_and_query: &str) -> Decision {
        let mut d = Decision::default();
        for rule in &mut self.rules {
            if !rule.strike(path_and_query) {
                continue;
            }
            match &rule.fault {
                Fault::Delay(t) => d.delay = Some(d.delay.unwrap_or_default() + *t),
                Fault::SlowBody { chunk, interval } => d.slow = Some(((*chunk).max(1), *interval)),
                Fault::ResetMidBody { after } => d.reset_after = Some(*after),
                Fault::Gbk | Fault::GbkMislabelled => d.gbk = Some(rule.fault.clone()),
                t if d.terminal.is_none() => d.terminal = Some(t.clone()),
                _ => continue,
            }
            d.names.push(rule.fault.name());
        }
        debug_assert!(d.terminal.as_ref().is_none_or(Fault::is_terminal));
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_per_path_and_limited() {
        let mut f = Faults::none()
            .with(
                FaultRule::new(PathMatch::regex(r"^/info/").unwrap(), Fault::Status(500)).times(2),
            )
            .with(FaultRule::new(
                PathMatch::exact("/a.htm"),
                Fault::Delay(Duration::from_millis(5)),
            ));
        for _ in 0..2 {
            assert_eq!(f.decide("/info/1/2.htm").terminal, Some(Fault::Status(500)));
        }
        assert_eq!(f.decide("/info/1/2.htm").terminal, None);
        assert_eq!(f.decide("/info/1/3.htm").terminal, Some(Fault::Status(500)));
        let d = f.decide("/a.htm");
        assert!(d.terminal.is_none() && d.delay.is_some());
        assert!(f.decide("/b.htm").names.is_empty());
        assert!(PathMatch::regex("(").is_err());
    }

    #[test]
    fn self_ending_chain_defaults_to_once_and_exact_query_matching() {
        let r = FaultRule::new(PathMatch::Any, Fault::RedirectChain { hops: 2, to: None });
        assert_eq!(r.times, Some(1));
        assert!(PathMatch::exact("/d.jsp?id=1").matches("/d.jsp?id=1"));
        assert!(!PathMatch::exact("/d.jsp?id=1").matches("/d.jsp?id=2"));
        assert!(PathMatch::exact("/d.jsp").matches("/d.jsp?id=2"));
    }
}
