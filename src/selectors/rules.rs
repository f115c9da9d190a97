//! Article extraction rules of a profile (the `[fields.*]` and `[body]` tables).
//! PLACEHOLDER: the extraction work fills this in.

use super::ProfileError;
use serde::Deserialize;
use std::path::Path;

/// The extraction part of a profile, as written.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RawExtractRules {}

/// Compiled extraction rules.
#[derive(Debug, Clone, Default)]
pub struct ExtractRules {}

impl RawExtractRules {
    pub(super) fn compile(self, _path: &Path) -> Result<ExtractRules, ProfileError> {
        Ok(ExtractRules {})
    }
}
