//! Reading what is typed into the designer's and the preview's text boxes.

use serde_json::{Number, Value};

use super::FieldType;

/// A value as one line of input: strings bare, everything else as compact JSON.
pub fn value_to_input(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads one line of input as a value of `field_type`: empty means "no value". Strings are
/// taken as typed; numbers, booleans, objects and arrays must be JSON of that kind; without a
/// known type, JSON is tried first and the text is a string otherwise.
pub fn parse_input(text: &str, field_type: Option<FieldType>) -> Result<Option<Value>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let json = || crate::schema::numbers::from_str(text.trim());
    let value = match field_type {
        Some(FieldType::String) => Value::String(text.to_string()),
        Some(FieldType::Number) => match json() {
            Ok(v @ Value::Number(_)) => v,
            _ => return Err(format!("\"{text}\" is not a number")),
        },
        Some(FieldType::Integer) => match json() {
            Ok(Value::Number(n)) if n.is_i64() || n.is_u64() => Value::Number(n),
            _ => return Err(format!("\"{text}\" is not a whole number")),
        },
        Some(FieldType::Boolean) => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("\"{text}\" is not true or false")),
        },
        Some(FieldType::Object) => match json() {
            Ok(v @ Value::Object(_)) => v,
            _ => return Err(format!("\"{text}\" is not a JSON object")),
        },
        Some(FieldType::Array) => match json() {
            Ok(v @ Value::Array(_)) => v,
            _ => return Err(format!("\"{text}\" is not a JSON array")),
        },
        None => json().unwrap_or_else(|_| Value::String(text.to_string())),
    };
    Ok(Some(value))
}

/// Like [`parse_input`], but what does not parse is kept as a string, so the sample-data
/// validation can say what is wrong with it.
pub fn parse_input_lenient(text: &str, field_type: Option<FieldType>) -> Option<Value> {
    parse_input(text, field_type).unwrap_or_else(|_| Some(Value::String(text.to_string())))
}

/// A number typed into a minimum/maximum box; empty means "no limit".
pub fn parse_limit(text: &str) -> Result<Option<Number>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    crate::schema::numbers::number(t)
        .map(Some)
        .ok_or_else(|| format!("\"{t}\" is not a number"))
}

/// A length typed into a min/max length box; empty means "no limit".
pub fn parse_length(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u64>()
        .map(Some)
        .map_err(|_| format!("\"{t}\" is not a whole number of 0 or more"))
}

/// Enum values as the designer edits them: one per line.
pub fn enum_to_text(values: &[Value]) -> String {
    values
        .iter()
        .map(value_to_input)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads enum values, one per line (blank lines are skipped); no lines means "no enum".
pub fn parse_enum(text: &str, field_type: Option<FieldType>) -> Result<Option<Vec<Value>>, String> {
    let mut values = Vec::new();
    for line in text.lines() {
        let line = if field_type == Some(FieldType::String) {
            line
        } else {
            line.trim()
        };
        if line.trim().is_empty() {
            continue;
        }
        if let Some(v) = parse_input(line, field_type)? {
            if values.contains(&v) {
                return Err(format!("\"{line}\" is listed twice"));
            }
            values.push(v);
        }
    }
    Ok(if values.is_empty() {
        None
    } else {
        Some(values)
    })
}
