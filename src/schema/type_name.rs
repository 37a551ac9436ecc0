//! A schema's type name, checked once where it enters ("parse, don't validate"): a
//! [`TypeName`] holds 1 to 200 characters, no white space at either end, and no control or
//! bidi-override characters.

use std::fmt;

use super::draft::TYPE_MAX_CHARS;

/// A type name that passed [`TypeName::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeName(String);

/// What is wrong with a type name. The messages are the ones the editor, the import and the
/// CLI show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypeNameError {
    #[error("the type must not be empty")]
    Empty,
    #[error("the type has {0} characters; at most {TYPE_MAX_CHARS} are allowed")]
    TooLong(usize),
    #[error("the type must not start or end with white space")]
    Untrimmed,
    #[error("the type must not hold control characters (it holds U+{:04X})", *.0 as u32)]
    Control(char),
}

impl TypeName {
    pub fn parse(type_name: &str) -> Result<TypeName, TypeNameError> {
        let n = type_name.chars().count();
        if n == 0 {
            Err(TypeNameError::Empty)
        } else if n > TYPE_MAX_CHARS {
            Err(TypeNameError::TooLong(n))
        } else if type_name.trim() != type_name {
            Err(TypeNameError::Untrimmed)
        } else if let Some(c) = type_name.chars().find(|c| {
            // Control characters (and bidi overrides) would act on a terminal or reorder text.
            c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        }) {
            Err(TypeNameError::Control(c))
        } else {
            Ok(TypeName(type_name.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl TryFrom<String> for TypeName {
    type Error = TypeNameError;

    fn try_from(s: String) -> Result<TypeName, TypeNameError> {
        TypeName::parse(&s)?;
        Ok(TypeName(s))
    }
}

impl From<TypeName> for String {
    fn from(t: TypeName) -> String {
        t.0
    }
}

impl AsRef<str> for TypeName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn each_error_says_what_is_wrong() {
        assert_eq!(
            TypeName::parse("").unwrap_err().to_string(),
            "the type must not be empty"
        );
        assert_eq!(
            TypeName::parse(&"x".repeat(201)).unwrap_err().to_string(),
            "the type has 201 characters; at most 200 are allowed"
        );
        assert_eq!(
            TypeName::parse(" employee").unwrap_err().to_string(),
            "the type must not start or end with white space"
        );
        assert_eq!(
            TypeName::parse("a\u{202E}b").unwrap_err().to_string(),
            "the type must not hold control characters (it holds U+202E)"
        );
        assert_eq!(
            TypeName::parse("employee v2").map(String::from),
            Ok("employee v2".to_string())
        );
        assert!(TypeName::parse(&"é".repeat(200)).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
        ))]

        /// A name parses exactly when it follows the rules, and parsing keeps it as it was.
        #[test]
        fn parses_exactly_the_names_that_follow_the_rules(s in "\\PC{0,3}[\\s\\x00-\\x1f\\u{202A}-\\u{202E}a-z ]{0,210}") {
            let n = s.chars().count();
            let ok = (1..=TYPE_MAX_CHARS).contains(&n)
                && s.trim() == s
                && !s.chars().any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c));
            match TypeName::parse(&s) {
                Ok(t) => {
                    prop_assert!(ok, "{s:?} parsed");
                    prop_assert_eq!(t.as_str(), s.as_str());
                    prop_assert_eq!(TypeName::try_from(s.clone()), Ok(t));
                }
                Err(e) => {
                    prop_assert!(!ok, "{s:?} refused: {e}");
                    prop_assert_eq!(TypeName::try_from(s.clone()), Err(e));
                }
            }
        }
    }
}
