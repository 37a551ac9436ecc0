//! What the old revision says about the values at a node, and values built from it.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::super::json::{
    ALL_TYPES, json_eq, number, sample_of_type, static_type, type_of, type_set,
};
use super::super::patterns::{Lang, Search, search};

/// What the old revision says about the values at a node, across its keywords.
pub(super) struct Facts {
    /// The JSON types a value may have ("integer" for integral numbers, "number" for others).
    pub types: BTreeSet<&'static str>,
    /// The only values allowed (`enum` and `const`), when there is such a list.
    pub values: Option<Vec<Value>>,
}

impl Facts {
    pub(super) fn of(m: &Map<String, Value>) -> Facts {
        let mut types: BTreeSet<&'static str> = match type_set(m.get("type")) {
            Some(set) => set.iter().filter_map(|t| static_type(t)).collect(),
            None => ALL_TYPES.iter().copied().collect(),
        };
        if types.contains("number") {
            types.insert("integer");
        }
        let mut values: Option<Vec<Value>> = None;
        if let Some(Value::Array(list)) = m.get("enum") {
            values = Some(list.clone());
        }
        if let Some(c) = m.get("const") {
            values = Some(match values {
                Some(list) => list.into_iter().filter(|v| json_eq(v, c)).collect(),
                None => vec![c.clone()],
            });
        }
        if let Some(vals) = &values {
            let of_values: BTreeSet<&'static str> = vals.iter().map(type_of).collect();
            types.retain(|t| of_values.contains(t));
        }
        Facts { types, values }
    }

    /// Whether a value of JSON type `t` may occur ("number" covers integers too).
    pub(super) fn may_hold(&self, t: &str) -> bool {
        match t {
            "number" => self.types.contains("number") || self.types.contains("integer"),
            t => self.types.contains(t),
        }
    }

    pub(super) fn integers_only(&self) -> bool {
        self.types.contains("integer") && !self.types.contains("number")
    }
}

/// An effective numeric bound: its value and whether it is exclusive.
#[derive(Clone, Copy)]
pub(super) struct Bound {
    pub v: f64,
    pub excl: bool,
}

pub(super) fn lower_bound(m: &Map<String, Value>) -> Option<Bound> {
    let incl = m
        .get("minimum")
        .and_then(Value::as_f64)
        .map(|v| Bound { v, excl: false });
    let excl = m
        .get("exclusiveMinimum")
        .and_then(Value::as_f64)
        .map(|v| Bound { v, excl: true });
    match (incl, excl) {
        (Some(a), Some(b)) => Some(if b.v >= a.v { b } else { a }),
        (a, b) => a.or(b),
    }
}

pub(super) fn upper_bound(m: &Map<String, Value>) -> Option<Bound> {
    let incl = m
        .get("maximum")
        .and_then(Value::as_f64)
        .map(|v| Bound { v, excl: false });
    let excl = m
        .get("exclusiveMaximum")
        .and_then(Value::as_f64)
        .map(|v| Bound { v, excl: true });
    match (incl, excl) {
        (Some(a), Some(b)) => Some(if b.v <= a.v { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Values a schema is likely to refuse: one per type it does not allow, and the edges
/// of its limits.
pub(super) fn violations(schema: &Value) -> Vec<Value> {
    let Value::Object(m) = schema else {
        return vec![Value::Null];
    };
    let facts = Facts::of(m);
    let mut out: Vec<Value> = ALL_TYPES
        .iter()
        .filter(|t| !facts.types.contains(*t))
        .map(|t| sample_of_type(t))
        .collect();
    if let Some(max) = m.get("maxLength").and_then(Value::as_u64) {
        out.push(json!("0".repeat(max as usize + 1)));
    }
    if let Some(max) = m.get("maximum").and_then(Value::as_f64) {
        out.push(number(max.floor() + 1.0));
    }
    if let Some(min) = m.get("minimum").and_then(Value::as_f64) {
        out.push(number(min.ceil() - 1.0));
    }
    out.extend([Value::Null, json!(0), json!(""), json!("0")]);
    out
}

/// Values of JSON type `applies` with `size` characters, items or properties, shaped
/// after the old schema where it can be read.
pub(super) fn sized(applies: &str, size: u64, old: Option<&Value>) -> Vec<Value> {
    let size = size.min(4096);
    match applies {
        "string" => {
            let mut out = Vec::new();
            let pattern = old.and_then(|o| o.get("pattern")).and_then(Value::as_str);
            if let Some(l) = pattern.and_then(Lang::new)
                && let Search::Found(s) = search(&[&l], &[], size, Some(size))
            {
                out.push(json!(s));
            }
            out.push(json!("0".repeat(size as usize)));
            out.push(json!("a".repeat(size as usize)));
            out
        }
        "array" => {
            let n = size.min(64) as usize;
            vec![
                Value::Array(vec![json!(0); n]),
                Value::Array(vec![json!(""); n]),
                Value::Array(vec![Value::Null; n]),
                Value::Array(vec![json!({}); n]),
            ]
        }
        _ => {
            let n = size.min(64) as usize;
            let m: Map<String, Value> = (0..n).map(|i| (format!("x{i}"), Value::Null)).collect();
            vec![Value::Object(m)]
        }
    }
}
