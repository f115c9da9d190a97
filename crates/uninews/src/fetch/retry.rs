//! Retry timing: exponential backoff with jitter, and the server's `Retry-After`.

use super::FetchConfig;
use rand::RngExt;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::Duration;

/// The wait before retry number `retry` (1 for the first retry): `base * 2^(retry-1)`,
/// capped at `max`, then jittered uniformly to 50-100 % of that ("equal jitter"), so
/// clients that failed together do not retry together.
pub fn backoff(config: &FetchConfig, retry: u32) -> Duration {
    let exp = 2u32.saturating_pow(retry.saturating_sub(1));
    let full = config
        .backoff_base
        .saturating_mul(exp)
        .min(config.backoff_max);
    let factor = rand::rng().random_range(0.5..=1.0);
    full.mul_f64(factor)
}

/// The `Retry-After` header as a wait from now: delta-seconds (`120`) or an HTTP date
/// (`Fri, 31 Dec 1999 23:59:59 GMT`; a date in the past means no wait). Unparsable
/// values are ignored. The result is capped at `config.max_retry_after` (with a warning).
pub fn retry_after(headers: &HeaderMap, config: &FetchConfig) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = parse_retry_after(raw, jiff::Timestamp::now())?;
    if wait > config.max_retry_after {
        tracing::warn!(
            retry_after = ?wait,
            cap = ?config.max_retry_after,
            "server asked for a long Retry-After; waiting the cap instead"
        );
        return Some(config.max_retry_after);
    }
    Some(wait)
}

/// Parse a `Retry-After` value relative to `now`.
pub fn parse_retry_after(raw: &str, now: jiff::Timestamp) -> Option<Duration> {
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    let at = PARSER.parse_timestamp(raw).ok()?;
    let ahead = at.duration_since(now);
    Some(Duration::try_from(ahead).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let c = FetchConfig {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(350),
            ..FetchConfig::default()
        };
        for _ in 0..50 {
            let b1 = backoff(&c, 1);
            assert!(
                b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100),
                "{b1:?}"
            );
            let b2 = backoff(&c, 2);
            assert!(
                b2 >= Duration::from_millis(100) && b2 <= Duration::from_millis(200),
                "{b2:?}"
            );
            let b9 = backoff(&c, 9);
            assert!(
                b9 >= Duration::from_millis(175) && b9 <= Duration::from_millis(350),
                "{b9:?}"
            );
        }
    }

    #[test]
    fn retry_after_forms() {
        let now: jiff::Timestamp = "2024-10-01T08:00:00Z".parse().expect("ts");
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Tue, 01 Oct 2024 08:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Tue, 01 Oct 2024 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn long_retry_after_is_capped() {
        let c = FetchConfig {
            max_retry_after: Duration::from_secs(5),
            ..FetchConfig::default()
        };
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "86400".parse().expect("header"));
        assert_eq!(retry_after(&h, &c), Some(Duration::from_secs(5)));
        h.insert(RETRY_AFTER, "3".parse().expect("header"));
        assert_eq!(retry_after(&h, &c), Some(Duration::from_secs(3)));
    }
}
