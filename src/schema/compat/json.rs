//! JSON values as the compatibility rules read them: their types, equality as the
//! validator sees it, sets read off arrays, pointers and short display. Shared by the
//! rules, the name reader and the instance generator, and importing none of them.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::schema::position::escape_token;

pub(super) const ALL_TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];

pub(super) fn static_type(t: &str) -> Option<&'static str> {
    ALL_TYPES.iter().copied().find(|s| *s == t)
}

/// The JSON Schema type of a value, integral numbers being "integer".
pub(super) fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) {
                "integer"
            } else {
                "number"
            }
        }
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Equality as the validator reads `enum` and `const`: numbers by value (1 == 1.0).
pub(super) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// One sample value per JSON type.
pub(super) fn sample_of_type(t: &str) -> Value {
    match t {
        "null" => Value::Null,
        "boolean" => json!(false),
        "integer" => json!(0),
        "number" => json!(0.5),
        "string" => json!(""),
        "array" => json!([]),
        _ => json!({}),
    }
}

pub(super) fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

pub(super) fn push_ptr(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_token(token))
}

pub(super) fn show(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The set of type names of a `type` keyword; `None` for a value that is no type.
/// A missing keyword is every type.
pub(super) fn type_set(v: Option<&Value>) -> Option<BTreeSet<String>> {
    match v {
        None => Some(ALL_TYPES.iter().map(|s| s.to_string()).collect()),
        Some(Value::String(s)) => Some(BTreeSet::from([s.clone()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(_) => None,
    }
}

pub(super) fn string_set(v: Option<&Value>) -> BTreeSet<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    }
}
