//! Fetching: the HTTP client, per-host rate limits, robots.txt and retries. PLACEHOLDER.
