//! Validation helpers: compile selectors and regexes once, at load time, with errors that
//! name the file, the field and the bad text.

use super::ProfileError;
use regex::Regex;
use scraper::Selector;
use std::path::Path;

/// Compile a CSS selector of field `field` in profile `path`.
pub fn compile_selector(path: &Path, field: &str, css: &str) -> Result<Selector, ProfileError> {
    Selector::parse(css).map_err(|e| ProfileError::Selector {
        path: path.to_path_buf(),
        field: field.to_string(),
        selector: css.to_string(),
        // the parser's text for some errors begins with a request to report a bug; keep
        // only the error's name
        message: e
            .to_string()
            .lines()
            .filter(|l| !l.contains("Please report this"))
            .collect::<Vec<_>>()
            .join(": "),
    })
}

/// Compile a regex of field `field`; with `need_group`, it must have a capture group.
pub fn compile_regex(
    path: &Path,
    field: &str,
    pattern: &str,
    need_group: bool,
) -> Result<Regex, ProfileError> {
    let err = |message: String| ProfileError::Regex {
        path: path.to_path_buf(),
        field: field.to_string(),
        regex: pattern.to_string(),
        message,
    };
    let re = Regex::new(pattern).map_err(|e| err(e.to_string()))?;
    if need_group && re.captures_len() < 2 {
        return Err(err("needs a capture group `( )` around the value".into()));
    }
    Ok(re)
}

/// Compile a list of selectors (field `field[i]`).
pub fn compile_selectors(
    path: &Path,
    field: &str,
    list: &[String],
) -> Result<Vec<Selector>, ProfileError> {
    list.iter()
        .enumerate()
        .map(|(i, css)| compile_selector(path, &format!("{field}[{i}]"), css))
        .collect()
}

/// Compile a list of regexes (field `field[i]`).
pub fn compile_regexes(
    path: &Path,
    field: &str,
    list: &[String],
) -> Result<Vec<Regex>, ProfileError> {
    list.iter()
        .enumerate()
        .map(|(i, re)| compile_regex(path, &format!("{field}[{i}]"), re, false))
        .collect()
}
