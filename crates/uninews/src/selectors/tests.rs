//! Tests of profile loading and validation.
use super::*;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../selectors")
}

fn load(text: &str) -> Result<Profile, ProfileError> {
    Profile::from_toml(text, Path::new("selectors/bad.toml"))
}

#[test]
fn selectors_dir_matches_builtin() {
    let mut on_disk: Vec<(String, String)> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "example"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            (stem, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    on_disk.sort();
    let mut builtin: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    builtin.sort();
    let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&builtin),
        names(&on_disk),
        "selectors::BUILTIN and selectors/*.toml differ"
    );
    assert_eq!(builtin, on_disk, "a BUILTIN entry is not its file's text");
}

#[test]
fn every_shipped_profile_loads_and_is_named_after_its_file() {
    let set = ProfileSet::builtin().unwrap();
    assert_eq!(set.names().len(), BUILTIN.len());
    for (name, _) in BUILTIN {
        let p = set.get(name).unwrap();
        assert_eq!(p.name, *name);
        assert!(!p.hosts.is_empty());
        assert!(
            !p.extract.body.selectors.is_empty(),
            "{name}: no body selector"
        );
        assert!(p.extract.title.is_some(), "{name}: no title rule");
    }
    let from_disk = ProfileSet::load_dir(&dir()).unwrap();
    assert_eq!(from_disk.names().len(), BUILTIN.len());
}

#[test]
fn example_profile_loads() {
    let p = Profile::load(&dir().join("example.toml")).unwrap();
    assert_eq!(p.name, "example");
}

#[test]
fn broken_selector_names_file_field_and_selector() {
    let e = load("name='x'\nhosts=['a.edu.cn']\n[fields.title]\nselectors=['h1', 'div[[']\n")
        .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("selectors/bad.toml"), "{msg}");
    assert!(msg.contains("fields.title.selectors[1]"), "{msg}");
    assert!(msg.contains("div[["), "{msg}");
    let e =
        load("name='x'\nhosts=['a.edu.cn']\n[body]\nselectors=['.a']\ndrop=['>>']\n").unwrap_err();
    assert!(e.to_string().contains("body.drop[0]"), "{e}");
    let e = load("name='x'\nhosts=['a.edu.cn']\n[list]\narticle_links=['a:hover(']\n").unwrap_err();
    assert!(e.to_string().contains("list.article_links[0]"), "{e}");
}

#[test]
fn broken_regex_and_missing_capture_group() {
    let e =
        load("name='x'\nhosts=['a']\n[fields.published]\nselectors=['p']\nregex='时间：(\\d+'\n")
            .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("fields.published.regex"), "{msg}");
    assert!(msg.contains("时间：(\\d+"), "{msg}");
    let e = load("name='x'\nhosts=['a']\n[fields.author]\nselectors=['p']\nregex='作者：\\S+'\n")
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("fields.author.regex") && msg.contains("capture group"),
        "{msg}"
    );
}

#[test]
fn unknown_time_zone_and_bad_date_format() {
    let e = load("name='x'\nhosts=['a']\n[dates]\ntimezone='Mars/Olympus'\n").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("dates.timezone") && msg.contains("Mars/Olympus"),
        "{msg}"
    );
    let e = load("name='x'\nhosts=['a']\n[dates]\nformats=['%Y-%']\n").unwrap_err();
    assert!(e.to_string().contains("dates.formats[0]"), "{e}");
    for ok in [
        "+08:00",
        "+0800",
        "+8",
        "UTC",
        "-05:30",
        "Asia/Shanghai",
        "Europe/Berlin",
    ] {
        assert!(parse_timezone(ok).is_some(), "{ok}");
    }
    for bad in ["+25:00", "8", "Asia/Nowhere", ""] {
        assert!(parse_timezone(bad).is_none(), "{bad}");
    }
}

#[test]
fn unknown_keys_and_empty_rules_are_rejected() {
    let e = load("name='x'\nhosts=['a']\n[fields.titel]\nselectors=['h1']\n").unwrap_err();
    assert!(e.to_string().contains("titel"), "{e}");
    let e = load("name='x'\nhosts=['a']\n[fields.title]\nselector=['h1']\n").unwrap_err();
    assert!(e.to_string().contains("selector"), "{e}");
    let e = load("name='x'\nhosts=['a']\n[fields.title]\nselectors=[]\n").unwrap_err();
    assert!(e.to_string().contains("fields.title.selectors"), "{e}");
    let e = load("name='x'\nhosts=['a']\n[fields.breadcrumb]\nselectors=['.p']\nregex='(x)'\n")
        .unwrap_err();
    assert!(e.to_string().contains("fields.breadcrumb"), "{e}");
}

#[test]
fn hosts_cover_exact_and_wildcard() {
    let p = load("name='x'\nhosts=['News.A.edu.cn', '*.b.edu.cn']\n").unwrap();
    assert!(p.covers("news.a.edu.cn"));
    assert!(!p.covers("a.edu.cn"));
    assert!(p.covers("b.edu.cn") && p.covers("www.b.edu.cn"));
}
