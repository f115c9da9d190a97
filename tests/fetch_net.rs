//! The fetch layer against scripted servers on 127.0.0.1: rate limits, robots.txt,
//! retries, redirects, bodies and conditional requests. Server-observed arrival times
//! are the evidence for politeness; rates are high and backoffs short to keep it quick.

#[path = "fetch_net/body.rs"]
mod body;
#[path = "fetch_net/rate.rs"]
mod rate;
#[path = "fetch_net/recorder.rs"]
mod recorder;
#[path = "fetch_net/redirects.rs"]
mod redirects;
#[path = "fetch_net/retries.rs"]
mod retries;
#[path = "fetch_net/robots.rs"]
mod robots;
#[path = "fetch_net/server.rs"]
mod server;
