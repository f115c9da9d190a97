//! The integration tests, one binary (a module per area): crawls of the sample site on
//! loopback, `kill -9` and resume, the fetcher against misbehaving servers, the shared
//! corpus and mirrors, fixtures, the README's claims.
//!
//! Tests that need the shared data folder (`../shared`) say SKIPPED when it is absent,
//! and fail instead when `UNINEWS_REQUIRE_SHARED=1` (as `.ci/run` sets it).

mod common;
mod pg;
mod support;

mod cli_output;
mod corpus_scores;
mod crawl_assets;
mod crawl_assets_rate;
mod crawl_hosts;
mod crawl_kill;
mod crawl_mirrors;
mod crawl_recrawl;
mod crawl_sample;
mod crawl_warc;
mod crawl_workers;
mod decode_corpus;
mod extract_robustness;
mod fetch_net;
mod fixtures;
mod fixtures_live;
mod frontier_discover;
mod frontier_pg;
mod frontier_state;
mod generic_floor;
mod hostile;
mod hostile_decode;
mod links_scale;
mod list_rules;
mod properties;
mod readme;
mod sample_site;
mod schema;
mod serve_replay;
mod warc_exchanges;
