//! The fixture workflow end to end, with the real `uninews` binary against sample sites on
//! 127.0.0.1: `crawl --fixtures K` saves spread fixtures with proposals, `check` refuses
//! them until `check --accept`, `check --live` passes on unchanged sites, exits 7 naming a
//! redesigned site, and 5 when a site cannot be reached. Also `fixture add`.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;
use uninews::fixtures::check::compare;
use uninews::fixtures::store::{expected_path, find_fixtures, proposed_path};
use uninews::frontier::state::CrawlState;
use uninews_sample::{SampleServer, ServerConfig, SiteConfig};

/// Run the binary with `args`; returns (exit code, stdout, stderr).
async fn uninews(args: Vec<String>) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let out = Command::new(env!("CARGO_BIN_EXE_uninews"))
            .args(&args)
            .output()
            .expect("uninews runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("command task")
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn p(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The fixture folder name of a sample server (no profile matches 127.0.0.1).
fn site_of(server: &SampleServer) -> String {
    format!("127.0.0.1_{}", server.addr().port())
}

/// The line of `site` in `check --live` output.
fn site_line<'a>(stdout: &'a str, site: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| !l.starts_with(' ') && l.contains(&format!(" {site}:")))
        .unwrap_or_else(|| panic!("no line for {site} in:\n{stdout}"))
}

async fn live(fixtures: &Path) -> (i32, String, String) {
    uninews(args(&[
        "check",
        "--live",
        &p(fixtures),
        "--rate",
        "100",
        "--max-attempts",
        "1",
    ]))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_fixtures_then_check_live_finds_the_redesigned_site() {
    let small = || ServerConfig::new(SiteConfig::default().with_articles(12).with_per_page(5));
    let a = server(small()).await;
    let b = server(small()).await;
    let work = tempfile::tempdir().unwrap();
    let (out, fixtures) = (work.path().join("crawl"), work.path().join("fixtures"));
    let mut crawl_args = args(&["crawl", "--rate", "100", "-q"]);
    for s in [&a, &b] {
        crawl_args.extend(s.site().start_paths().iter().map(|x| s.url(x).to_string()));
    }
    crawl_args.extend([
        "--out".into(),
        p(&out),
        "--fixtures".into(),
        "4".into(),
        "--fixtures-dir".into(),
        p(&fixtures),
    ]);
    let (code, stdout, stderr) = uninews(crawl_args.clone()).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().count(),
        8,
        "4 new fixtures per site:\n{stdout}"
    );

    // Spread over the site's two templates (VSB and WebPlus columns), not the first 4.
    let state = CrawlState::open_dir(&out).unwrap();
    for s in [&a, &b] {
        let found = find_fixtures(&fixtures.join(site_of(s))).unwrap();
        assert_eq!(found.len(), 4);
        let vsb = found
            .iter()
            .filter(|f| f.url().unwrap().contains("/info/1078/"))
            .count();
        assert_eq!(vsb, 2, "2 VSB + 2 WebPlus fixtures for {}", site_of(s));
        for f in &found {
            // The raw bytes are exactly what the crawl stored, the proposal is the record
            // the site's ground truth says, and nothing is an expectation yet.
            let url = url::Url::parse(f.url().unwrap()).unwrap();
            let row = state.get(&url).unwrap().expect("fixture URL was crawled");
            let stored = out.join("pages").join(row.page_path.unwrap());
            assert_eq!(
                std::fs::read(&f.page).unwrap(),
                std::fs::read(stored).unwrap()
            );
            assert!(f.expected.is_none() && !expected_path(&f.page).exists());
            let truth = s.expected_record(url.path()).expect("an article");
            let diffs = compare(
                &serde_json::to_value(&truth).unwrap(),
                f.proposed.as_ref().expect("a proposal"),
            );
            assert!(diffs.is_empty(), "{}: {diffs:?}", f.page.display());
        }
    }

    // The same crawl again picks the same articles: nothing new, nothing overwritten.
    let (code, stdout, stderr) = uninews(crawl_args).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "no new fixtures on a second run");
    assert!(stderr.contains("0 new, 4 already there"), "{stderr}");

    // Unreviewed fixtures never pass.
    let (code, stdout, _) = uninews(args(&["check", &p(&fixtures)])).await;
    assert_eq!(code, 6, "{stdout}");
    assert!(stdout.contains("8 new"), "{stdout}");
    let (code, stdout, _) = uninews(args(&["check", &p(&fixtures), "--accept"])).await;
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("accepted 8 new expectations"), "{stdout}");
    for f in find_fixtures(&fixtures).unwrap() {
        assert!(f.expected.is_some() && !proposed_path(&f.page).exists());
    }
    let (code, stdout, _) = uninews(args(&["check", &p(&fixtures)])).await;
    assert_eq!(code, 0, "{stdout}");

    // Both sites as they were: the live check passes.
    let (code, stdout, stderr) = live(&fixtures).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    for s in [&a, &b] {
        assert!(
            site_line(&stdout, &site_of(s)).starts_with("unchanged"),
            "{stdout}"
        );
    }
    assert_eq!(stdout.matches("  same shape ").count(), 8, "{stdout}");

    // Site A redesigns its VSB column: A is reported changed (exit 7), its untouched
    // WebPlus column and site B still pass. The stored fixtures themselves still pass.
    a.set_template_variant("xyxw", 1).unwrap();
    let (code, stdout, stderr) = live(&fixtures).await;
    assert_eq!(code, 7, "{stdout}\n{stderr}");
    assert!(
        site_line(&stdout, &site_of(&a)).starts_with("CHANGED"),
        "{stdout}"
    );
    assert!(
        site_line(&stdout, &site_of(&b)).starts_with("unchanged"),
        "{stdout}"
    );
    let fixture_lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(&site_of(&a)) && l.starts_with("  "))
        .collect();
    let changed: Vec<&&str> = fixture_lines
        .iter()
        .filter(|l| l.starts_with("  CHANGED"))
        .collect();
    assert_eq!(changed.len(), 2, "{stdout}");
    assert!(
        changed
            .iter()
            .all(|l| l.contains("info-1078-") && l.contains("extractor cms:vsb -> generic")),
        "{stdout}"
    );
    let same: Vec<&&str> = fixture_lines
        .iter()
        .filter(|l| l.starts_with("  same shape"))
        .collect();
    assert_eq!(same.len(), 2, "{stdout}");
    assert!(same.iter().all(|l| l.contains("-page.html")), "{stdout}");
    let (code, _, _) = uninews(args(&["check", &p(&fixtures)])).await;
    assert_eq!(code, 0, "offline check of the stored pages is unaffected");

    // Site B goes down: a changed site still wins (7); B is unchecked, not changed.
    b.shutdown().await;
    let (code, stdout, _) = live(&fixtures).await;
    assert_eq!(code, 7, "{stdout}");
    let b_site = site_of_port(&stdout, &a);
    assert!(b_site.starts_with("unchecked"), "{stdout}");
    // A back to its old template: nothing changed, but B could not be checked: exit 5.
    a.set_template_variant("xyxw", 0).unwrap();
    let (code, stdout, _) = live(&fixtures).await;
    assert_eq!(code, 5, "{stdout}");
    assert!(
        site_line(&stdout, &site_of(&a)).starts_with("unchanged"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("  unreachable ").count(), 4, "{stdout}");
}

/// The line of the one site that is not `a`.
fn site_of_port<'a>(stdout: &'a str, a: &SampleServer) -> &'a str {
    stdout
        .lines()
        .find(|l| !l.starts_with(' ') && l.contains(" 127.0.0.1_") && !l.contains(&site_of(a)))
        .unwrap_or_else(|| panic!("no other site in:\n{stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixture_add_proposes_a_record_that_check_holds_until_accepted() {
    let s = server(ServerConfig::new(SiteConfig::default().with_articles(5))).await;
    let work = tempfile::tempdir().unwrap();
    let fixtures = work.path().join("fx");
    let path = s.site().section_articles("sx").unwrap()[2].clone();
    let url = s.url(&path).to_string();
    let add = |u: String| {
        uninews(vec![
            "fixture".into(),
            "add".into(),
            u,
            "--fixtures-dir".into(),
            p(&fixtures),
            "--rate".into(),
            "100".into(),
        ])
    };
    let (code, stdout, stderr) = add(url.clone()).await;
    assert_eq!(code, 0, "{stderr}");
    // stdout: the proposed record, which is the site's ground truth.
    let printed: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON record");
    let truth = serde_json::to_value(s.expected_record(&path).unwrap()).unwrap();
    assert!(compare(&truth, &printed).is_empty(), "{stdout}");
    let found = find_fixtures(&fixtures).unwrap();
    assert_eq!(found.len(), 1);
    let page: PathBuf = found[0].page.clone();
    assert!(
        page.starts_with(fixtures.join(site_of(&s))),
        "{}",
        page.display()
    );
    assert_eq!(found[0].url(), Some(url.as_str()));
    assert_eq!(found[0].proposed.as_ref(), Some(&printed));
    // Politely: one robots.txt and one page request, with uninews' user agent.
    assert_eq!(s.count("/robots.txt"), 1);
    assert_eq!(s.count(&path), 1);
    let ua = s.requests().last().unwrap().user_agent.clone().unwrap();
    assert!(ua.starts_with("uninews/"), "{ua}");

    // Adding it again leaves it alone; a page disallowed by robots.txt is refused (5).
    let before = std::fs::read(proposed_path(&page)).unwrap();
    let (code, _, stderr) = add(url.clone()).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("already is the fixture"), "{stderr}");
    assert_eq!(std::fs::read(proposed_path(&page)).unwrap(), before);
    let private = s.url(&s.site().private_pages()[0]).to_string();
    let (code, _, stderr) = add(private).await;
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("robots.txt"), "{stderr}");
    assert_eq!(find_fixtures(&fixtures).unwrap().len(), 1);

    // An unreviewed fixture is no baseline for the live check: nothing checked, exit 5.
    let (code, stdout, _) = live(&fixtures).await;
    assert_eq!(code, 5, "{stdout}");
    assert!(
        site_line(&stdout, &site_of(&s)).starts_with("unchecked"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not checked") && stdout.contains("not reviewed"),
        "{stdout}"
    );

    // NEW until accepted; --accept keeps the reviewer's correction of the proposal.
    let (code, stdout, _) = uninews(args(&["check", &p(&fixtures)])).await;
    assert_eq!(code, 6, "{stdout}");
    assert!(stdout.starts_with("NEW "), "{stdout}");
    let mut reviewed = printed.clone();
    reviewed["title"] = "a title corrected by the reviewer".into();
    std::fs::write(proposed_path(&page), reviewed.to_string()).unwrap();
    let (code, stdout, _) = uninews(args(&["check", &p(&fixtures)])).await;
    assert_eq!(code, 6);
    assert!(
        stdout.contains("the extractor now gives another record") && stdout.contains("title:"),
        "{stdout}"
    );
    let (code, _, _) = uninews(args(&["check", &p(&fixtures), "--accept"])).await;
    assert_eq!(code, 0);
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(expected_path(&page)).unwrap()).unwrap();
    assert_eq!(expected, reviewed);
    let (code, stdout, _) = uninews(args(&["check", &p(&fixtures)])).await;
    assert_eq!(
        code, 6,
        "the corrected title now differs from the extraction"
    );
    assert!(stdout.starts_with("MISMATCH"), "{stdout}");
}
