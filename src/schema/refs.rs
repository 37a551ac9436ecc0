//! The reference index: every place in a schema that names a property (`required`,
//! `dependentRequired` keys and values, `dependentSchemas` keys, the `properties` and
//! `required` of `if`/`then`/`else` — also inside `allOf`/`anyOf`/`oneOf` —, `propertyNames`
//! `const`/`enum`) and every `$ref` into `$defs`, each with its JSON pointer and its rule in
//! words. Pure: it reads a [`Value`] and edits one only through [`rename_references`] and
//! [`remove_references`], which touch nothing but the referencing keys and strings.
//!
//! A property is named relative to the object that holds it: its *container*, given as the
//! designer's field path (empty for the root; the container of an array field's item fields is
//! the array field's path, as in [`super::fields`]).

use serde_json::{Map, Value};

use super::position::{escape_token, pointer_tokens, unescape_token};

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The property `name` of the object at field path `container`.
    Property {
        container: Vec<String>,
        name: String,
    },
    /// The definition `$defs/<name>`.
    Definition(String),
}

/// How a reference names its target, which decides how it is rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// An entry of the container's own `required`.
    Required,
    /// A key of `dependentRequired`.
    DependentRequiredKey,
    /// A name inside a `dependentRequired` list.
    DependentRequiredValue,
    /// A key of `dependentSchemas`.
    DependentSchemasKey,
    /// A key of `properties` inside an `if`/`then`/`else`.
    ConditionProperty,
    /// An entry of `required` inside an `if`/`then`/`else`.
    ConditionRequired,
    /// A `const` or `enum` entry of `propertyNames`.
    PropertyNames,
    /// A `$ref` to `#/$defs/<name>`.
    DefinitionRef,
}

impl RefKind {
    /// Whether the reference is an object key (otherwise it is a string value).
    pub fn is_key(self) -> bool {
        matches!(
            self,
            RefKind::DependentRequiredKey
                | RefKind::DependentSchemasKey
                | RefKind::ConditionProperty
        )
    }
}

/// One place that names a property or a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub target: Target,
    pub kind: RefKind,
    /// Where the name is: the key's entry (`/dependentRequired/nickname`) or the string
    /// (`/required/0`).
    pub pointer: String,
    /// The rule in words: "required when nickname is set".
    pub rule: String,
}

impl Reference {
    /// Whether this names the field at `path`.
    pub fn names_field<S: AsRef<str>>(&self, path: &[S]) -> bool {
        match (&self.target, path.split_last()) {
            (Target::Property { container, name }, Some((last, parent))) => {
                name == last.as_ref()
                    && container.len() == parent.len()
                    && container.iter().zip(parent).all(|(a, b)| a == b.as_ref())
            }
            _ => false,
        }
    }
}

/// The name a local reference gives its target: the last token of its pointer, unescaped
/// (`#/$defs/a~1b` names the definition "a/b"); the reference as written otherwise.
pub fn target_name(reference: &str) -> String {
    match reference.strip_prefix('#') {
        Some(pointer) if pointer.starts_with('/') => pointer_tokens(pointer)
            .pop()
            .unwrap_or_else(|| reference.to_string()),
        _ => reference.to_string(),
    }
}

/// Every reference in `schema`, in document order of the walk (containers first, then their
/// fields; `$ref`s last).
pub fn index(schema: &Value) -> Vec<Reference> {
    let mut out = Vec::new();
    if let Value::Object(root) = schema {
        walk_container(root, "", &[], &mut out);
    }
    walk_defs_refs(schema, String::new(), &mut out);
    out
}

/// The references that name the field at `path`.
pub fn references_to<S: AsRef<str>>(schema: &Value, path: &[S]) -> Vec<Reference> {
    index(schema)
        .into_iter()
        .filter(|r| r.names_field(path))
        .collect()
}

/// The references to the field at `path` other than its container's own `required` entry,
/// which the designer keeps in step with the field anyway.
pub fn outside_references<S: AsRef<str>>(schema: &Value, path: &[S]) -> Vec<Reference> {
    references_to(schema, path)
        .into_iter()
        .filter(|r| r.kind != RefKind::Required)
        .collect()
}

fn words(names: &[&str]) -> String {
    names.join(", ")
}

fn walk_container(
    node: &Map<String, Value>,
    ptr: &str,
    container: &[String],
    out: &mut Vec<Reference>,
) {
    let prop = |name: &str| Target::Property {
        container: container.to_vec(),
        name: name.to_string(),
    };
    if let Some(Value::Array(req)) = node.get("required") {
        for (i, v) in req.iter().enumerate() {
            if let Some(name) = v.as_str() {
                out.push(Reference {
                    target: prop(name),
                    kind: RefKind::Required,
                    pointer: format!("{ptr}/required/{i}"),
                    rule: "required".into(),
                });
            }
        }
    }
    if let Some(Value::Object(deps)) = node.get("dependentRequired") {
        for (key, list) in deps {
            let kptr = format!("{ptr}/dependentRequired/{}", escape_token(key));
            let names: Vec<&str> = list
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            out.push(Reference {
                target: prop(key),
                kind: RefKind::DependentRequiredKey,
                pointer: kptr.clone(),
                rule: format!("when set, {} must be set too", words(&names)),
            });
            if let Some(a) = list.as_array() {
                for (i, v) in a.iter().enumerate() {
                    if let Some(name) = v.as_str() {
                        out.push(Reference {
                            target: prop(name),
                            kind: RefKind::DependentRequiredValue,
                            pointer: format!("{kptr}/{i}"),
                            rule: format!("required when {key} is set"),
                        });
                    }
                }
            }
        }
    }
    if let Some(Value::Object(deps)) = node.get("dependentSchemas") {
        for (key, sub) in deps {
            let kptr = format!("{ptr}/dependentSchemas/{}", escape_token(key));
            out.push(Reference {
                target: prop(key),
                kind: RefKind::DependentSchemasKey,
                pointer: kptr.clone(),
                rule: format!("when set, the schema at {kptr} applies"),
            });
            if let Value::Object(sub) = sub {
                let rule = format!("applies when {key} is set ({kptr})");
                walk_condition(sub, &kptr, container, &rule, out);
                walk_applicators(sub, &kptr, container, out);
            }
        }
    }
    if let Some(Value::Object(names)) = node.get("propertyNames") {
        let pn = format!("{ptr}/propertyNames");
        if let Some(name) = names.get("const").and_then(Value::as_str) {
            out.push(Reference {
                target: prop(name),
                kind: RefKind::PropertyNames,
                pointer: format!("{pn}/const"),
                rule: format!("the only property name allowed by propertyNames at {pn}"),
            });
        }
        if let Some(Value::Array(a)) = names.get("enum") {
            for (i, v) in a.iter().enumerate() {
                if let Some(name) = v.as_str() {
                    out.push(Reference {
                        target: prop(name),
                        kind: RefKind::PropertyNames,
                        pointer: format!("{pn}/enum/{i}"),
                        rule: format!("listed by propertyNames at {pn}"),
                    });
                }
            }
        }
    }
    walk_applicators(node, ptr, container, out);
    if let Some(Value::Object(props)) = node.get("properties") {
        for (name, sub) in props {
            let Value::Object(sub) = sub else { continue };
            let sptr = format!("{ptr}/properties/{}", escape_token(name));
            let mut path = container.to_vec();
            path.push(name.clone());
            let is_array = sub.get("type").and_then(Value::as_str) == Some("array")
                || (!sub.contains_key("properties")
                    && sub.get("items").is_some_and(Value::is_object));
            if is_array {
                if let Some(Value::Object(items)) = sub.get("items") {
                    walk_container(items, &format!("{sptr}/items"), &path, out);
                }
            } else {
                walk_container(sub, &sptr, &path, out);
            }
        }
    }
}

/// `if`/`then`/`else` of `node`, also inside its `allOf`/`anyOf`/`oneOf` (at any depth).
fn walk_applicators(
    node: &Map<String, Value>,
    ptr: &str,
    container: &[String],
    out: &mut Vec<Reference>,
) {
    let if_ptr = format!("{ptr}/if");
    for (kw, verb) in [
        ("if", "checked by the if at"),
        ("then", "constrained again by the then at"),
        ("else", "constrained again by the else at"),
    ] {
        if let Some(Value::Object(sub)) = node.get(kw) {
            let kptr = format!("{ptr}/{kw}");
            let rule = if kw == "if" {
                format!("{verb} {kptr}")
            } else {
                format!(
                    "{verb} {kptr} (when the if at {if_ptr} holds{})",
                    if kw == "else" { " not" } else { "" }
                )
            };
            walk_condition(sub, &kptr, container, &rule, out);
        }
    }
    for kw in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(list)) = node.get(kw) {
            for (i, sub) in list.iter().enumerate() {
                if let Value::Object(sub) = sub {
                    walk_applicators(sub, &format!("{ptr}/{kw}/{i}"), container, out);
                }
            }
        }
    }
}

/// The `properties` and `required` of a conditional subschema, recursing into nested
/// `properties` (which name the nested fields).
fn walk_condition(
    node: &Map<String, Value>,
    ptr: &str,
    container: &[String],
    rule: &str,
    out: &mut Vec<Reference>,
) {
    if let Some(Value::Array(req)) = node.get("required") {
        for (i, v) in req.iter().enumerate() {
            if let Some(name) = v.as_str() {
                out.push(Reference {
                    target: Target::Property {
                        container: container.to_vec(),
                        name: name.to_string(),
                    },
                    kind: RefKind::ConditionRequired,
                    pointer: format!("{ptr}/required/{i}"),
                    rule: format!("{rule}: must be set"),
                });
            }
        }
    }
    if let Some(Value::Object(props)) = node.get("properties") {
        for (name, sub) in props {
            let sptr = format!("{ptr}/properties/{}", escape_token(name));
            out.push(Reference {
                target: Target::Property {
                    container: container.to_vec(),
                    name: name.clone(),
                },
                kind: RefKind::ConditionProperty,
                pointer: sptr.clone(),
                rule: rule.to_string(),
            });
            if let Value::Object(sub) = sub {
                let mut path = container.to_vec();
                path.push(name.clone());
                walk_condition(sub, &sptr, &path, rule, out);
            }
        }
    }
}

/// Every `$ref` of the form `#/$defs/<name>`, anywhere.
fn walk_defs_refs(v: &Value, ptr: String, out: &mut Vec<Reference>) {
    match v {
        Value::Object(m) => {
            for (k, sub) in m {
                let sptr = format!("{ptr}/{}", escape_token(k));
                if k == "$ref" {
                    if let Some(name) = sub.as_str().and_then(|r| r.strip_prefix("#/$defs/")) {
                        let name = unescape_token(name);
                        out.push(Reference {
                            rule: format!("uses the definition {name} (#/$defs/{name})"),
                            target: Target::Definition(name),
                            kind: RefKind::DefinitionRef,
                            pointer: sptr,
                        });
                    }
                } else {
                    walk_defs_refs(sub, sptr, out);
                }
            }
        }
        Value::Array(a) => {
            for (i, sub) in a.iter().enumerate() {
                walk_defs_refs(sub, format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Splits a pointer into its parent's tokens and its last token.
fn split(pointer: &str) -> Option<(Vec<String>, String)> {
    let mut tokens = pointer_tokens(pointer);
    let last = tokens.pop()?;
    Some((tokens, last))
}

fn node_mut<'a>(v: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(v, |node, t| match node {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    })
}

/// Deepest first, later array entries first, so that rewriting one pointer never moves another.
fn order(refs: &mut [Reference]) {
    fn key(p: &str) -> Vec<(u8, usize, String)> {
        p.split('/')
            .skip(1)
            .map(|t| match t.parse::<usize>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, t.to_string()),
            })
            .collect()
    }
    refs.sort_by_key(|r| std::cmp::Reverse(key(&r.pointer)));
}

/// Renames every reference in `refs` to `new_name` (keys keep their position); returns how
/// many it rewrote.
pub fn rename_references(schema: &mut Value, mut refs: Vec<Reference>, new_name: &str) -> usize {
    order(&mut refs);
    let mut n = 0;
    for r in &refs {
        let Some((parent, last)) = split(&r.pointer) else {
            continue;
        };
        let Some(node) = node_mut(schema, &parent) else {
            continue;
        };
        let done = match node {
            Value::Object(m) if r.kind.is_key() => rename_key(m, &last, new_name),
            Value::Object(m) => match m.get_mut(&last) {
                Some(v @ Value::String(_)) => {
                    *v = Value::String(new_name.to_string());
                    true
                }
                _ => false,
            },
            Value::Array(a) => match last.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(v @ Value::String(_)) => {
                    *v = Value::String(new_name.to_string());
                    true
                }
                _ => false,
            },
            _ => false,
        };
        n += usize::from(done);
    }
    n
}

fn rename_key(m: &mut Map<String, Value>, old: &str, new: &str) -> bool {
    if !m.contains_key(old) || m.contains_key(new) {
        return false;
    }
    let renamed: Map<String, Value> = std::mem::take(m)
        .into_iter()
        .map(|(k, v)| {
            if k == old {
                (new.to_string(), v)
            } else {
                (k, v)
            }
        })
        .collect();
    *m = renamed;
    true
}

/// Removes every reference in `refs` (a key with its entry, a name from its list; a
/// `propertyNames` `const` is removed as a keyword); returns how many it removed.
pub fn remove_references(schema: &mut Value, mut refs: Vec<Reference>) -> usize {
    order(&mut refs);
    let mut n = 0;
    for r in &refs {
        let Some((parent, last)) = split(&r.pointer) else {
            continue;
        };
        let Some(node) = node_mut(schema, &parent) else {
            continue;
        };
        let done = match node {
            Value::Object(m) => m.shift_remove(&last).is_some(),
            Value::Array(a) => match last.parse::<usize>() {
                Ok(i) if i < a.len() => {
                    a.remove(i);
                    true
                }
                _ => false,
            },
            _ => false,
        };
        n += usize::from(done);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::target_name;

    #[test]
    fn names_the_last_token_unescaped() {
        assert_eq!(target_name("#/$defs/money"), "money");
        assert_eq!(target_name("#/$defs/a~1b~0c"), "a/b~c");
        assert_eq!(target_name("#"), "#");
        assert_eq!(target_name("other.json"), "other.json");
    }
}
