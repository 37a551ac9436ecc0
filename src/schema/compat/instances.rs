//! An instance generator for the JSON Schema subset ZITADEL user schemas use: objects with
//! `properties`, `required`, `patternProperties`, `additionalProperties`; strings with
//! lengths, `pattern` (through [`super::patterns`]) and the common formats; numbers with
//! bounds and `multipleOf`; arrays with `items`, `prefixItems`, sizes and `uniqueItems`;
//! `enum`, `const`, local `$ref`s, `allOf`, `anyOf`, `oneOf` and `if`/`then`.
//!
//! It proposes values, smallest first; it does not promise they are valid. Callers check
//! them with the project's validator, which has the last word.

use serde_json::{Map, Value, json};

use super::json::{number, string_set};
use super::names::Object;
use super::normalize::{Norm, normalize};
use super::patterns::{Lang, Search, search};

const MAX_DEPTH: usize = 6;

/// Candidate values for the conjunction of `schemas` (resolved against `root`), the most
/// plausible first, at most `limit`.
pub fn candidates(root: &Value, schemas: &[Value], limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    generate(root, &conj(schemas), 0, &mut out);
    dedup_limit(out, limit)
}

/// The most plausible candidate for the conjunction of `schemas`, if any.
pub fn first_candidate(root: &Value, schemas: &[Value]) -> Option<Value> {
    candidates(root, schemas, 1).into_iter().next()
}

/// Many values around a schema's first candidate: every declared property (and a few
/// undeclared names) set to each candidate of what governs it, and to values of other
/// types. Used by the property test as its oracle of users valid under a revision.
pub fn variants(root: &Value, limit: usize) -> Vec<Value> {
    let mut out = candidates(root, std::slice::from_ref(root), 8);
    let Some(base) = out.first().cloned() else {
        return out;
    };
    let Norm::Map(m) = normalize(root, root) else {
        return out;
    };
    let obj = Object::of_new(&m);
    let mut names: Vec<String> = obj.props.keys().cloned().collect();
    names.extend(["x", "nick", "id", "age", "x-a"].map(String::from));
    let junk = [
        Value::Null,
        json!(0),
        json!(-1),
        json!(151),
        json!(0.5),
        json!(""),
        json!("0"),
        json!("000000"),
        json!("A"),
        json!("a@b"),
        json!(true),
        json!([]),
        json!({}),
    ];
    for name in names {
        let schema = obj.governs(&name).schema();
        let mut values = candidates(root, &[schema], 6);
        values.extend(junk.iter().cloned());
        for v in values {
            if let Value::Object(mut b) = base.clone() {
                b.insert(name.clone(), v);
                out.push(Value::Object(b));
            }
        }
        if let Value::Object(mut b) = base.clone() {
            b.remove(&name);
            out.push(Value::Object(b));
        }
    }
    dedup_limit(out, limit)
}

fn conj(schemas: &[Value]) -> Value {
    match schemas {
        [one] => one.clone(),
        many => json!({ "allOf": many }),
    }
}

fn dedup_limit(values: Vec<Value>, limit: usize) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
        if out.len() >= limit {
            break;
        }
    }
    out
}

fn first(root: &Value, schema: &Value, depth: usize) -> Value {
    let mut out = Vec::new();
    generate(root, schema, depth, &mut out);
    out.into_iter().next().unwrap_or(Value::Null)
}

fn generate(root: &Value, schema: &Value, depth: usize, out: &mut Vec<Value>) {
    if depth > MAX_DEPTH {
        out.push(Value::Null);
        return;
    }
    let Norm::Map(m) = normalize(schema, root) else {
        return;
    };
    if let Some(c) = m.get("const") {
        out.push(c.clone());
        return;
    }
    if let Some(Value::Array(values)) = m.get("enum") {
        out.extend(values.iter().cloned());
        return;
    }
    // Branches first: a value must match one of them anyway.
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = m.get(key) {
            let mut rest = m.clone();
            rest.remove(key);
            for b in branches {
                generate(
                    root,
                    &json!({"allOf": [Value::Object(rest.clone()), b]}),
                    depth + 1,
                    out,
                );
            }
            return;
        }
    }
    if let (Some(cond), Some(then)) = (m.get("if"), m.get("then")) {
        let mut rest = m.clone();
        for k in ["if", "then", "else"] {
            rest.remove(k);
        }
        let mut with = Vec::new();
        generate(
            root,
            &json!({"allOf": [Value::Object(rest.clone()), cond, then]}),
            depth + 1,
            &mut with,
        );
        out.extend(with.into_iter().take(2));
        if let Some(other) = m.get("else") {
            generate(
                root,
                &json!({"allOf": [Value::Object(rest.clone()), other]}),
                depth + 1,
                out,
            );
        }
        generate(root, &Value::Object(rest), depth + 1, out);
        return;
    }
    for t in types(&m) {
        match t {
            "null" => out.push(Value::Null),
            "boolean" => out.extend([json!(false), json!(true)]),
            "integer" => out.extend(numbers(&m, true)),
            "number" => out.extend(numbers(&m, false)),
            "string" => out.extend(strings(&m)),
            "array" => out.extend(arrays(root, &m, depth)),
            "object" => out.extend(objects(root, &m, depth)),
            _ => {}
        }
    }
}

/// The types to try, in the order written, or guessed from the keywords present.
fn types(m: &Map<String, Value>) -> Vec<&'static str> {
    const ALL: [&str; 7] = [
        "null", "boolean", "object", "array", "number", "string", "integer",
    ];
    let pick = |t: &str| ALL.iter().copied().find(|a| *a == t);
    match m.get("type") {
        Some(Value::String(t)) => pick(t).into_iter().collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .filter_map(pick)
            .collect(),
        _ => {
            let has = |keys: &[&str]| keys.iter().any(|k| m.contains_key(*k));
            let mut v = Vec::new();
            if has(&[
                "properties",
                "required",
                "additionalProperties",
                "patternProperties",
            ]) {
                v.push("object");
            }
            if has(&["pattern", "minLength", "maxLength", "format"]) {
                v.push("string");
            }
            if has(&[
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "multipleOf",
            ]) {
                v.push("integer");
            }
            if has(&[
                "items",
                "prefixItems",
                "minItems",
                "maxItems",
                "contains",
                "uniqueItems",
            ]) {
                v.push("array");
            }
            for t in [
                "null", "integer", "string", "boolean", "object", "array", "number",
            ] {
                if !v.contains(&t) {
                    v.push(t);
                }
            }
            v
        }
    }
}

fn numbers(m: &Map<String, Value>, integer: bool) -> Vec<Value> {
    let f = |k: &str| m.get(k).and_then(Value::as_f64);
    let mut lo = f("minimum");
    if let Some(x) = f("exclusiveMinimum") {
        let edge = if integer { x.floor() + 1.0 } else { x + 0.5 };
        lo = Some(lo.map_or(edge, |l| l.max(edge)));
    }
    let mut hi = f("maximum");
    if let Some(x) = f("exclusiveMaximum") {
        let edge = if integer { x.ceil() - 1.0 } else { x - 0.5 };
        hi = Some(hi.map_or(edge, |h| h.min(edge)));
    }
    if integer {
        lo = lo.map(f64::ceil);
        hi = hi.map(f64::floor);
    }
    let clamp = |x: f64| {
        let x = lo.map_or(x, |l| x.max(l));
        hi.map_or(x, |h| x.min(h))
    };
    let mut raw = vec![clamp(0.0)];
    raw.extend(lo);
    raw.extend(hi);
    raw.push(clamp(1.0));
    if !integer {
        raw.push(clamp(0.5));
    }
    if let Some(k) = f("multipleOf").filter(|k| *k > 0.0) {
        let start = lo.unwrap_or(0.0);
        let first = (start / k).ceil() * k;
        raw.insert(0, first);
    }
    raw.into_iter().map(number).collect()
}

fn strings(m: &Map<String, Value>) -> Vec<Value> {
    let min = m.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = m.get("maxLength").and_then(Value::as_u64);
    let mut out = Vec::new();
    if let Some(format) = m.get("format").and_then(Value::as_str) {
        out.extend(format_samples(format).into_iter().map(|s| json!(s)));
    }
    if let Some(p) = m.get("pattern").and_then(Value::as_str) {
        if let Some(l) = Lang::new(p)
            && let Search::Found(s) = search(&[&l], &[], min, max)
        {
            out.push(json!(s));
        }
        return out;
    }
    let n = min.min(4096) as usize;
    out.push(json!("0".repeat(n)));
    out.push(json!("a".repeat(n.max(1))));
    if let Some(max) = max {
        out.push(json!("0".repeat(max.min(4096) as usize)));
    }
    out
}

fn format_samples(format: &str) -> Vec<&'static str> {
    match format {
        "email" | "idn-email" => vec!["a@example.com"],
        "date" => vec!["2020-01-01"],
        "date-time" => vec!["2020-01-01T00:00:00Z"],
        "time" => vec!["00:00:00Z"],
        "uri" | "iri" => vec!["https://example.com"],
        "uri-reference" | "iri-reference" => vec!["/a"],
        "hostname" | "idn-hostname" => vec!["example.com"],
        "ipv4" => vec!["127.0.0.1"],
        "ipv6" => vec!["::1"],
        "uuid" => vec!["00000000-0000-0000-0000-000000000000"],
        "duration" => vec!["P1D"],
        _ => vec![],
    }
}

fn arrays(root: &Value, m: &Map<String, Value>, depth: usize) -> Vec<Value> {
    let min = m
        .get("minItems")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        .min(16) as usize;
    let mut prefix: Vec<Value> = match m.get("prefixItems") {
        Some(Value::Array(items)) => items.iter().map(|s| first(root, s, depth + 1)).collect(),
        _ => Vec::new(),
    };
    let item_schema = m.get("items").cloned().unwrap_or(Value::Bool(true));
    let mut item_values = Vec::new();
    generate(root, &item_schema, depth + 1, &mut item_values);
    let unique = m.get("uniqueItems") == Some(&Value::Bool(true));
    let mut out = Vec::new();
    if prefix.len() >= min {
        out.push(Value::Array(prefix.clone()));
    }
    let mut i = 0;
    while prefix.len() < min.max(1) && !item_values.is_empty() {
        let v = if unique {
            item_values.get(i).cloned().unwrap_or(json!(i))
        } else {
            item_values[0].clone()
        };
        prefix.push(v);
        i += 1;
    }
    out.push(Value::Array(prefix));
    if let Some(c) = m.get("contains") {
        out.push(Value::Array(vec![first(root, c, depth + 1)]));
    }
    out
}

fn objects(root: &Value, m: &Map<String, Value>, depth: usize) -> Vec<Value> {
    let obj = Object::of_new(m);
    // Required names from branches that could not be merged count too.
    let mut required: Vec<String> = obj.required.iter().cloned().collect();
    if let Some(Value::Array(branches)) = m.get("allOf") {
        for b in branches {
            for r in string_set(b.get("required")) {
                if !required.contains(&r) {
                    required.push(r);
                }
            }
        }
    }
    let value_for = |name: &str| first(root, &obj.governs(name).schema(), depth + 1);
    let mut minimal = Map::new();
    for name in &required {
        minimal.insert(name.clone(), value_for(name));
    }
    let mut full = minimal.clone();
    for name in obj.props.keys() {
        full.entry(name.clone()).or_insert_with(|| value_for(name));
    }
    let min_props = m.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
    let mut i = 0;
    while minimal.len() < min_props && i < 64 {
        let name = format!("x{i}");
        if !minimal.contains_key(&name) {
            let v = value_for(&name);
            minimal.insert(name, v);
        }
        i += 1;
    }
    vec![Value::Object(minimal), Value::Object(full)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_user_fills_only_what_is_required() {
        let s = json!({"type": "object", "required": ["givenName"],
            "properties": {"givenName": {"type": "string", "maxLength": 50},
                           "age": {"type": "integer", "minimum": 18}}});
        let c = candidates(&s, std::slice::from_ref(&s), 4);
        assert_eq!(c[0], json!({"givenName": ""}));
        assert_eq!(c[1], json!({"givenName": "", "age": 18}));
    }

    #[test]
    fn patterns_and_formats_give_matching_strings() {
        let s = json!({"type": "string", "pattern": "^[A-Z]{3}$"});
        assert_eq!(candidates(&s, std::slice::from_ref(&s), 4)[0], json!("AAA"));
        let s = json!({"type": "string", "format": "email"});
        assert_eq!(
            candidates(&s, std::slice::from_ref(&s), 4)[0],
            json!("a@example.com")
        );
    }
}
