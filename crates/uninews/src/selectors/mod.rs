//! Site profiles: per-site extraction and list-page rules, kept as data in
//! `selectors/<site>.toml` (format: `docs/selectors.md`, annotated `selectors/example.toml`).
//!
//! A profile is picked by the page URL's host. Profiles are validated when loaded: a bad
//! CSS selector or regex fails here, naming the file, the field and the offending text,
//! never later in the middle of a crawl. The profiles shipped in `selectors/` are compiled
//! into the binary ([`ProfileSet::builtin`]), so `uninews` works from any directory.

mod compile;
mod fast;
mod list;
pub(crate) mod rules;

pub use compile::{compile_regex, compile_selector};
pub use fast::{FastSelector, IndexKey};
pub use list::ListRules;
pub use rules::{BodyRules, DateRules, ExtractRules, FIELD_NAMES, FieldRule, parse_timezone};

use serde::Deserialize;
use std::path::{Path, PathBuf};
use url::Url;

/// The profiles shipped with uninews (`selectors/*.toml`), compiled in.
/// `selectors_dir_matches_builtin` (test) keeps this list and the folder in step.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "cqjtu-yjszs",
        include_str!("../../../../selectors/cqjtu-yjszs.toml"),
    ),
    (
        "fudan-cs",
        include_str!("../../../../selectors/fudan-cs.toml"),
    ),
    ("gdqy", include_str!("../../../../selectors/gdqy.toml")),
    (
        "henu-rsc",
        include_str!("../../../../selectors/henu-rsc.toml"),
    ),
    ("hertie", include_str!("../../../../selectors/hertie.toml")),
    (
        "nju-itsc",
        include_str!("../../../../selectors/nju-itsc.toml"),
    ),
    (
        "rutgers",
        include_str!("../../../../selectors/rutgers.toml"),
    ),
    ("upc", include_str!("../../../../selectors/upc.toml")),
];

/// Why a profile could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The file could not be read.
    #[error("{path}: cannot read profile: {source}")]
    Io {
        /// The profile file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not fit the profile format.
    #[error("{path}: {message}")]
    Format {
        /// The profile file.
        path: PathBuf,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A CSS selector does not parse.
    #[error("{path}: field `{field}`: invalid CSS selector {selector:?}: {message}")]
    Selector {
        /// The profile file.
        path: PathBuf,
        /// Dotted path of the field, e.g. `fields.title.selectors`.
        field: String,
        /// The selector as written.
        selector: String,
        /// The parser's message.
        message: String,
    },
    /// A regex does not compile (or lacks a required capture group).
    #[error("{path}: field `{field}`: invalid regex {regex:?}: {message}")]
    Regex {
        /// The profile file.
        path: PathBuf,
        /// Dotted path of the field.
        field: String,
        /// The regex as written.
        regex: String,
        /// The compiler's message.
        message: String,
    },
    /// A value is out of its allowed range (unknown time zone, empty host list, ...).
    #[error("{path}: field `{field}`: {message}")]
    Invalid {
        /// The profile file.
        path: PathBuf,
        /// Dotted path of the field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// `--profile NAME` names no known profile.
    #[error("no profile named {name:?} (known: {known})")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
}

/// One site's rules.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Short name (`upc`), used in records (`site`) and on the command line.
    pub name: String,
    /// Hosts the profile covers (exact, or `*.example.edu.cn` for any subdomain).
    pub hosts: Vec<String>,
    /// Where the profile came from (a path, or `builtin:<name>`).
    pub origin: String,
    /// Article extraction rules.
    pub extract: ExtractRules,
    /// List-page rules for the crawler.
    pub list: ListRules,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: String,
    hosts: Vec<String>,
    #[serde(default)]
    fields: rules::RawFields,
    #[serde(default)]
    body: rules::RawBody,
    #[serde(default)]
    dates: rules::RawDates,
    #[serde(default)]
    list: list::RawListRules,
}

impl Profile {
    /// Parse and validate a profile from TOML text. `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Profile, ProfileError> {
        let raw: RawProfile = toml::from_str(text).map_err(|e| ProfileError::Format {
            path: origin.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let invalid = |field: &str, message: String| ProfileError::Invalid {
            path: origin.to_path_buf(),
            field: field.to_string(),
            message,
        };
        if raw.name.trim().is_empty() {
            return Err(invalid("name", "must not be empty".into()));
        }
        if raw.hosts.is_empty() {
            return Err(invalid("hosts", "list at least one host".into()));
        }
        Ok(Profile {
            extract: rules::compile(origin, raw.fields, raw.body, raw.dates)?,
            list: raw.list.compile(origin)?,
            name: raw.name,
            hosts: raw.hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
            origin: origin.display().to_string(),
        })
    }

    /// Load and validate one profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Profile::from_toml(&text, path)
    }

    /// True when this profile covers `host`.
    pub fn covers(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.hosts.iter().any(|h| match h.strip_prefix("*.") {
            Some(parent) => host == parent || host.ends_with(&format!(".{parent}")),
            None => *h == host,
        })
    }
}

/// A set of profiles, looked up by name or by a page's host.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    profiles: Vec<Profile>,
}

impl ProfileSet {
    /// The profiles compiled into the binary.
    pub fn builtin() -> Result<ProfileSet, ProfileError> {
        let profiles = BUILTIN
            .iter()
            .map(|(name, text)| Profile::from_toml(text, Path::new(&format!("builtin:{name}"))))
            .collect::<Result<_, _>>()?;
        Ok(ProfileSet { profiles })
    }

    /// Every `*.toml` in `dir` (sorted by file name), except `example.toml`.
    pub fn load_dir(dir: &Path) -> Result<ProfileSet, ProfileError> {
        let io = |source| ProfileError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .filter(|p| p.file_stem().is_some_and(|s| s != "example"))
            .collect();
        paths.sort();
        let profiles = paths
            .iter()
            .map(|p| Profile::load(p))
            .collect::<Result<_, _>>()?;
        Ok(ProfileSet { profiles })
    }

    /// Add `profile`, replacing any profile of the same name.
    pub fn insert(&mut self, profile: Profile) {
        self.profiles.retain(|p| p.name != profile.name);
        self.profiles.push(profile);
    }

    /// The profile called `name`.
    pub fn get(&self, name: &str) -> Result<&Profile, ProfileError> {
        self.profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| ProfileError::Unknown {
                name: name.to_string(),
                known: self.names().join(", "),
            })
    }

    /// A profile by name, or loaded from a path when `name_or_path` looks like one
    /// (contains a `/` or ends in `.toml`).
    pub fn resolve(&self, name_or_path: &str) -> Result<Profile, ProfileError> {
        if name_or_path.contains('/') || name_or_path.ends_with(".toml") {
            Profile::load(Path::new(name_or_path))
        } else {
            self.get(name_or_path).cloned()
        }
    }

    /// The profile covering the URL's host, if any.
    pub fn for_url(&self, url: &Url) -> Option<&Profile> {
        let host = url.host_str()?;
        self.profiles.iter().find(|p| p.covers(host))
    }

    /// All profile names.
    pub fn names(&self) -> Vec<&str> {
        self.profiles.iter().map(|p| p.name.as_str()).collect()
    }

    /// All profiles.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.iter()
    }
}

#[cfg(test)]
mod tests;
