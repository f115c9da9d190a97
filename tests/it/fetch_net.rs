//! The fetch layer against scripted servers on 127.0.0.1: rate limits, robots.txt,
//! retries, redirects, bodies and conditional requests. Server-observed arrival times
//! are the evidence for politeness; rates are high and backoffs short to keep it quick.

mod body;
mod rate;
mod recorder;
mod redirects;
mod retries;
mod robots;
pub(crate) mod server;
