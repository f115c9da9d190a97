//! The host-aware scheduler: which URL to fetch next, so that fetch slots only ever go to
//! a host that may be asked now.
//!
//! Each host with work has a short queue head in memory (a few claimed URLs; the rest
//! stays pending in `crawl.sqlite`) and a time it is next worth looking at. A ready-queue
//! (a min-heap on that time, ties in the order they were queued) holds every host that is
//! waiting; [`Scheduler::next`] pops the hosts whose time has come, asks the fetcher how
//! ready each one is ([`Readiness`]), and hands out work only for hosts that are ready
//! now: a URL to fetch, or a robots.txt to fetch first. A host that must wait (its rate,
//! Crawl-delay, a `Retry-After` pause, robots.txt unavailable) goes back on the heap at
//! the time it gives. So no slot ever sits waiting on politeness while another host could
//! be served, and a host with 100,000 pages gets its turn like one with 50: one request
//! per turn, each host back in line when its clock allows.
//!
//! The scheduler does no IO: the crawl loop fills heads from the state
//! ([`Scheduler::wanted`] then [`Scheduler::fill`]) and reports what finished.

use crate::fetch::Readiness;
use crate::frontier::state::Claimed;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// What the crawl should start next.
#[derive(Debug, PartialEq)]
pub(crate) enum Work {
    /// Fetch this URL (its host is ready now); report with [`Scheduler::done`].
    Fetch { host: String, claimed: Claimed },
    /// Fetch the robots.txt of this URL's origin first; report with
    /// [`Scheduler::robots_done`].
    Robots { host: String, url: Url },
}

/// How many hosts are in each state, for the progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct HostStates {
    /// Hosts with a request on the wire (or being processed).
    pub active: u64,
    /// Hosts with work waiting for their rate limit or Crawl-delay.
    pub waiting: u64,
    /// Hosts paused by `Retry-After` or an unavailable robots.txt.
    pub paused: u64,
}

#[derive(Debug, Default)]
struct HostQueue {
    /// Claimed URLs not yet handed out, in claim order.
    head: VecDeque<Claimed>,
    /// URLs handed out and not yet reported done.
    in_flight: usize,
    /// The state may hold pending URLs of this host beyond the head.
    more: bool,
    /// A robots.txt fetch for this host is running.
    robots: bool,
    /// The heap entry that counts (older entries of the host are stale).
    queued: Option<(Instant, u64)>,
    /// What the last look at the host found, for [`HostStates`].
    paused: bool,
    /// The URL handed out last (to ask the fetcher how long the host must still wait).
    last: Option<Url>,
}

/// Per-host queue heads and the ready-queue (see the module doc).
#[derive(Debug)]
pub(crate) struct Scheduler {
    hosts: HashMap<String, HostQueue>,
    heap: BinaryHeap<Reverse<(Instant, u64, String)>>,
    seq: u64,
    /// Hosts whose head is empty while the state may hold more.
    to_fill: HashSet<String>,
    /// URLs claimed per host at a time.
    head_len: usize,
    /// Requests handed out per host at once (the fetcher's per-host concurrency).
    per_host: usize,
    /// The time between two requests to a host, when rate-limited: a host just served
    /// is looked at again after this long.
    interval: Duration,
}

impl Scheduler {
    /// A scheduler that hands out at most `per_host` URLs of a host at once, claims
    /// `head_len` URLs of a host at a time, and looks at a host again `interval` after
    /// serving it.
    pub fn new(per_host: usize, head_len: usize, interval: Option<Duration>) -> Scheduler {
        Scheduler {
            hosts: HashMap::new(),
            heap: BinaryHeap::new(),
            seq: 0,
            to_fill: HashSet::new(),
            head_len: head_len.max(1),
            per_host: per_host.max(1),
            interval: interval.unwrap_or_default(),
        }
    }

    /// The state may hold pending URLs of `host` (new ones were queued, or it is a host
    /// of a resumed crawl).
    pub fn more(&mut self, host: &str) {
        let q = self.hosts.entry(host.to_string()).or_default();
        q.more = true;
        if q.head.is_empty() {
            self.to_fill.insert(host.to_string());
        }
    }

    /// Hosts whose head needs URLs from the state, with how many to claim for each.
    /// Every host returned must be answered with [`fill`](Self::fill).
    pub fn wanted(&mut self) -> Vec<(String, usize)> {
        let n = self.head_len;
        let mut out: Vec<(String, usize)> = self.to_fill.drain().map(|h| (h, n)).collect();
        out.sort();
        out
    }

    /// The URLs claimed for `host` after [`wanted`](Self::wanted) asked for `asked`.
    /// Fewer than asked means the state holds no more for now.
    pub fn fill(&mut self, host: &str, claimed: Vec<Claimed>, asked: usize, now: Instant) {
        let q = self.hosts.entry(host.to_string()).or_default();
        q.more = claimed.len() >= asked;
        let got = !claimed.is_empty();
        q.head.extend(claimed);
        if got {
            self.queue(host, now);
        }
    }

    /// The next piece of work whose host is ready at `now`, asking `readiness` about
    /// each host's next URL; `None` when no host is ready (see [`wake`](Self::wake)).
    pub fn next(&mut self, now: Instant, readiness: impl Fn(&Url) -> Readiness) -> Option<Work> {
        while let Some(Reverse((at, seq, _))) = self.heap.peek() {
            if *at > now {
                return None;
            }
            let (at, seq) = (*at, *seq);
            let Reverse((_, _, host)) = self.heap.pop()?;
            let Some(q) = self.hosts.get_mut(&host) else {
                continue;
            };
            if q.queued != Some((at, seq)) {
                continue; // a stale entry: the host was queued again since
            }
            q.queued = None;
            if q.robots || q.in_flight >= self.per_host {
                continue; // robots_done or done queues it again
            }
            let Some(front) = q.head.front() else {
                if q.more {
                    self.to_fill.insert(host);
                }
                continue;
            };
            match readiness(&front.url) {
                Readiness::Now => {
                    let Some(claimed) = q.head.pop_front() else {
                        continue;
                    };
                    q.in_flight += 1;
                    q.paused = false;
                    q.last = Some(claimed.url.clone());
                    if q.head.is_empty() && q.more {
                        self.to_fill.insert(host.clone());
                    }
                    if q.in_flight < self.per_host && !q.head.is_empty() {
                        let at = now + self.interval;
                        self.queue(&host, at);
                    }
                    return Some(Work::Fetch { host, claimed });
                }
                Readiness::NeedsRobots => {
                    q.robots = true;
                    let url = front.url.clone();
                    return Some(Work::Robots { host, url });
                }
                Readiness::Wait(t) => {
                    q.paused = false;
                    self.queue(&host, t.max(now));
                }
                Readiness::Paused(t) => {
                    q.paused = true;
                    self.queue(&host, t.max(now));
                }
            }
        }
        None
    }

    /// A URL of `host` handed out by [`next`](Self::next) is finished.
    pub fn done(&mut self, host: &str, now: Instant) {
        if let Some(q) = self.hosts.get_mut(host) {
            q.in_flight = q.in_flight.saturating_sub(1);
            self.requeue(host, now);
        }
    }

    /// The robots.txt fetch of `host` asked for by [`Work::Robots`] is finished.
    pub fn robots_done(&mut self, host: &str, now: Instant) {
        if let Some(q) = self.hosts.get_mut(host) {
            q.robots = false;
            self.requeue(host, now);
        }
    }

    /// When the earliest waiting host is next worth looking at.
    pub fn wake(&self) -> Option<Instant> {
        self.heap.peek().map(|Reverse((at, _, _))| *at)
    }

    /// True when some host's head waits for [`wanted`](Self::wanted).
    pub fn has_fill(&self) -> bool {
        !self.to_fill.is_empty()
    }

    /// True when no host has work: nothing in a head, nothing handed out, nothing more
    /// in the state, nothing to fill.
    pub fn is_idle(&self) -> bool {
        self.to_fill.is_empty()
            && self
                .hosts
                .values()
                .all(|q| q.head.is_empty() && q.in_flight == 0 && !q.more && !q.robots)
    }

    /// Take every URL still in a head (to hand back to the state when the crawl stops).
    pub fn drain_heads(&mut self) -> Vec<Url> {
        self.hosts
            .values_mut()
            .flat_map(|q| q.head.drain(..).map(|c| c.url))
            .collect()
    }

    /// Drop `host` (its lease went to another worker, or it is given back): its head is
    /// returned, and nothing more of it is handed out until [`more`](Self::more) names it
    /// again. URLs already handed out may still report [`done`](Self::done).
    pub fn forget(&mut self, host: &str) -> Vec<Url> {
        self.to_fill.remove(host);
        match self.hosts.remove(host) {
            Some(q) => q.head.into_iter().map(|c| c.url).collect(),
            None => Vec::new(),
        }
    }

    /// The hosts to give back at a lease round, with the URL handed out last (if any):
    /// every idle host (nothing in its head, nothing handed out, nothing more in the
    /// state), then up to `excess` more among those with nothing handed out, shortest
    /// heads first. A host with a request out or a robots.txt fetch running is kept.
    pub fn hosts_to_give(&self, excess: usize) -> Vec<(String, Option<Url>)> {
        let mut spare: Vec<(&String, &HostQueue)> = self
            .hosts
            .iter()
            .filter(|(_, q)| q.in_flight == 0 && !q.robots)
            .collect();
        // Idle first (`more` false with an empty head; `to_fill` implies `more`).
        spare.sort_by_key(|(h, q)| (q.more || !q.head.is_empty(), q.head.len(), (*h).clone()));
        let idle = spare
            .iter()
            .take_while(|(_, q)| !q.more && q.head.is_empty())
            .count();
        spare
            .into_iter()
            .take(idle + excess)
            .map(|(h, q)| (h.clone(), q.last.clone()))
            .collect()
    }

    /// How many hosts are active, waiting on politeness, or paused.
    pub fn states(&self) -> HostStates {
        let mut s = HostStates::default();
        for q in self.hosts.values() {
            if q.in_flight > 0 || q.robots {
                s.active += 1;
            } else if !q.head.is_empty() {
                if q.paused {
                    s.paused += 1;
                } else {
                    s.waiting += 1;
                }
            }
        }
        s
    }

    /// Queue `host` again at `now` if it has anything to hand out.
    fn requeue(&mut self, host: &str, now: Instant) {
        let Some(q) = self.hosts.get(host) else {
            return;
        };
        if !q.head.is_empty() {
            self.queue(host, now);
        } else if q.more {
            self.to_fill.insert(host.to_string());
        }
    }

    /// Put `host` on the heap at `at`, unless it is already there at an earlier time.
    fn queue(&mut self, host: &str, at: Instant) {
        let Some(q) = self.hosts.get_mut(host) else {
            return;
        };
        if q.queued.is_some_and(|(t, _)| t <= at) {
            return;
        }
        self.seq += 1;
        q.queued = Some((at, self.seq));
        self.heap.push(Reverse((at, self.seq, host.to_string())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontier::Kind;

    fn claimed(host: &str, i: usize) -> Claimed {
        Claimed {
            url: Url::parse(&format!("http://{host}/{i}")).unwrap(),
            kind: Kind::Article,
            depth: 1,
            attempts: 1,
            etag: None,
            last_modified: None,
        }
    }

    fn fill_all(s: &mut Scheduler, sizes: &HashMap<&str, usize>, now: Instant) {
        for (host, n) in s.wanted() {
            let left = sizes[host.as_str()];
            let batch = (0..n.min(left)).map(|i| claimed(&host, i)).collect();
            s.fill(&host, batch, n, now);
        }
    }

    fn host_of(w: &Work) -> String {
        match w {
            Work::Fetch { host, .. } => host.clone(),
            Work::Robots { host, .. } => host.clone(),
        }
    }

    #[tokio::test]
    async fn hands_out_one_url_per_ready_host_in_turn_and_skips_hosts_that_must_wait() {
        let now = Instant::now();
        let mut s = Scheduler::new(1, 4, Some(Duration::from_secs(1)));
        let sizes: HashMap<&str, usize> = [("big", 100), ("small", 2), ("slow", 3)].into();
        for h in sizes.keys() {
            s.more(h);
        }
        fill_all(&mut s, &sizes, now);
        // "slow" is not allowed before now + 5 s; the others are ready.
        let later = now + Duration::from_secs(5);
        let readiness = |u: &Url| match u.host_str() {
            Some("slow") => Readiness::Wait(later),
            _ => Readiness::Now,
        };
        let mut got: Vec<String> = std::iter::from_fn(|| s.next(now, readiness))
            .map(|w| host_of(&w))
            .collect();
        got.sort();
        // One URL each for the two ready hosts (per-host concurrency 1), none for "slow".
        assert_eq!(got, ["big", "small"]);
        assert_eq!(s.wake(), Some(later));
        assert_eq!(
            s.states(),
            HostStates {
                active: 2,
                waiting: 1,
                paused: 0
            }
        );
        // Nothing more until a host reports done.
        assert_eq!(s.next(now, readiness), None);
        s.done("small", now);
        match s.next(now, readiness) {
            Some(Work::Fetch { claimed, .. }) => {
                assert_eq!(claimed.url.as_str(), "http://small/1")
            }
            other => panic!("expected small's second URL, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_small_host_finishes_while_a_big_one_is_still_going() {
        let now = Instant::now();
        let mut s = Scheduler::new(1, 4, None);
        let sizes: HashMap<&str, usize> = [("big", 1000), ("small", 3)].into();
        for h in sizes.keys() {
            s.more(h);
        }
        let mut served: HashMap<String, usize> = HashMap::new();
        let mut order = Vec::new();
        for _ in 0..10 {
            fill_all(&mut s, &sizes, now);
            let mut round = Vec::new();
            while let Some(w) = s.next(now, |_| Readiness::Now) {
                round.push(host_of(&w));
            }
            for h in round {
                *served.entry(h.clone()).or_default() += 1;
                s.done(&h, now);
                order.push(h);
            }
        }
        // Round-robin: "small" got its 3 URLs within the first 6 handed out.
        let small_done = order
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == "small")
            .map(|(i, _)| i)
            .nth(2)
            .unwrap();
        assert!(small_done < 6, "small finished at {small_done}: {order:?}");
        assert!(served["big"] >= 7);
    }

    #[tokio::test]
    async fn robots_first_then_pages_and_paused_hosts_are_counted() {
        let now = Instant::now();
        let mut s = Scheduler::new(1, 2, None);
        s.more("a");
        s.more("p");
        for (host, n) in s.wanted() {
            let batch = (0..n).map(|i| claimed(&host, i)).collect();
            s.fill(&host, batch, n, now);
        }
        let until = now + Duration::from_secs(60);
        let first: Vec<Work> = std::iter::from_fn(|| {
            s.next(now, |u| match u.host_str() {
                Some("p") => Readiness::Paused(until),
                _ => Readiness::NeedsRobots,
            })
        })
        .collect();
        assert!(matches!(&first[..], [Work::Robots { host, .. }] if host == "a"));
        assert_eq!(s.states().paused, 1);
        // While robots.txt is being fetched, the host gets nothing else.
        assert_eq!(s.next(now, |_| Readiness::Now), None);
        s.robots_done("a", now);
        assert!(matches!(
            s.next(now, |_| Readiness::Now),
            Some(Work::Fetch { .. })
        ));
        // Heads drained on stop: "a" has one left, "p" both.
        let mut left = s.drain_heads();
        left.sort();
        assert_eq!(left.len(), 3);
        assert!(!s.is_idle(), "a URL is still in flight");
        s.done("a", now);
        // "more" is still true for both (the fill returned as many as asked).
        assert!(!s.is_idle());
    }

    #[test]
    fn hosts_to_give_are_the_idle_ones_then_the_shortest_heads_never_busy_ones() {
        let now = Instant::now();
        let mut s = Scheduler::new(1, 4, None);
        let sizes: HashMap<&str, usize> =
            [("idle", 1), ("short", 2), ("long", 4), ("busy", 4)].into();
        for h in sizes.keys() {
            s.more(h);
        }
        fill_all(&mut s, &sizes, now);
        // Hand out idle's only URL, and one of busy's (still on the wire).
        let mut handed = Vec::new();
        while let Some(w) = s.next(now, |_| Readiness::Now) {
            handed.push(host_of(&w));
        }
        for h in &handed {
            if h != "busy" {
                s.done(h, now);
            }
        }
        let names =
            |v: Vec<(String, Option<Url>)>| v.into_iter().map(|(h, _)| h).collect::<Vec<_>>();
        assert_eq!(names(s.hosts_to_give(0)), ["idle"]);
        let given = s.hosts_to_give(1);
        assert_eq!(names(given.clone()), ["idle", "short"]);
        assert_eq!(given[0].1.as_ref().map(Url::as_str), Some("http://idle/0"));
        assert_eq!(
            names(s.hosts_to_give(9)),
            ["idle", "short", "long"],
            "busy is kept"
        );
        assert_eq!(
            s.forget("short"),
            vec![Url::parse("http://short/1").unwrap()]
        );
        assert_eq!(names(s.hosts_to_give(9)), ["idle", "long"]);
    }
}
