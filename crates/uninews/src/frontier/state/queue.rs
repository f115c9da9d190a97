//! The per-host side of the queue, for a scheduler that keeps a short head of each
//! host's URLs in memory and the rest here: which hosts have pending work, claim the
//! next few URLs of many hosts in one transaction, and hand back what was claimed but
//! never fetched.

use super::{Claimed, CrawlState, StateError, now};
use rusqlite::{Connection, params};
use url::Url;

impl CrawlState {
    /// Up to `n` pending URLs of `host`, in claim order: lists first, then articles,
    /// other pages and assets, each oldest first.
    pub(super) fn pending_of(
        &self,
        conn: &Connection,
        host: &str,
        n: usize,
    ) -> Result<Vec<Claimed>, StateError> {
        let mut select = conn
            .prepare_cached(
                "SELECT url, kind, depth, attempts, etag, last_modified FROM urls
                 WHERE host = ?1 AND state = 'pending' ORDER BY priority, id LIMIT ?2",
            )
            .map_err(self.err())?;
        let rows = select
            .query_map(params![host, n as i64], |r| self.claimed(r))
            .map_err(self.err())?;
        let mut claimed = Vec::new();
        for row in rows {
            claimed.push(row.map_err(self.err())??);
        }
        Ok(claimed)
    }

    /// Mark claimed URLs `in_flight` and count the attempt (in the state and in each claim).
    pub(super) fn mark_in_flight<'c>(
        &self,
        conn: &Connection,
        claims: impl IntoIterator<Item = &'c mut Claimed>,
    ) -> Result<(), StateError> {
        let t = now();
        let mut update = conn
            .prepare_cached(
                "UPDATE urls SET state = 'in_flight', attempts = attempts + 1, updated_at = ?2
                 WHERE url = ?1",
            )
            .map_err(self.err())?;
        for c in claims {
            update
                .execute(params![c.url.as_str(), t])
                .map_err(self.err())?;
            c.attempts += 1;
        }
        Ok(())
    }

    /// Every host with at least one pending URL.
    pub fn pending_hosts(&self) -> Result<Vec<String>, StateError> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT host FROM hosts h WHERE EXISTS
                   (SELECT 1 FROM urls u WHERE u.host = h.host AND u.state = 'pending')
                 ORDER BY host",
            )
            .map_err(self.err())?;
        st.query_map([], |r| r.get(0))
            .map_err(self.err())?
            .collect::<Result<_, _>>()
            .map_err(self.err())
    }

    /// Claim up to `n` pending URLs of each host asked for, in one transaction: they
    /// become `in_flight` and their `attempts` go up by one, as with
    /// [`claim`](Self::claim). Within a host, list pages come first, then articles, then
    /// other pages, then assets, each oldest first. The answer has one list per host asked
    /// for, in the same order (empty when the host has nothing pending).
    pub fn claim_hosts(&self, wanted: &[(&str, usize)]) -> Result<Vec<Vec<Claimed>>, StateError> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let tx = self.begin()?;
        let mut out = Vec::with_capacity(wanted.len());
        for (host, n) in wanted {
            out.push(self.pending_of(&tx, host, *n)?);
        }
        self.mark_in_flight(&tx, out.iter_mut().flatten())?;
        tx.commit()?;
        Ok(out)
    }

    /// Hand back URLs that were claimed but never fetched (a crawl that stops with
    /// URLs still waiting for their host): `pending` again, the attempt undone. URLs no
    /// longer `in_flight` are left alone. Returns how many went back.
    pub fn release(&self, urls: &[Url]) -> Result<usize, StateError> {
        let tx = self.begin()?;
        let mut n = 0;
        {
            let t = now();
            let mut st = tx
                .prepare_cached(
                    "UPDATE urls SET state = 'pending', attempts = MAX(attempts - 1, 0),
                        updated_at = ?2
                     WHERE url = ?1 AND state = 'in_flight'",
                )
                .map_err(self.err())?;
            for url in urls {
                n += st.execute(params![url.as_str(), t]).map_err(self.err())?;
            }
        }
        tx.commit()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use crate::frontier::Kind;
    use crate::frontier::state::{CrawlState, NewUrl, UrlState};
    use url::Url;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn state_with(urls: &[(&str, Kind)]) -> CrawlState {
        let s = CrawlState::open_in_memory().unwrap();
        for (u, k) in urls {
            s.add(&NewUrl::start(url(u), *k)).unwrap();
        }
        s
    }

    #[test]
    fn claim_hosts_takes_lists_first_per_host_and_marks_them_in_flight() {
        let s = state_with(&[
            ("http://a.test/1", Kind::Article),
            ("http://a.test/list", Kind::List),
            ("http://a.test/2", Kind::Article),
            ("http://b.test/1", Kind::Article),
        ]);
        assert_eq!(s.pending_hosts().unwrap(), ["a.test", "b.test"]);
        let got = s
            .claim_hosts(&[("a.test", 2), ("c.test", 5), ("b.test", 5)])
            .unwrap();
        let urls: Vec<Vec<&str>> = got
            .iter()
            .map(|v| v.iter().map(|c| c.url.as_str()).collect())
            .collect();
        assert_eq!(
            urls,
            vec![
                vec!["http://a.test/list", "http://a.test/1"],
                vec![],
                vec!["http://b.test/1"]
            ]
        );
        assert!(got.iter().flatten().all(|c| c.attempts == 1));
        let row = s.get(&url("http://a.test/1")).unwrap().unwrap();
        assert_eq!((row.state, row.attempts), (UrlState::InFlight, 1));
        // b.test has nothing pending any more; a.test still has /2.
        assert_eq!(s.pending_hosts().unwrap(), ["a.test"]);
    }

    #[test]
    fn release_undoes_the_claim_of_urls_never_fetched() {
        let s = state_with(&[
            ("http://a.test/1", Kind::Article),
            ("http://a.test/2", Kind::Article),
        ]);
        let got = s.claim_hosts(&[("a.test", 2)]).unwrap();
        let done = &got[0][0].url;
        s.mark_failed(done, "http-500", Some(500)).unwrap();
        let urls: Vec<Url> = got[0].iter().map(|c| c.url.clone()).collect();
        // Only the URL still in flight goes back.
        assert_eq!(s.release(&urls).unwrap(), 1);
        let row = s.get(&url("http://a.test/2")).unwrap().unwrap();
        assert_eq!((row.state, row.attempts), (UrlState::Pending, 0));
        assert_eq!(s.get(done).unwrap().unwrap().state, UrlState::Failed);
    }
}
