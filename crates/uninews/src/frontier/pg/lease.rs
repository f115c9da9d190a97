//! Host leases: which hosts this worker may fetch, and the fleet-wide rules around them.
//!
//! - A worker claims URLs of a host only while it holds the host's lease
//!   ([`PgFrontier::claim_leased`]); taking a free or expired lease and claiming happen in
//!   one transaction, and candidate rows are locked `FOR UPDATE SKIP LOCKED`, so two
//!   workers never take the same host.
//! - A worker holds at most its fair share: hosts with work divided by live workers
//!   (rounded up). Renewal ([`PgFrontier::renew_leases`]) recomputes the share and tells
//!   the crawl how many hosts to give back, so workers that join late get their part.
//! - Taking a host whose holder stopped renewing puts the URLs the holder left in flight
//!   back in the queue: it is dead (or cut off), and its requests are over.
//! - A host given back keeps a `not_before` time: its rate or Crawl-delay still counts
//!   when the next worker takes it.

use super::conn::Session;
use super::urls::release;
use super::{PgFrontier, machine, process_alive};
use crate::frontier::backend::{PassStart, Renewal};
use crate::frontier::state::{Claimed, StateError, now};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Duration;
use url::Url;

/// Hosts a worker may hold beyond its share before it is asked to give some back.
fn slack(share: usize) -> usize {
    (share / 20).max(1)
}

impl PgFrontier {
    /// Register this worker in `workers`, refusing a live namesake.
    pub(super) fn register(&self) -> Result<(), StateError> {
        let me = self.opts.worker.clone();
        let out = self.opts.out.clone();
        let lease = self.lease_secs();
        let (machine, pid) = (machine(), i32::try_from(std::process::id()).unwrap_or(0));
        let clash = self.side.call(move |s| {
            s.tx(|s| {
                let rows = s.query(
                    "SELECT machine, pid, heartbeat_at > now() - make_interval(secs => $2)
                     FROM workers WHERE name = $1 AND NOT stopped FOR UPDATE",
                    &[&me, &lease],
                )?;
                if let Some(r) = rows.first() {
                    let (m, p, fresh): (String, i32, bool) = (r.get(0), r.get(1), r.get(2));
                    let dead_here = m == machine && p != pid && !process_alive(p);
                    if fresh && !dead_here {
                        return Ok(Some(format!("{m} pid {p}")));
                    }
                }
                s.execute(
                    "INSERT INTO workers (name, machine, pid, out_dir, started_at, heartbeat_at)
                     VALUES ($1, $2, $3, $4, now(), now())
                     ON CONFLICT (name) DO UPDATE SET machine = $2, pid = $3, out_dir = $4,
                         started_at = now(), heartbeat_at = now(), stopped = false",
                    &[&me, &machine, &pid, &out],
                )?;
                Ok(None)
            })
        })?;
        if let Some(who) = clash {
            return Err(self.shared(format!(
                "worker {:?} is running ({who}, heartbeat younger than the lease); give this one another --worker name",
                self.opts.worker
            )));
        }
        self.side
            .call(|s| s.batch_execute("SET lock_timeout = '2s'"))?;
        Ok(())
    }

    /// Recompute the fair share: hosts with work / live workers, rounded up.
    fn update_share(&self) -> Result<usize, StateError> {
        let lease = self.lease_secs();
        let rows = self.side.call(move |s| {
            s.query(
                "SELECT
                   (SELECT count(*) FROM workers
                     WHERE NOT stopped AND heartbeat_at > now() - make_interval(secs => $1)),
                   (SELECT count(*) FROM hosts h WHERE EXISTS (SELECT 1 FROM urls u
                     WHERE u.host = h.host AND u.state IN ('pending', 'in_flight')))",
                &[&lease],
            )
        })?;
        let (live, busy) = rows.first().map_or((1, 0), |r| {
            (
                r.get::<_, i64>(0).max(1) as usize,
                r.get::<_, i64>(1).max(0) as usize,
            )
        });
        let share = busy.div_ceil(live).max(1);
        self.share.store(share, Ordering::Relaxed);
        Ok(share)
    }

    /// Hosts with work this worker holds or may take now (a free or expired lease, past
    /// its `not_before`), its own first, then in an order of its own (so workers reach
    /// for different hosts), at most its share. Hosts whose expired holder left URLs in
    /// flight count as having work.
    pub(super) fn leasable_hosts(&self) -> Result<Vec<String>, StateError> {
        let me = self.opts.worker.clone();
        // The share from the last renewal; computed here only before the first one (a
        // crawl asks once its start URLs are in, before any renewal).
        let share = match self.share.load(Ordering::Relaxed) {
            usize::MAX => self.update_share()?,
            known => known,
        };
        let limit = i64::try_from(share).unwrap_or(i64::MAX);
        let rows = self.main.call(move |s| {
            s.query(
                "SELECT h.host FROM hosts h
                 WHERE (h.worker = $1 OR h.worker IS NULL OR h.lease_until < now())
                   AND (h.worker = $1 OR h.not_before IS NULL OR h.not_before <= now())
                   AND EXISTS (SELECT 1 FROM urls u WHERE u.host = h.host
                       AND (u.state = 'pending'
                            OR (u.state = 'in_flight' AND h.worker IS DISTINCT FROM $1)))
                 ORDER BY h.worker IS NOT DISTINCT FROM $1 DESC, md5(h.host || $1)
                 LIMIT $2",
                &[&me, &limit],
            )
        })?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Claim up to `n` pending URLs of each host asked for, taking leases as needed (see
    /// the module doc); hosts this worker cannot hold get an empty list.
    pub(super) fn claim_leased(
        &self,
        wanted: &[(&str, usize)],
    ) -> Result<Vec<Vec<Claimed>>, StateError> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let hosts: Vec<String> = wanted.iter().map(|(h, _)| h.to_string()).collect();
        let ns: Vec<i32> = wanted
            .iter()
            .map(|(_, n)| i32::try_from(*n).unwrap_or(i32::MAX))
            .collect();
        let me = self.opts.worker.clone();
        let lease = self.lease_secs();
        let share = i64::try_from(self.share.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
        let (leased, rows) = self
            .main
            .call(move |s| s.tx(|s| claim(s, &hosts, &ns, &me, lease, share)))?;
        let mut per_host: std::collections::HashMap<String, Vec<(i32, i64, Claimed)>> =
            Default::default();
        for r in &rows {
            let host: String = r.get(0);
            let c = self.claimed_of(r, 3)?;
            per_host
                .entry(host)
                .or_default()
                .push((r.get(1), r.get(2), c));
        }
        self.held().extend(leased);
        Ok(wanted
            .iter()
            .map(|(h, _)| {
                let mut v = per_host.remove(*h).unwrap_or_default();
                v.sort_by_key(|(p, id, _)| (*p, *id));
                v.into_iter().map(|(_, _, c)| c).collect()
            })
            .collect())
    }

    /// Heartbeat, renew every lease this worker holds, recompute the share.
    pub(super) fn renew_leases(&self) -> Result<Renewal, StateError> {
        let me = self.opts.worker.clone();
        let lease = self.lease_secs();
        let holding: HashSet<String> = self.side.call(move |s| {
            s.tx(|s| {
                s.execute(
                    "UPDATE workers SET heartbeat_at = now(), stopped = false WHERE name = $1",
                    &[&me],
                )?;
                let rows = s.query(
                    "UPDATE hosts SET lease_until = now() + make_interval(secs => $2)
                     WHERE worker = $1 RETURNING host",
                    &[&me, &lease],
                )?;
                Ok(rows.iter().map(|r| r.get(0)).collect())
            })
        })?;
        let lost = {
            let mut held = self.held();
            let lost: Vec<String> = held.difference(&holding).cloned().collect();
            *held = holding.clone();
            lost
        };
        let share = self.update_share()?;
        let excess = if holding.len() > share + slack(share) {
            holding.len() - share
        } else {
            0
        };
        if !lost.is_empty() {
            tracing::warn!(
                "{} host(s) were taken over by other workers (this worker renewed too late): {}",
                lost.len(),
                lost.join(", ")
            );
        }
        Ok(Renewal { lost, excess })
    }

    /// Give hosts back with their waits, and their unstarted URLs.
    pub(super) fn give_back(
        &self,
        hosts: &[(String, Duration)],
        unstarted: &[Url],
    ) -> Result<(), StateError> {
        let me = self.opts.worker.clone();
        let min_gap = self.opts.min_gap;
        let list: Vec<(String, f64)> = hosts
            .iter()
            .map(|(h, d)| (h.clone(), (*d).max(min_gap).as_secs_f64()))
            .collect();
        let urls: Vec<String> = unstarted.iter().map(Url::to_string).collect();
        self.main.call(move |s| {
            s.tx(|s| {
                release(s, &urls)?;
                for (h, wait) in &list {
                    s.execute(
                        "UPDATE hosts SET worker = NULL, lease_until = NULL,
                            not_before = now() + make_interval(secs => $3)
                         WHERE host = $1 AND worker = $2",
                        &[h, &me, wait],
                    )?;
                }
                Ok(())
            })
        })?;
        let mut held = self.held();
        for (h, _) in hosts {
            held.remove(h);
        }
        Ok(())
    }

    /// Start or join a pass (under the advisory lock): a new one only when asked and no
    /// other worker is running.
    pub(super) fn begin_pass(&self, want_new: bool) -> Result<PassStart, StateError> {
        let me = self.opts.worker.clone();
        let lease = self.lease_secs();
        let (number, new) = self.main.call(move |s| {
            s.tx(|s| {
                s.query(
                    "SELECT pg_advisory_xact_lock($1)",
                    &[&super::schema::LOCK_KEY],
                )?;
                let rows = s.query(
                    "SELECT (SELECT value FROM meta WHERE key = 'run'),
                            (SELECT count(*) FROM workers WHERE name != $1 AND NOT stopped
                              AND heartbeat_at > now() - make_interval(secs => $2))",
                    &[&me, &lease],
                )?;
                let (run, others): (Option<String>, i64) =
                    rows.first().map_or((None, 0), |r| (r.get(0), r.get(1)));
                let current: u32 = run.and_then(|v| v.parse().ok()).unwrap_or(0);
                let new = (want_new && others == 0) || current == 0;
                let number = if new { current + 1 } else { current };
                s.execute(
                    "INSERT INTO meta (key, value) VALUES ('run', $1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[&number.to_string()],
                )?;
                Ok((number, new))
            })
        })?;
        Ok(PassStart { number, new })
    }

    /// Leave the fleet: give back every host (with the rate's wait), put URLs still in
    /// flight back in the queue, mark the worker stopped.
    pub(super) fn leave(&self) -> Result<(), StateError> {
        let me = self.opts.worker.clone();
        let wait = self.opts.min_gap.as_secs_f64();
        self.main.call(move |s| {
            s.tx(|s| {
                s.execute(
                    "UPDATE urls SET state = 'pending', worker = NULL, updated_at = $2
                     WHERE state = 'in_flight' AND worker = $1",
                    &[&me, &now()],
                )?;
                s.execute(
                    "UPDATE hosts SET worker = NULL, lease_until = NULL,
                        not_before = now() + make_interval(secs => $2)
                     WHERE worker = $1",
                    &[&me, &wait],
                )?;
                s.execute("UPDATE workers SET stopped = true WHERE name = $1", &[&me])?;
                Ok(())
            })
        })?;
        self.held().clear();
        Ok(())
    }
}

/// The claim transaction: renew this worker's leases among `hosts`, take free ones up to
/// the share, reset what expired holders left in flight, claim URLs of every leased
/// host. Returns the hosts leased and the claimed rows (`host, priority, id, url, kind,
/// depth, attempts, etag, last_modified`).
fn claim(
    s: &mut Session,
    hosts: &[String],
    ns: &[i32],
    me: &str,
    lease: f64,
    share: i64,
) -> Result<(Vec<String>, Vec<postgres::Row>), postgres::Error> {
    let mine: Vec<String> = s
        .query(
            "UPDATE hosts SET lease_until = now() + make_interval(secs => $3)
             WHERE host = ANY($1) AND worker = $2 RETURNING host",
            &[&hosts, &me, &lease],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let held: i64 = s
        .query("SELECT count(*) FROM hosts WHERE worker = $1", &[&me])?
        .first()
        .map_or(0, |r| r.get(0));
    let room = share - held;
    let mut leased = mine;
    if room > 0 && leased.len() < hosts.len() {
        let taken: Vec<String> = s
            .query(
                "WITH c AS (
                   SELECT host FROM hosts
                   WHERE host = ANY($1) AND worker IS DISTINCT FROM $2
                     AND (worker IS NULL OR lease_until < now())
                     AND (not_before IS NULL OR not_before <= now())
                   ORDER BY host LIMIT $4 FOR UPDATE SKIP LOCKED)
                 UPDATE hosts h SET worker = $2, not_before = NULL,
                     lease_until = now() + make_interval(secs => $3)
                 FROM c WHERE h.host = c.host RETURNING h.host",
                &[&hosts, &me, &lease, &room],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if !taken.is_empty() {
            // Their holders stopped renewing: what they left in flight is abandoned.
            s.execute(
                "UPDATE urls SET state = 'pending', worker = NULL
                 WHERE host = ANY($1) AND state = 'in_flight'",
                &[&taken],
            )?;
        }
        leased.extend(taken);
    }
    let leased_set: HashSet<&String> = leased.iter().collect();
    let (lh, ln): (Vec<String>, Vec<i32>) = hosts
        .iter()
        .zip(ns)
        .filter(|(h, _)| leased_set.contains(h))
        .map(|(h, n)| (h.clone(), *n))
        .unzip();
    let rows = s.query(
        "UPDATE urls u SET state = 'in_flight', attempts = u.attempts + 1, worker = $3,
             updated_at = $4
         FROM (SELECT p.id FROM unnest($1::text[], $2::int4[]) AS w(host, n)
               CROSS JOIN LATERAL (SELECT id FROM urls
                   WHERE host = w.host AND state = 'pending'
                   ORDER BY priority, id LIMIT w.n) p) pick
         WHERE u.id = pick.id
         RETURNING u.host, u.priority, u.id, u.url, u.kind, u.depth, u.attempts, u.etag,
                   u.last_modified",
        &[&lh, &ln, &me, &now()],
    )?;
    Ok((leased, rows))
}
