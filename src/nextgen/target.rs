//! Which server a schema is designed for.

use std::fmt;
use std::str::FromStr;

/// The target of a schema: ZITADEL v4's v3alpha user-schema API, or ZITADEL nextgen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Target {
    /// ZITADEL v4 (v3alpha API): `{type, schema, possibleAuthenticators}`. Every schema made
    /// before targets existed is one.
    #[default]
    V3alpha,
    /// ZITADEL nextgen: one `"kind": "user-schema"` document.
    Nextgen,
}

impl Target {
    pub const ALL: [Target; 2] = [Target::V3alpha, Target::Nextgen];

    /// The short name used on the command line, in the store and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::V3alpha => "v3alpha",
            Target::Nextgen => "nextgen",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Target::V3alpha => "ZITADEL v4 (v3alpha API)",
            Target::Nextgen => "ZITADEL nextgen",
        }
    }

    pub fn parse(text: &str) -> Option<Target> {
        match text.trim().to_ascii_lowercase().as_str() {
            "v3alpha" | "v4" => Some(Target::V3alpha),
            "nextgen" => Some(Target::Nextgen),
            _ => None,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown target \"{0}\" (expected v3alpha or nextgen)")]
pub struct UnknownTarget(pub String);

impl FromStr for Target {
    type Err = UnknownTarget;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::parse(s).ok_or_else(|| UnknownTarget(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in Target::ALL {
            assert_eq!(Target::parse(t.as_str()), Some(t));
        }
        assert_eq!(Target::parse("v5"), None);
        assert_eq!(Target::default(), Target::V3alpha);
    }
}
