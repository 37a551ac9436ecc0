//! How changes are worded: the name of the node compared, and sentence templates.

use serde_json::Value;

use super::super::json::show;

/// A human name for the node being compared.
#[derive(Clone)]
pub(super) enum Label {
    Root,
    Field(String),
    Other(String),
}

impl Label {
    pub fn text(&self) -> String {
        match self {
            Label::Root => "the schema's root".into(),
            Label::Field(path) => format!("the field \"{path}\""),
            Label::Other(what) => what.clone(),
        }
    }

    pub(super) fn field_path(&self) -> Option<&str> {
        match self {
            Label::Field(path) => Some(path),
            _ => None,
        }
    }

    pub(super) fn child_field(&self, name: &str) -> Label {
        match self.field_path() {
            Some(p) => Label::Field(format!("{p}.{name}")),
            None => Label::Field(name.to_string()),
        }
    }

    pub(super) fn items(&self) -> Label {
        match self.field_path() {
            Some(p) => Label::Field(format!("{p}[]")),
            None => Label::Other(format!("the items of {}", self.text())),
        }
    }
}

/// Fills the `{name}` slots of `template` in one pass, so a filled-in value that itself
/// contains braces is left as it is.
pub(in crate::schema::compat) fn fill<'a>(
    template: &str,
    value: impl Fn(&str) -> Option<&'a str>,
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close])?)))
        {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A short description of a schema for sentences.
pub(super) fn describe_schema(v: &Value) -> String {
    match v.get("type") {
        Some(Value::String(t)) if v.as_object().is_some_and(|m| m.len() == 1) => {
            format!("type {t}")
        }
        _ => show(v),
    }
}
