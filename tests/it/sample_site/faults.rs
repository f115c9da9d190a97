//! Each injected fault does what it says.

use super::{client, get, start, text_of};
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use uninews_sample::{
    Fault, FaultRule, Faults, PathMatch, RetryAfter, SampleServer, ServerConfig, SiteConfig,
};

async fn server() -> SampleServer {
    start(SiteConfig::default().with_articles(20)).await
}

fn article(server: &SampleServer, i: usize) -> String {
    server.site().articles()[i].clone()
}

#[tokio::test]
async fn status_fault_strikes_n_times_then_the_page_is_served() {
    let server = server().await;
    let c = client();
    let path = article(&server, 2);
    server.add_fault(FaultRule::new(PathMatch::exact(&path), Fault::Status(500)).times(2));
    let other = article(&server, 3);
    assert_eq!(
        get(&c, &server.url(&other)).await.0,
        StatusCode::OK,
        "other paths unaffected"
    );
    let mut got = Vec::new();
    for _ in 0..4 {
        got.push(get(&c, &server.url(&path)).await.0.as_u16());
    }
    assert_eq!(got, [500, 500, 200, 200]);
    assert_eq!(server.count(&path), 4);
    let log: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect();
    assert_eq!(log[0].faults, ["status 500"]);
    assert!(log[2].faults.is_empty());

    // A pattern rule counts each matching path separately.
    server.set_faults(
        Faults::none().with(
            FaultRule::new(
                PathMatch::regex(r"^/info/1078/\d+\.htm$").expect("re"),
                Fault::Status(503),
            )
            .times(1),
        ),
    );
    let vsb = server.site().section_articles("xyxw").expect("section");
    for p in &vsb[..3] {
        assert_eq!(
            get(&c, &server.url(p)).await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(get(&c, &server.url(p)).await.0, StatusCode::OK);
    }
    server.clear_faults();
    assert_eq!(get(&c, &server.url(&path)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn too_many_requests_carries_retry_after_in_both_forms() {
    let server = server().await;
    let c = client();
    server.add_fault(
        FaultRule::new(
            PathMatch::exact("/xyxw.htm"),
            Fault::TooManyRequests(RetryAfter::Seconds(3)),
        )
        .times(1),
    );
    server.add_fault(FaultRule::new(
        PathMatch::exact("/9364/list.htm"),
        Fault::TooManyRequests(RetryAfter::HttpDate(120)),
    ));
    let (status, h, _) = get(&c, &server.url("/xyxw.htm")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(h["retry-after"], "3");
    assert_eq!(get(&c, &server.url("/xyxw.htm")).await.0, StatusCode::OK);
    let (status, h, _) = get(&c, &server.url("/9364/list.htm")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let when = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(h["retry-after"].to_str().expect("ascii"))
        .expect("an HTTP-date");
    let ahead = when.duration_since(jiff::Timestamp::now()).as_secs();
    assert!((100..=121).contains(&ahead), "{ahead}s ahead");
}

#[tokio::test]
async fn redirect_chains_end_at_the_page_and_loops_loop() {
    let server = server().await;
    let c = client();
    let (from, to) = (article(&server, 1), article(&server, 5));
    server.add_fault(FaultRule::new(
        PathMatch::exact(&from),
        Fault::RedirectChain {
            hops: 3,
            to: Some(to.clone()),
        },
    ));
    let mut url = server.url(&from);
    let mut hops = 0;
    let final_status = loop {
        let r = c.get(url.clone()).send().await.expect("response");
        if !r.status().is_redirection() {
            break r.status();
        }
        hops += 1;
        url = url
            .join(r.headers()["location"].to_str().expect("ascii"))
            .expect("location");
        assert!(hops < 10);
    };
    assert_eq!(
        (hops, final_status, url.path()),
        (3, StatusCode::OK, to.as_str())
    );

    // A chain back to the same URL is taken once, then the page is served.
    let same = article(&server, 7);
    server.add_fault(FaultRule::new(
        PathMatch::exact(&same),
        Fault::RedirectChain { hops: 2, to: None },
    ));
    let r = c.get(server.url(&same)).send().await.expect("r");
    assert_eq!(r.status(), StatusCode::FOUND);
    let hop = server.url(r.headers()["location"].to_str().expect("ascii"));
    assert!(hop.path().starts_with("/__hop"));
    let r = c.get(hop).send().await.expect("r");
    assert_eq!(r.headers()["location"].to_str().expect("ascii"), same);
    assert_eq!(get(&c, &server.url(&same)).await.0, StatusCode::OK);

    // A loop never reaches a page; a following client gives up.
    let looping = article(&server, 9);
    server.add_fault(FaultRule::new(
        PathMatch::exact(&looping),
        Fault::RedirectLoop,
    ));
    let mut url = server.url(&looping);
    let mut visited = Vec::new();
    for _ in 0..6 {
        let r = c.get(url.clone()).send().await.expect("r");
        assert_eq!(r.status(), StatusCode::FOUND);
        visited.push(url.path().to_string());
        url = url
            .join(r.headers()["location"].to_str().expect("ascii"))
            .expect("loc");
    }
    assert_eq!(visited[0], visited[2]);
    assert_ne!(visited[0], visited[1]);
    let follower = reqwest::Client::builder().build().expect("client");
    let err = follower
        .get(server.url(&looping))
        .send()
        .await
        .expect_err("too many redirects");
    assert!(err.is_redirect(), "{err}");
}

#[tokio::test]
async fn off_site_redirect_points_at_another_host_name() {
    let server = server().await;
    let c = client();
    let path = article(&server, 4);
    server.add_fault(FaultRule::new(
        PathMatch::exact(&path),
        Fault::OffsiteRedirect {
            host: "localhost".into(),
        },
    ));
    let r = c.get(server.url(&path)).send().await.expect("r");
    assert_eq!(r.status(), StatusCode::FOUND);
    let loc = url::Url::parse(r.headers()["location"].to_str().expect("ascii")).expect("absolute");
    assert_eq!(loc.host_str(), Some("localhost"));
    assert_ne!(loc.host_str(), server.base_url().host_str());
    assert_eq!(
        (loc.port(), loc.path()),
        (Some(server.addr().port()), path.as_str())
    );
}

#[tokio::test]
async fn resets_are_client_errors() {
    let server = server().await;
    let c = client();
    let path = article(&server, 6);
    server.add_fault(
        FaultRule::new(PathMatch::exact(&path), Fault::ResetMidBody { after: 300 }).times(1),
    );
    let r = c
        .get(server.url(&path))
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(r.status(), StatusCode::OK);
    let promised = r.content_length().expect("content-length");
    assert!(promised > 300);
    assert!(r.bytes().await.is_err(), "the body is cut short");
    assert_eq!(
        get(&c, &server.url(&path)).await.0,
        StatusCode::OK,
        "then served"
    );

    let path = article(&server, 8);
    server.add_fault(FaultRule::new(PathMatch::exact(&path), Fault::CloseWithoutResponse).times(2));
    for _ in 0..2 {
        let err = c
            .get(server.url(&path))
            .send()
            .await
            .expect_err("no response");
        assert!(!err.is_status() && !err.is_timeout(), "{err}");
    }
    assert_eq!(get(&c, &server.url(&path)).await.0, StatusCode::OK);
    let statuses: Vec<Option<u16>> = server
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [None, None, Some(200)]);
}

#[tokio::test]
async fn slow_headers_and_slow_bodies() {
    let server = server().await;
    let c = client();
    let (a, b) = (article(&server, 0), article(&server, 1));
    let normal = get(&c, &server.url(&b)).await.2;
    server.add_fault(FaultRule::new(
        PathMatch::exact(&a),
        Fault::Delay(Duration::from_millis(300)),
    ));
    server.add_fault(FaultRule::new(
        PathMatch::exact(&b),
        Fault::SlowBody {
            chunk: 1000,
            interval: Duration::from_millis(30),
        },
    ));
    let t = Instant::now();
    assert_eq!(get(&c, &server.url(&a)).await.0, StatusCode::OK);
    assert!(
        t.elapsed() >= Duration::from_millis(290),
        "the delay happened"
    );
    let mut r = c.get(server.url(&b)).send().await.expect("r");
    let mut chunks = Vec::new();
    while let Some(chunk) = r.chunk().await.expect("chunk") {
        chunks.push(chunk);
    }
    assert!(
        chunks.len() >= normal.len() / 1000,
        "{} pieces",
        chunks.len()
    );
    assert_eq!(chunks.concat(), normal, "same bytes, slowly");
}

#[tokio::test]
async fn gbk_faults_reencode_utf8_pages() {
    let server = server().await;
    let c = client();
    let (a, b) = (article(&server, 0), article(&server, 1));
    server.add_fault(FaultRule::new(PathMatch::exact(&a), Fault::Gbk));
    server.add_fault(FaultRule::new(PathMatch::exact(&b), Fault::GbkMislabelled));
    for (path, label) in [(&a, "GBK"), (&b, "utf-8")] {
        let (_, h, body) = get(&c, &server.url(path)).await;
        assert!(std::str::from_utf8(&body).is_err());
        assert!(h["content-type"].to_str().expect("ascii").ends_with(label));
        let title = server.expected_record(path).expect("article").title;
        assert!(
            text_of(&h, &body).contains(&title),
            "{path} decodes despite its {label} label"
        );
    }
}

#[tokio::test]
async fn demo_faults_all_recover_within_three_tries() {
    let config = ServerConfig::demo();
    let faults = config.faults.clone();
    assert!(faults.rules().len() >= 8);
    assert_eq!(config.site, SiteConfig::demo());
    let server = SampleServer::start(config).await.expect("start");
    let c = client();
    for rule in faults.rules() {
        let PathMatch::Exact(path) = &rule.matcher else {
            panic!("demo rules are exact")
        };
        let mut ok = false;
        for _ in 0..3 {
            if let Ok(r) = c.get(server.url(path)).send().await
                && r.status() == StatusCode::OK
                && r.bytes().await.is_ok()
            {
                ok = true;
                break;
            }
        }
        assert!(ok, "{path} ({:?}) never recovered", rule.fault);
    }
}
