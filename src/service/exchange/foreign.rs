//! A Keycloak user profile or an Ory identity schema on its way in: converted (see
//! `crate::interchange`) into a request body that the ordinary import then validates and
//! saves. The CLI prints the report; the app shows it and asks before saving.

use std::path::Path;

use crate::interchange::{self, Format, Imported, InterchangeError};
use crate::schema::fields::FieldTree;

/// What a file turned out to be.
#[derive(Debug)]
pub enum Foreign {
    /// Neither Keycloak nor Ory (nor named so): the ordinary import takes it as it is, and
    /// reports a syntax error with its position.
    NotForeign,
    /// Named or detected as foreign, and converted.
    Converted(Box<Imported>),
}

/// Converts `text` when it is a foreign document: named by `from`, else detected. With
/// `from` given, text that is not JSON or does not convert is an error; without it, text
/// that is not JSON is not foreign.
pub fn convert(text: &str, from: Option<Format>) -> Result<Foreign, InterchangeError> {
    let value = match interchange::parse(text) {
        Ok(v) => v,
        Err(e) if from.is_some() => return Err(e),
        Err(_) => return Ok(Foreign::NotForeign),
    };
    if from.is_none() && interchange::detect(&value).is_none() {
        return Ok(Foreign::NotForeign);
    }
    interchange::convert_value(&value, from).map(|i| Foreign::Converted(Box::new(i)))
}

/// The number of fields of a converted schema, for the report.
pub fn field_count(imported: &Imported) -> usize {
    FieldTree::read(&imported.schema)
        .map(|t| t.iter().count())
        .unwrap_or(0)
}

/// The type a converted file is saved under when none is given: the file's name without its
/// extension.
pub fn type_from_file(file: &Path) -> Option<String> {
    file.file_stem().map(|s| s.to_string_lossy().into_owned())
}

/// The request body the ordinary import saves.
pub fn converted_body(imported: &Imported, type_name: &str) -> String {
    imported.draft(type_name).request_body_pretty()
}

/// "a Keycloak user profile", "an Ory Kratos identity schema".
pub fn with_article(label: &str) -> String {
    let article = if label.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {label}")
}
