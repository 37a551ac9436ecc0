//! What a revision allows for a property name: its declaration in `properties` (with every
//! `patternProperties` key that matches it), else the matching `patternProperties`, else
//! `additionalProperties` (or `unevaluatedProperties`; absent means any value). A name
//! missing from `properties` is therefore never "unconstrained" by default: it is
//! whatever the rest of the object says.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::json::string_set;
use super::patterns::Lang;

/// The property side of one normalized object schema.
pub struct Object {
    pub props: Map<String, Value>,
    pub patterns: Map<String, Value>,
    /// The schema for names neither declared nor matched by a pattern.
    pub other: Value,
    /// Which keyword `other` comes from, when it is written.
    pub other_key: Option<&'static str>,
    /// `required`, after `allOf` branches were merged.
    pub required: BTreeSet<String>,
    /// The language of each `patternProperties` key, built once.
    langs: Vec<Option<Lang>>,
}

/// The schema a revision applies to one name.
#[derive(Debug, Clone, PartialEq)]
pub enum Governs {
    /// Declared in `properties` (with any matching pattern schemas).
    Declared(Value),
    /// Not declared; one or more `patternProperties` keys match.
    Patterns(Value),
    /// Neither: `additionalProperties` (`true` when absent).
    Other(Value),
    /// A `patternProperties` key outside the regex subset could match.
    Unknown,
}

impl Governs {
    /// The schema as one value (`true` for unknown, which callers report first).
    pub fn schema(&self) -> Value {
        match self {
            Governs::Declared(v) | Governs::Patterns(v) | Governs::Other(v) => v.clone(),
            Governs::Unknown => Value::Bool(true),
        }
    }
}

/// Keywords through which other subschemas evaluate properties, which
/// `unevaluatedProperties` then leaves alone.
const APPLICATORS: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "$ref",
    "$dynamicRef",
];

impl Object {
    /// The object side of the old revision: where `unevaluatedProperties` meets other
    /// applicators, other names are read as allowing anything (a wider old revision only
    /// makes the comparison more careful).
    pub fn of_old(m: &Map<String, Value>) -> Object {
        Self::read(m, true)
    }

    /// The object side of the new revision: `unevaluatedProperties` is read as written
    /// (a narrower new revision only makes the comparison more careful).
    pub fn of_new(m: &Map<String, Value>) -> Object {
        Self::read(m, false)
    }

    fn read(m: &Map<String, Value>, old: bool) -> Object {
        let map = |k: &str| {
            m.get(k)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let applied = APPLICATORS.iter().any(|k| m.contains_key(*k));
        let (other, other_key) = match (
            m.get("additionalProperties"),
            m.get("unevaluatedProperties"),
        ) {
            (Some(v), _) => (v.clone(), Some("additionalProperties")),
            (None, Some(_)) if old && applied => (Value::Bool(true), Some("unevaluatedProperties")),
            (None, Some(v)) => (v.clone(), Some("unevaluatedProperties")),
            (None, None) => (Value::Bool(true), None),
        };
        let patterns = map("patternProperties");
        let langs = patterns.keys().map(|k| Lang::new(k)).collect();
        Object {
            props: map("properties"),
            patterns,
            langs,
            other,
            other_key,
            required: string_set(m.get("required")),
        }
    }

    /// The schema this revision applies to `name`.
    pub fn governs(&self, name: &str) -> Governs {
        let mut matching = Vec::new();
        for (schema, lang) in self.patterns.values().zip(&self.langs) {
            match lang.as_ref().and_then(|l| l.matches(name)) {
                Some(true) => matching.push(schema.clone()),
                Some(false) => {}
                None => return Governs::Unknown,
            }
        }
        let conj = |mut all: Vec<Value>| {
            if all.len() == 1 {
                all.remove(0)
            } else {
                json!({ "allOf": all })
            }
        };
        match self.props.get(name) {
            Some(declared) => {
                matching.insert(0, declared.clone());
                Governs::Declared(conj(matching))
            }
            None if !matching.is_empty() => Governs::Patterns(conj(matching)),
            None => Governs::Other(self.other.clone()),
        }
    }

    /// A name that neither revision declares nor matches with a pattern: where the
    /// "other properties" of both apply.
    pub fn free_name(&self, old: &Object) -> Option<String> {
        let langs: Option<Vec<Lang>> = self
            .patterns
            .keys()
            .chain(old.patterns.keys())
            .map(|k| Lang::new(k))
            .collect();
        let langs = langs?;
        ["x", "other", "extra", "zz", "x0", "_"]
            .into_iter()
            .find(|n| {
                !self.props.contains_key(*n)
                    && !old.props.contains_key(*n)
                    && langs.iter().all(|l| l.matches(n) == Some(false))
            })
            .map(str::to_string)
    }
}
