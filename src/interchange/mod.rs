//! Schemas in and out: Keycloak declarative user profiles and Ory Kratos identity schemas
//! become ZITADEL user schemas (with an [`ImportReport`] of everything that has no
//! equivalent), and any revision becomes a review sheet (Markdown, HTML or CSV).
//!
//! Pure: text in, values and text out. Depends on `schema` only; the CLI and the GUI save
//! the result through the ordinary import path.

pub mod keycloak;
pub mod ory;
pub mod report;
pub mod review;

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

pub use report::{Entry, ImportReport, Outcome, Topic};

use crate::schema::{AuthenticatorType, UserSchemaDraft};

/// A foreign schema format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Keycloak's declarative user profile (`attributes[]`, `groups[]`, `unmanagedAttributePolicy`).
    Keycloak,
    /// An Ory Kratos identity schema (`properties.traits` with `ory.sh/kratos` extensions).
    Ory,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Keycloak => "Keycloak user profile",
            Format::Ory => "Ory Kratos identity schema",
        }
    }

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Keycloak => "keycloak",
            Format::Ory => "ory",
        }
    }
}

/// Why a file could not be converted. Nothing is written in any case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterchangeError {
    #[error("{line}:{column}: invalid JSON: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", if .pointer.is_empty() { "/" } else { .pointer.as_str() })]
    Shape { pointer: String, message: String },
    #[error(
        "neither a Keycloak user profile (an object with \"attributes\") nor an Ory identity schema (an object with \"properties\": {{\"traits\": …}}); name the format with --from keycloak|ory"
    )]
    Undetected,
}

impl InterchangeError {
    pub(crate) fn shape(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        InterchangeError::Shape {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// A converted schema: what goes into the store, and what the report says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub schema: Value,
    pub authenticators: BTreeSet<AuthenticatorType>,
    pub report: ImportReport,
}

impl Imported {
    pub fn draft(&self, type_name: impl Into<String>) -> UserSchemaDraft {
        UserSchemaDraft::new(
            type_name,
            self.schema.clone(),
            self.authenticators.iter().copied(),
        )
    }
}

/// Parses JSON text, with the line and column of a syntax error.
pub fn parse(text: &str) -> Result<Value, InterchangeError> {
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let message = full
            .rfind(" at line ")
            .map_or(full.as_str(), |cut| &full[..cut])
            .to_string();
        InterchangeError::Json {
            line: e.line().max(1),
            column: e.column().max(1),
            message,
        }
    })
}

/// Which foreign format a document is, if any. A ZITADEL schema or request body is neither.
pub fn detect(value: &Value) -> Option<Format> {
    if keycloak::looks_like(value) {
        Some(Format::Keycloak)
    } else if ory::looks_like(value) {
        Some(Format::Ory)
    } else {
        None
    }
}

/// Converts a foreign document. With `from` absent the format is detected (and the report
/// says so); a document of neither format is [`InterchangeError::Undetected`].
pub fn convert(text: &str, from: Option<Format>) -> Result<Imported, InterchangeError> {
    let value = parse(text)?;
    convert_value(&value, from)
}

/// [`convert`] for a parsed document.
pub fn convert_value(value: &Value, from: Option<Format>) -> Result<Imported, InterchangeError> {
    let (format, detected) = match from {
        Some(f) => (f, false),
        None => (detect(value).ok_or(InterchangeError::Undetected)?, true),
    };
    let report = ImportReport::new(format, detected);
    match format {
        Format::Keycloak => keycloak::convert(value, report),
        Format::Ory => ory::convert(value, report),
    }
}

/// A JSON pointer token.
pub(crate) fn token(name: &str) -> String {
    crate::schema::position::escape_token(name)
}

/// A number from a validator option: Keycloak writes them as numbers or as text (`"3"`).
pub(crate) fn number_of(v: &Value) -> Option<serde_json::Number> {
    match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(i) = s.parse::<i64>() {
                Some(i.into())
            } else {
                s.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
            }
        }
        _ => None,
    }
}

/// A non-negative whole number from a validator option (a length).
pub(crate) fn count_of(v: &Value) -> Option<u64> {
    number_of(v).and_then(|n| n.as_u64())
}

/// Whether a regular expression compiles under the validator's dialect (ECMA 262).
pub(crate) fn pattern_compiles(pattern: &str) -> Result<(), String> {
    crate::schema::validate::compile(&serde_json::json!({ "pattern": pattern }))
        .map(|_| ())
        .map_err(|e| e.to_string())
}
