//! Process limits a large crawl needs: open files. Every host keeps up to
//! `--concurrency` idle connections for reuse, and every request on the wire holds one,
//! so a crawl of thousands of hosts needs more descriptors than the usual soft limit
//! (1024). The soft limit is raised to the hard limit at the start of a crawl (the
//! kernel allows that without privileges); a warning says when even that is too small.

/// Descriptors a crawl needs beside its connections: the state database and its
/// journal, the output files, WARC files, logs.
const BASE_FDS: u64 = 64;

/// Raise the soft open-files limit as far as the hard limit allows, and warn when it is
/// still below what `hosts` hosts with `per_host` idle connections each and `global`
/// requests on the wire may need.
pub fn raise_open_files(hosts: usize, per_host: usize, global: usize) {
    let need = BASE_FDS + (hosts as u64) * (per_host as u64) + global as u64;
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) if limit < need => tracing::warn!(
            limit,
            need,
            "the open-files limit is low for {hosts} hosts: connections will fail with \
             'too many open files'; raise it (ulimit -n) or lower --global-concurrency"
        ),
        Ok(limit) => tracing::debug!(limit, need, "open-files limit"),
        Err(e) => tracing::debug!(error = %e, "cannot read or raise the open-files limit"),
    }
}
