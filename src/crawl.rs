//! The crawl: the one place that wires fetch, frontier, extract and store together.
//! PLACEHOLDER.
