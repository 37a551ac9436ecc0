//! Which values: `type`, `enum` and `const`.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::super::json::*;
use super::super::{ChangeKind, Class};
use super::{Comparer, Node};

impl Comparer<'_> {
    pub(super) fn types(&mut self, x: &Node<'_>) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
        let (ot, nt) = (o.get("type"), n.get("type"));
        let at = push_ptr(ptr, "type");
        let (Some(old_set), Some(new_set)) = (type_set(ot), type_set(nt)) else {
            self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                at,
                format!(
                    "the type of {} changed to a value that is not understood",
                    label.text()
                ),
            );
            return;
        };
        let covered = |t: &str, set: &BTreeSet<String>| {
            set.contains(t) || (t == "integer" && set.contains("number"))
        };
        let describe = |v: Option<&Value>| v.map_or_else(|| "any type".to_string(), show);
        let lost: Vec<&str> = facts
            .types
            .iter()
            .copied()
            .filter(|t| !covered(t, &new_set))
            .collect();
        if lost.is_empty() {
            if old_set.iter().all(|t| covered(t, &new_set)) {
                self.push(
                    Class::Compatible,
                    ChangeKind::TypeWidened,
                    at,
                    format!(
                        "the type of {} widened from {} to {}: every value that was valid still is",
                        label.text(),
                        describe(ot),
                        describe(nt)
                    ),
                );
            } else {
                self.push(
                    Class::Compatible,
                    ChangeKind::AlreadyImplied,
                    at,
                    format!(
                        "the type of {} is now {}: every value allowed before already is one",
                        label.text(),
                        describe(nt)
                    ),
                );
            }
            return;
        }
        let article = if lost[0].starts_with(['a', 'e', 'i', 'o', 'u']) {
            "n"
        } else {
            ""
        };
        let candidates = lost.iter().map(|t| sample_of_type(t)).collect();
        self.push_probe(
            Class::Breaking,
            ChangeKind::TypeNarrowed,
            at,
            format!(
                "the type of {} narrowed from {} to {}: users whose value is a{article} {} fail",
                label.text(),
                describe(ot),
                describe(nt),
                lost.join(" or ")
            ),
            candidates,
        );
    }

    /// `enum` and `const`, as the list of values each revision allows (numbers compared
    /// by value, as the validator does).
    pub(super) fn listed(&mut self, x: &Node<'_>, key: &str) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
        let (ov, nv) = (o.get(key), n.get(key));
        let at = push_ptr(ptr, key);
        let what = label.text();
        let Some(nv) = nv else {
            let (kind, text) = if key == "enum" {
                (
                    ChangeKind::EnumRemoved,
                    format!("{what} is no longer limited to a list of values"),
                )
            } else {
                (
                    ChangeKind::ConstRemoved,
                    format!(
                        "{what} no longer has to be exactly {}",
                        ov.map(show).unwrap_or_default()
                    ),
                )
            };
            self.push(Class::Compatible, kind, at, text);
            return;
        };
        let allowed: Vec<Value> = if key == "enum" {
            match nv {
                Value::Array(items) => items.clone(),
                _ => {
                    self.push(
                        Class::CannotTell,
                        ChangeKind::KeywordChanged,
                        at,
                        format!("the enum of {what} is not a list of values"),
                    );
                    return;
                }
            }
        } else {
            vec![nv.clone()]
        };
        let has = |v: &Value| allowed.iter().any(|w| json_eq(v, w));
        match &facts.values {
            Some(vals) => {
                let missing: Vec<Value> = vals.iter().filter(|v| !has(v)).cloned().collect();
                let old_list: Vec<Value> = match ov {
                    Some(Value::Array(items)) if key == "enum" => items.clone(),
                    Some(v) if key == "const" => vec![v.clone()],
                    _ => Vec::new(),
                };
                let added: Vec<String> = allowed
                    .iter()
                    .filter(|w| !old_list.iter().any(|v| json_eq(v, w)))
                    .map(show)
                    .collect();
                if !missing.is_empty() {
                    let shown: Vec<String> = missing.iter().map(show).collect();
                    let (kind, text) = match (key, ov.is_some()) {
                        ("enum", true) => (
                            ChangeKind::EnumValuesRemoved,
                            format!(
                                "{what} no longer allows {}: users with that value fail",
                                shown.join(", ")
                            ),
                        ),
                        ("enum", false) => (
                            ChangeKind::EnumAdded,
                            format!(
                                "{what} is now limited to {}, which leaves out {}: users with that value fail",
                                show(nv),
                                shown.join(", ")
                            ),
                        ),
                        (_, true) => (
                            ChangeKind::ConstChanged,
                            format!(
                                "{what} must now be exactly {} instead of {}: every user with the old value fails",
                                show(nv),
                                ov.map(show).unwrap_or_default()
                            ),
                        ),
                        _ => (
                            ChangeKind::ConstAdded,
                            format!(
                                "{what} must now be exactly {}: users with {} fail",
                                show(nv),
                                shown.join(", ")
                            ),
                        ),
                    };
                    self.push_probe(Class::Breaking, kind, at.clone(), text, missing);
                    if key == "enum" && ov.is_some() && !added.is_empty() {
                        self.push(
                            Class::Compatible,
                            ChangeKind::EnumValuesAdded,
                            at,
                            format!("{what} now also allows {}", added.join(", ")),
                        );
                    }
                } else if key == "enum" && ov.is_some() && !added.is_empty() {
                    self.push(
                        Class::Compatible,
                        ChangeKind::EnumValuesAdded,
                        at,
                        format!("{what} now also allows {}", added.join(", ")),
                    );
                } else {
                    self.push(
                        Class::Compatible,
                        ChangeKind::AlreadyImplied,
                        at,
                        format!(
                            "{what} is now limited to {}, which holds every value allowed before",
                            show(nv)
                        ),
                    );
                }
            }
            None => {
                let candidates: Vec<Value> = facts
                    .types
                    .iter()
                    .map(|t| sample_of_type(t))
                    .chain([json!("x"), json!(1), json!(true)])
                    .filter(|v| !has(v))
                    .collect();
                let (kind, text) = if key == "enum" {
                    (
                        ChangeKind::EnumAdded,
                        format!(
                            "{what} is now limited to {}: users with any other value fail",
                            show(nv)
                        ),
                    )
                } else {
                    (
                        ChangeKind::ConstAdded,
                        format!(
                            "{what} must now be exactly {}: users with any other value fail",
                            show(nv)
                        ),
                    )
                };
                self.push_probe(Class::Breaking, kind, at, text, candidates);
            }
        }
    }
}
