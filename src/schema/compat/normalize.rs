//! A subschema read as what it means rather than how it is written: local `$ref`s replaced
//! by what they point to, and `allOf` branches merged into their parent where that keeps
//! the meaning (so `required` inside `allOf` is the same as `required` beside it).

use serde_json::{Map, Value};

/// How many `$ref` hops are followed at one node before giving up (a cycle).
const MAX_HOPS: usize = 16;

/// A normalized schema node: a map, or `false` (accepts nothing).
#[derive(Debug, Clone, PartialEq)]
pub enum Norm {
    False,
    Map(Map<String, Value>),
}

/// Resolves a local JSON pointer reference (`#`, `#/$defs/x`, `#/definitions/x`, ...).
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(root);
    }
    let decoded = percent_decode(pointer)?;
    root.pointer(&decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Normalizes `schema` against `root`: `true` is `{}`, a local `$ref` is merged with its
/// siblings, and `allOf` branches are merged where safe; the branches that cannot be
/// merged stay in `allOf`. Anything not understood is left as written.
pub fn normalize(schema: &Value, root: &Value) -> Norm {
    normalize_hops(schema, root, 0)
}

fn normalize_hops(schema: &Value, root: &Value, hops: usize) -> Norm {
    #[cfg(test)]
    tests::CALLS.with(|c| c.set(c.get() + 1));
    let map = match schema {
        Value::Bool(false) => return Norm::False,
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let mut out = map;
    // The target's own unmerged branches, already normalized: normalizing them again here
    // would double the work at every hop of a `$ref` chain (2^16 for a definition that
    // refers to itself).
    let mut target_branches = Vec::new();
    if let Some(Value::String(r)) = out.get("$ref").cloned()
        && hops < MAX_HOPS
        && let Some(target) = resolve(root, &r)
    {
        out.remove("$ref");
        match normalize_hops(target, root, hops + 1) {
            Norm::False => return Norm::False,
            Norm::Map(t) => {
                let mut t = strip_resource_keywords(t);
                if let Some(Value::Array(branches)) = t.remove("allOf") {
                    target_branches = branches;
                }
                if let Err(rest) = merge(&mut out, &t) {
                    push_all_of(&mut out, Value::Object(rest));
                }
            }
        }
    }
    if let Some(Value::Array(branches)) = out.remove("allOf") {
        let mut residual = Vec::new();
        for branch in branches {
            match normalize_hops(&branch, root, hops + 1) {
                Norm::False => return Norm::False,
                Norm::Map(b) => {
                    if merge(&mut out, &b).is_err() {
                        residual.push(Value::Object(b));
                    }
                }
            }
        }
        for r in residual {
            push_all_of(&mut out, r);
        }
    }
    for b in target_branches {
        push_all_of(&mut out, b);
    }
    Norm::Map(out)
}

/// Keywords of a resource rather than a constraint: dropped when a `$ref` target is merged.
fn strip_resource_keywords(mut m: Map<String, Value>) -> Map<String, Value> {
    for k in [
        "$defs",
        "definitions",
        "$id",
        "$schema",
        "$anchor",
        "$comment",
    ] {
        m.remove(k);
    }
    m
}

fn push_all_of(out: &mut Map<String, Value>, branch: Value) {
    match out.get_mut("allOf") {
        Some(Value::Array(items)) => items.push(branch),
        _ => {
            out.insert("allOf".into(), Value::Array(vec![branch]));
        }
    }
}

/// Keywords whose meaning depends on the other keywords of the same object: a branch that
/// has one is never merged, nor are `properties` into a parent that has one.
const SIBLING_DEPENDENT: &[&str] = &[
    "additionalProperties",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "if",
    "then",
    "else",
    "items",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
];

const LOWER: &[&str] = &["minimum", "minLength", "minItems", "minProperties"];
const UPPER: &[&str] = &["maximum", "maxLength", "maxItems", "maxProperties"];

/// Merges `from` into `into` as a conjunction, or leaves `into` unchanged and returns
/// `from` when that would change the meaning.
fn merge(
    into: &mut Map<String, Value>,
    from: &Map<String, Value>,
) -> Result<(), Map<String, Value>> {
    if from.keys().any(|k| SIBLING_DEPENDENT.contains(&k.as_str())) {
        return Err(from.clone());
    }
    let mut next = into.clone();
    for (k, v) in from {
        let Some(have) = next.get(k).cloned() else {
            if k == "properties" && into.keys().any(|k| SIBLING_DEPENDENT.contains(&k.as_str())) {
                return Err(from.clone());
            }
            next.insert(k.clone(), v.clone());
            continue;
        };
        if &have == v {
            continue;
        }
        let merged = match k.as_str() {
            "required" => union_strings(&have, v),
            "properties" => {
                if into.keys().any(|k| SIBLING_DEPENDENT.contains(&k.as_str())) {
                    return Err(from.clone());
                }
                merge_properties(&have, v)
            }
            k if LOWER.contains(&k) => pick_number(&have, v, true),
            k if UPPER.contains(&k) => pick_number(&have, v, false),
            "title" | "description" | "$comment" | "examples" | "default" => Some(have),
            _ => None,
        };
        match merged {
            Some(m) => {
                next.insert(k.clone(), m);
            }
            None => return Err(from.clone()),
        }
    }
    *into = next;
    Ok(())
}

fn union_strings(a: &Value, b: &Value) -> Option<Value> {
    let (Value::Array(a), Value::Array(b)) = (a, b) else {
        return None;
    };
    let mut out = a.clone();
    for item in b {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    Some(Value::Array(out))
}

fn merge_properties(a: &Value, b: &Value) -> Option<Value> {
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return None;
    };
    let mut out = a.clone();
    for (name, s) in b {
        match out.get(name) {
            None => {
                out.insert(name.clone(), s.clone());
            }
            Some(have) if have == s => {}
            Some(have) => {
                let both = serde_json::json!({"allOf": [have.clone(), s.clone()]});
                out.insert(name.clone(), both);
            }
        }
    }
    Some(Value::Object(out))
}

fn pick_number(a: &Value, b: &Value, larger: bool) -> Option<Value> {
    let (x, y) = (a.as_f64()?, b.as_f64()?);
    let keep_a = if larger { x >= y } else { x <= y };
    Some(if keep_a { a.clone() } else { b.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::cell::Cell;

    thread_local! {
        /// Calls of `normalize_hops` on this thread: the work, counted rather than timed.
        pub(super) static CALLS: Cell<usize> = const { Cell::new(0) };
    }

    #[test]
    fn a_definition_that_refers_to_itself_is_unfolded_once_per_hop() {
        let root = json!({"$defs": {"e": {"type": "number", "minimum": 1, "$ref": "#/$defs/e"}},
                          "properties": {"b": {"type": "string", "$ref": "#/$defs/e"}}});
        CALLS.with(|c| c.set(0));
        let Norm::Map(m) = normalize(&root["properties"]["b"], &root) else {
            panic!("not false")
        };
        let calls = CALLS.with(Cell::get);
        // Each hop once, each unmerged branch once: linear in MAX_HOPS (it was 2^MAX_HOPS).
        assert!(calls <= 4 * MAX_HOPS, "{calls} normalizations");
        assert_eq!(m.get("type"), Some(&json!("string")), "{m:?}");
        assert!(
            m.contains_key("allOf"),
            "the conflicting type stays a branch: {m:?}"
        );
    }

    #[test]
    fn required_in_all_of_is_required() {
        let a = json!({"type": "object", "allOf": [{"required": ["x"]}], "required": ["y"]});
        let Norm::Map(m) = normalize(&a, &a) else {
            panic!("not false")
        };
        assert_eq!(m.get("required"), Some(&json!(["y", "x"])));
        assert!(!m.contains_key("allOf"));
    }

    #[test]
    fn refs_resolve_and_branches_with_additional_properties_stay() {
        let root = json!({"$defs": {"s": {"type": "string"}},
                          "properties": {"a": {"$ref": "#/$defs/s", "maxLength": 3}},
                          "allOf": [{"additionalProperties": false}]});
        let Norm::Map(m) = normalize(&root["properties"]["a"], &root) else {
            panic!("not false")
        };
        assert_eq!(Value::Object(m), json!({"maxLength": 3, "type": "string"}));
        let Norm::Map(m) = normalize(&root, &root) else {
            panic!("not false")
        };
        assert_eq!(
            m.get("allOf"),
            Some(&json!([{"additionalProperties": false}]))
        );
        // A cycle is left as a $ref.
        let cyc = json!({"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"});
        assert!(matches!(normalize(&cyc, &cyc), Norm::Map(_)));
    }
}
