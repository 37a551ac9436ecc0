//! The rules: one revision's subschema against its counterpart, keyword by keyword, each
//! new keyword of the new revision judged against everything the old one says (so an
//! `exclusiveMaximum` the old `maximum` already implied is no change at all). Every
//! change that is not compatible carries a [`Probe`]: where in a user it is, and values to
//! try there, from which `counterexample` builds a whole user.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::names::{self, Governs};
use super::normalize::{Norm, normalize};
use super::patterns::{Lang, Search, search};
use super::{Change, ChangeKind, Class};
use crate::schema::permission::{Access, PERMISSION_KEYWORD, Permission};
use crate::schema::position::escape_token;

/// A change and how to look for a user it breaks.
pub(super) struct Found {
    pub change: Change,
    pub probe: Option<Probe>,
}

/// Where a change is in a user, and what to try there.
#[derive(Debug, Clone)]
pub(super) struct Probe {
    /// From the root to the location, each step with the old revision's schema there.
    pub path: Vec<Frame>,
    /// Values to try at the location first.
    pub candidates: Vec<Value>,
    /// The old revision's schemas at the location (a conjunction) to generate more from.
    pub schemas: Vec<Value>,
    /// Schemas each tried in turn together with `schemas` (the old and new branches of a
    /// `oneOf` that may overlap).
    pub alts: Vec<Value>,
    /// The example leaves the property at the location out (a newly required field).
    pub omit: bool,
    /// Stays "cannot tell" even when an example is found (a field declared where any
    /// value was allowed: usually harmless, samples decide).
    pub keep_class: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Frame {
    pub step: Step,
    /// The old revision's schema of the child at this step.
    pub schema: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    Key(String),
    Item,
}

/// Compares two schemas; the changes come in document order.
pub(super) fn compare(old: &Value, new: &Value) -> Vec<Found> {
    let mut c = Comparer::new(old, new);
    c.node(old, new, "", &Label::Root, 0);
    c.out
}

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

    fn field_path(&self) -> Option<&str> {
        match self {
            Label::Field(path) => Some(path),
            _ => None,
        }
    }

    fn child_field(&self, name: &str) -> Label {
        match self.field_path() {
            Some(p) => Label::Field(format!("{p}.{name}")),
            None => Label::Field(name.to_string()),
        }
    }

    fn items(&self) -> Label {
        match self.field_path() {
            Some(p) => Label::Field(format!("{p}[]")),
            None => Label::Other(format!("the items of {}", self.text())),
        }
    }
}

/// Keywords that never change which data is valid.
const TEXT_KEYWORDS: &[&str] = &[
    "title",
    "description",
    "examples",
    "default",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// A size limit: the keyword, whether it is a lower bound, and the JSON type it applies to.
const SIZE_LIMITS: &[(&str, bool, &str)] = &[
    ("minLength", true, "string"),
    ("maxLength", false, "string"),
    ("minItems", true, "array"),
    ("maxItems", false, "array"),
    ("minProperties", true, "object"),
    ("maxProperties", false, "object"),
    ("minContains", true, "array"),
    ("maxContains", false, "array"),
];
const NUMBER_LIMITS: &[&str] = &["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"];

const REFS: &[&str] = &["$ref", "$dynamicRef", "$recursiveRef"];

/// Keywords read by a rule below; the rest of 2020-12 is "cannot tell" when it changes.
const HANDLED: &[&str] = &[
    "type",
    "properties",
    "patternProperties",
    "additionalProperties",
    "unevaluatedProperties",
    "required",
    "dependentRequired",
    "propertyNames",
    "items",
    "prefixItems",
    "contains",
    "pattern",
    "enum",
    "format",
    "const",
    "uniqueItems",
    "multipleOf",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "$defs",
    "definitions",
    "$schema",
    PERMISSION_KEYWORD,
];

/// Every keyword of the 2020-12 vocabularies; a keyword outside them is an annotation
/// that validators ignore.
const VOCABULARY: &[&str] = &[
    "$id",
    "$schema",
    "$ref",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "definitions",
    "$recursiveRef",
    "$recursiveAnchor",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "prefixItems",
    "items",
    "contains",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "type",
    "const",
    "enum",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependencies",
    "additionalItems",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
];

/// Meta-schema ids that describe the same vocabulary (schemadesk's and the server's).
const SAME_DIALECT: &[&str] = &[
    "urn:zitadel:schema:v1",
    "https://json-schema.org/draft/2020-12/schema",
];

const MAX_DEPTH: usize = 64;

/// A keyword whose adding, removing and changing are each one class and one sentence;
/// `{field}`, `{old}` and `{new}` in the sentences are filled in. The class of "added" and
/// "changed" is what holds when the old revision does not already imply the new keyword.
struct ValueRule {
    keyword: &'static str,
    /// The JSON type the keyword constrains.
    applies_to: &'static str,
    added: (Class, ChangeKind, &'static str),
    removed: (Class, ChangeKind, &'static str),
    changed: (Class, ChangeKind, &'static str),
}

const PATTERN: ValueRule = ValueRule {
    keyword: "pattern",
    applies_to: "string",
    added: (
        Class::Breaking,
        ChangeKind::PatternAdded,
        "{field} must now match the pattern {new}: users whose value does not match fail",
    ),
    removed: (
        Class::Compatible,
        ChangeKind::PatternRemoved,
        "{field} no longer has to match {old}",
    ),
    changed: (
        Class::Breaking,
        ChangeKind::PatternChanged,
        "the pattern of {field} changed from {old} to {new}, which some values that matched before do not match",
    ),
};

const FORMAT: ValueRule = ValueRule {
    keyword: "format",
    applies_to: "string",
    added: (
        Class::Breaking,
        ChangeKind::FormatAdded,
        "{field} must now have the format {new}: users whose value is not in that format fail",
    ),
    removed: (
        Class::Compatible,
        ChangeKind::FormatRemoved,
        "{field} no longer has to have the format {old}",
    ),
    changed: (
        Class::Breaking,
        ChangeKind::FormatChanged,
        "the format of {field} changed from {old} to {new}: users whose value is not in the new format fail",
    ),
};

/// Fills the `{name}` slots of `template` in one pass, so a filled-in value that itself
/// contains braces is left as it is.
pub(super) fn fill<'a>(template: &str, value: impl Fn(&str) -> Option<&'a str>) -> String {
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

/// What the old revision says about the values at a node, across its keywords.
struct Facts {
    /// The JSON types a value may have ("integer" for integral numbers, "number" for others).
    types: BTreeSet<&'static str>,
    /// The only values allowed (`enum` and `const`), when there is such a list.
    values: Option<Vec<Value>>,
}

const ALL_TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];

fn static_type(t: &str) -> Option<&'static str> {
    ALL_TYPES.iter().copied().find(|s| *s == t)
}

impl Facts {
    fn of(m: &Map<String, Value>) -> Facts {
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
    fn may_hold(&self, t: &str) -> bool {
        match t {
            "number" => self.types.contains("number") || self.types.contains("integer"),
            t => self.types.contains(t),
        }
    }

    fn integers_only(&self) -> bool {
        self.types.contains("integer") && !self.types.contains("number")
    }
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
fn sample_of_type(t: &str) -> Value {
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

fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// An effective numeric bound: its value and whether it is exclusive.
#[derive(Clone, Copy)]
struct Bound {
    v: f64,
    excl: bool,
}

fn lower_bound(m: &Map<String, Value>) -> Option<Bound> {
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

fn upper_bound(m: &Map<String, Value>) -> Option<Bound> {
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

pub(super) struct Comparer<'r> {
    a_root: &'r Value,
    b_root: &'r Value,
    pub out: Vec<Found>,
    path: Vec<Frame>,
    /// The data location is not known (inside `$defs`): no example is looked for.
    lost: bool,
    /// The old revision's normalized schema at the current location, and schemas that
    /// hold there too (an `if` when comparing a `then`).
    here: Vec<Value>,
}

impl<'r> Comparer<'r> {
    pub(super) fn new(a_root: &'r Value, b_root: &'r Value) -> Self {
        Comparer {
            a_root,
            b_root,
            out: Vec::new(),
            path: Vec::new(),
            lost: false,
            here: Vec::new(),
        }
    }

    /// A comparer for a side question ("does the old schema imply this one?"), at the
    /// same location; its changes are read, not reported.
    fn side(&self) -> Comparer<'r> {
        Comparer {
            a_root: self.a_root,
            b_root: self.b_root,
            out: Vec::new(),
            path: self.path.clone(),
            lost: self.lost,
            here: self.here.clone(),
        }
    }

    /// The worst class of comparing `old` with `new` here, and the probes of what breaks.
    fn judge(&self, old: &Value, new: &Value, depth: usize, label: &Label) -> (Class, Vec<Found>) {
        let mut side = self.side();
        side.node(old, new, "", label, depth + 1);
        let worst = side
            .out
            .iter()
            .map(|f| f.change.class)
            .max()
            .unwrap_or(Class::Compatible);
        (worst, side.out)
    }

    fn push(&mut self, class: Class, kind: ChangeKind, pointer: String, message: String) {
        self.push_probe(class, kind, pointer, message, Vec::new());
    }

    /// Pushes a change; one that is not compatible gets a probe with `candidates`.
    fn push_probe(
        &mut self,
        class: Class,
        kind: ChangeKind,
        pointer: String,
        message: String,
        candidates: Vec<Value>,
    ) {
        let probe = (class != Class::Compatible && !self.lost).then(|| Probe {
            path: self.path.clone(),
            candidates,
            schemas: self.here.clone(),
            alts: Vec::new(),
            omit: false,
            keep_class: false,
        });
        self.push_with(class, kind, pointer, message, probe);
    }

    fn push_with(
        &mut self,
        class: Class,
        kind: ChangeKind,
        pointer: String,
        message: String,
        probe: Option<Probe>,
    ) {
        self.out.push(Found {
            change: Change {
                class,
                kind,
                pointer,
                message,
                example: None,
            },
            probe,
        });
    }

    /// Runs `f` one step down in the data, where the old schema is `a_child`.
    fn descend(&mut self, step: Step, a_child: &Value, f: impl FnOnce(&mut Self)) {
        let saved_here = std::mem::take(&mut self.here);
        self.path.push(Frame {
            step,
            schema: a_child.clone(),
        });
        f(self);
        self.path.pop();
        self.here = saved_here;
    }

    /// Runs `f` at the same location with `extra` holding there too.
    fn with_here(&mut self, extra: &[Value], f: impl FnOnce(&mut Self)) {
        let n = self.here.len();
        self.here.extend(extra.iter().cloned());
        f(self);
        self.here.truncate(n);
    }

    /// Compares one subschema of the old revision with its counterpart in the new one.
    pub(super) fn node(
        &mut self,
        old: &Value,
        new: &Value,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        if old == new {
            return;
        }
        if depth > MAX_DEPTH {
            self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                ptr.to_string(),
                format!("{} is nested too deeply to compare", label.text()),
            );
            return;
        }
        let is_schema = |v: &Value| v.is_object() || v.is_boolean();
        if !is_schema(old) || !is_schema(new) {
            self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                ptr.to_string(),
                format!("{} is not a schema object in both revisions", label.text()),
            );
            return;
        }
        let (na, nb) = (normalize(old, self.a_root), normalize(new, self.b_root));
        let (o, n) = match (na, nb) {
            (Norm::False, Norm::False) => return,
            (Norm::False, _) => {
                self.push(
                    Class::Compatible,
                    ChangeKind::SchemaNoLongerFalse,
                    ptr.to_string(),
                    format!("{} accepted no value before and now does", label.text()),
                );
                return;
            }
            (Norm::Map(o), Norm::False) => {
                self.here.insert(0, Value::Object(o));
                self.push(
                    Class::Breaking,
                    ChangeKind::SchemaNowFalse,
                    ptr.to_string(),
                    format!(
                        "{} now accepts no value at all (the schema is false): every user with a value fails",
                        label.text()
                    ),
                );
                self.here.remove(0);
                return;
            }
            (Norm::Map(o), Norm::Map(n)) => (o, n),
        };
        self.here.insert(0, Value::Object(o.clone()));
        let facts = Facts::of(&o);
        self.refs(old, new, ptr, label);
        self.types(&o, &n, &facts, ptr, label);
        self.objects(&o, &n, &facts, ptr, label, depth);
        self.items(&o, &n, &facts, ptr, label, depth);
        self.number_limits(&o, &n, &facts, ptr, label);
        self.size_limits(&o, &n, &facts, ptr, label);
        self.pattern(&o, &n, &facts, ptr, label);
        self.values(&o, &n, &facts, ptr, label);
        self.value_rule(&FORMAT, &o, &n, &facts, ptr, label);
        self.unique_items(&o, &n, &facts, ptr, label);
        self.multiple_of(&o, &n, &facts, ptr, label);
        self.combinators(&o, &n, ptr, label, depth);
        self.permission(&o, &n, ptr, label);
        self.definitions(old, new, ptr, depth);
        self.dialect(&o, &n, ptr);
        self.others(&o, &n, ptr, label);
        self.here.remove(0);
    }

    /// A `$ref` that now names another definition: judged by what the two say (the
    /// differences are reported by the other rules, on the resolved schemas).
    fn refs(&mut self, old: &Value, new: &Value, ptr: &str, label: &Label) {
        let (ov, nv) = (old.get("$ref"), new.get("$ref"));
        if ov == nv {
            return;
        }
        let resolves = |v: Option<&Value>, root: &Value| {
            v.is_none_or(|r| {
                r.as_str()
                    .is_some_and(|r| super::normalize::resolve(root, r).is_some())
            })
        };
        if resolves(ov, self.a_root) && resolves(nv, self.b_root) {
            self.push(
                Class::Compatible,
                ChangeKind::RefChanged,
                push_ptr(ptr, "$ref"),
                format!(
                    "the $ref of {} changed from {} to {}; they are compared by what they resolve to, and any difference is listed on its own",
                    label.text(),
                    ov.map_or_else(|| "none".to_string(), show),
                    nv.map_or_else(|| "none".to_string(), show)
                ),
            );
        }
    }

    fn types(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        let (ot, nt) = (o.get("type"), n.get("type"));
        if ot == nt {
            return;
        }
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

    /// Properties, pattern properties, other properties and `required`: what each
    /// revision allows for a property name, compared name by name.
    fn objects(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        let keys = [
            "properties",
            "patternProperties",
            "additionalProperties",
            "unevaluatedProperties",
            "required",
            "dependentRequired",
            "propertyNames",
        ];
        if keys.iter().all(|k| o.get(*k) == n.get(*k)) {
            return;
        }
        if !facts.may_hold("object") {
            self.push(
                Class::Compatible,
                ChangeKind::AlreadyImplied,
                ptr.to_string(),
                format!(
                    "the properties of {} changed, but it never held an object",
                    label.text()
                ),
            );
            return;
        }
        let a = names::Object::of_old(o);
        let b = names::Object::of_new(n);
        let props_ptr = push_ptr(ptr, "properties");
        // Declared fields, in the new revision's order, then the removed ones.
        for name in b.props.keys() {
            let at = push_ptr(&props_ptr, name);
            let field = label.child_field(name);
            let now_required = b.required.contains(name) && !a.required.contains(name);
            let a_gov = a.governs(name);
            let b_gov = b.governs(name);
            if now_required {
                let kind = if a.props.contains_key(name) {
                    ChangeKind::BecameRequired
                } else {
                    ChangeKind::FieldAddedRequired
                };
                let text = if a.props.contains_key(name) {
                    format!(
                        "{} became required: users created without it fail validation until it is filled in",
                        field.text()
                    )
                } else {
                    format!(
                        "{} is new and required: every existing user lacks it and fails validation",
                        field.text()
                    )
                };
                self.push_omit(kind, at.clone(), text, name, &a_gov);
            }
            match (&a_gov, &b_gov) {
                (Governs::Unknown, _) | (_, Governs::Unknown) => self.push(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!(
                        "which schema applies to {} depends on a patternProperties key outside the regex subset schemadesk compares",
                        field.text()
                    ),
                ),
                (Governs::Declared(_), _) => {
                    let (old_v, new_v) = (a_gov.schema(), b_gov.schema());
                    self.descend(Step::Key(name.clone()), &old_v, |c| {
                        c.node(&old_v, &new_v, &at, &field, depth + 1)
                    });
                }
                // Newly required: every user lacks it, which says all (reported above).
                (Governs::Other(ap), _) if is_open(ap) && now_required => {}
                (Governs::Other(ap), _) if is_open(ap) => {
                    let new_v = b_gov.schema();
                    if is_trivial(&new_v) {
                        self.push(
                            Class::Compatible,
                            ChangeKind::FieldAdded,
                            at,
                            format!("{} is new and optional", field.text()),
                        );
                    } else if a.required.contains(name) {
                        let mut probe = self.probe_at(name, &json!(true));
                        if let Some(p) = probe.as_mut() {
                            p.candidates = violations(&new_v);
                        }
                        self.push_with(
                            Class::Breaking,
                            ChangeKind::FieldAddedWasRequired,
                            at,
                            format!(
                                "{} is declared now, but it was required all along with any value: users whose value the new declaration refuses fail",
                                field.text()
                            ),
                            probe,
                        );
                    } else {
                        let mut probe = self.probe_at(name, &json!(true));
                        if let Some(p) = probe.as_mut() {
                            p.candidates = violations(&new_v);
                            p.keep_class = true;
                        }
                        self.push_with(
                            Class::CannotTell,
                            ChangeKind::FieldAddedOverOpen,
                            at,
                            format!(
                                "{} is new; before, any value was allowed under that name: compatible unless users already hold a value the new declaration refuses ({}); saved samples decide",
                                field.text(),
                                describe_schema(&new_v)
                            ),
                            probe,
                        );
                    }
                }
                (Governs::Other(Value::Bool(false)), _) => self.push(
                    Class::Compatible,
                    ChangeKind::FieldAdded,
                    at,
                    format!(
                        "{} is new and optional; no user could have it before",
                        field.text()
                    ),
                ),
                (Governs::Other(_) | Governs::Patterns(_), _) => {
                    let old_v = a_gov.schema();
                    let new_v = b_gov.schema();
                    let (worst, found) = self.judge_at(name, &old_v, &new_v, depth, &field);
                    if worst == Class::Compatible {
                        self.push(
                            Class::Compatible,
                            ChangeKind::FieldAdded,
                            at,
                            format!(
                                "{} is new and optional; every value the other properties allowed under that name still passes",
                                field.text()
                            ),
                        );
                    } else {
                        self.adopt(found, &at, &format!("{} is new: ", field.text()));
                    }
                }
            }
        }
        for name in a.props.keys().filter(|k| !b.props.contains_key(*k)) {
            let at = push_ptr(&props_ptr, name);
            let field = label.child_field(name);
            let b_gov = b.governs(name);
            let old_v = a.governs(name).schema();
            match &b_gov {
                Governs::Unknown => self.push(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!(
                        "{} was removed, and which schema applies to it now depends on a pattern outside the regex subset schemadesk compares",
                        field.text()
                    ),
                ),
                Governs::Other(v) if is_open(v) => self.push(
                    Class::Compatible,
                    ChangeKind::FieldRemoved,
                    at,
                    format!(
                        "{} was removed: values users already have are kept but no longer checked",
                        field.text()
                    ),
                ),
                Governs::Other(Value::Bool(false)) => {
                    let mut probe = self.probe_at(name, &old_v);
                    if let Some(p) = probe.as_mut() {
                        p.schemas = vec![old_v.clone()];
                    }
                    self.push_with(
                        Class::Breaking,
                        ChangeKind::FieldRemovedClosed,
                        at,
                        format!(
                            "{} was removed and additionalProperties is false: users who have a value for it fail validation",
                            field.text()
                        ),
                        probe,
                    );
                }
                _ => {
                    let new_v = b_gov.schema();
                    let (worst, found) = self.judge_at(name, &old_v, &new_v, depth, &field);
                    let under = if matches!(b_gov, Governs::Patterns(_)) {
                        "patternProperties"
                    } else {
                        "additionalProperties"
                    };
                    if worst == Class::Compatible {
                        self.push(
                            Class::Compatible,
                            ChangeKind::FieldRemoved,
                            at,
                            format!(
                                "{} was removed: its values now fall under {under}, which accepts every value it allowed",
                                field.text()
                            ),
                        );
                    } else {
                        let reason = found
                            .iter()
                            .find(|f| f.change.class == worst)
                            .map(|f| f.change.message.clone())
                            .unwrap_or_default();
                        let probe = found
                            .into_iter()
                            .find(|f| f.change.class == worst)
                            .and_then(|f| f.probe);
                        self.push_with(
                            worst,
                            ChangeKind::FieldRemovedStillChecked,
                            at,
                            format!(
                                "{} was removed, so its values now fall under {under}: {reason}",
                                field.text()
                            ),
                            probe,
                        );
                    }
                }
            }
        }
        // Required names that are not properties of their own in the new revision.
        for name in b.required.iter().filter(|r| !a.required.contains(*r)) {
            if !b.props.contains_key(name) {
                let gov = a.governs(name);
                self.push_omit(
                    ChangeKind::BecameRequired,
                    push_ptr(&props_ptr, name),
                    format!(
                        "{} became required: users created without it fail validation",
                        label.child_field(name).text()
                    ),
                    name,
                    &gov,
                );
            }
        }
        for name in a.required.iter().filter(|r| !b.required.contains(*r)) {
            if b.props.contains_key(name) {
                self.push(
                    Class::Compatible,
                    ChangeKind::NoLongerRequired,
                    push_ptr(&props_ptr, name),
                    format!("{} is no longer required", label.child_field(name).text()),
                );
            }
        }
        self.pattern_properties(&a, &b, ptr, label, depth);
        self.other_properties(&a, &b, ptr, label, depth);
        self.dependent_required(&a, o, n, ptr, label);
        self.property_names(&a, o, n, ptr, label, depth);
    }

    /// A probe for the property `name` of the object here, whose old schema is `schema`.
    fn probe_at(&self, name: &str, schema: &Value) -> Option<Probe> {
        if self.lost {
            return None;
        }
        let mut path = self.path.clone();
        path.push(Frame {
            step: Step::Key(name.to_string()),
            schema: schema.clone(),
        });
        Some(Probe {
            path,
            candidates: Vec::new(),
            schemas: vec![schema.clone()],
            alts: Vec::new(),
            omit: false,
            keep_class: false,
        })
    }

    fn push_omit(&mut self, kind: ChangeKind, at: String, text: String, name: &str, gov: &Governs) {
        let mut probe = self.probe_at(name, &gov.schema());
        if let Some(p) = probe.as_mut() {
            p.omit = true;
        }
        self.push_with(Class::Breaking, kind, at, text, probe);
    }

    /// Judges `old` against `new` as the schemas of property `name` here.
    fn judge_at(
        &mut self,
        name: &str,
        old: &Value,
        new: &Value,
        depth: usize,
        label: &Label,
    ) -> (Class, Vec<Found>) {
        let mut out = (Class::Compatible, Vec::new());
        self.descend(Step::Key(name.to_string()), old, |c| {
            out = c.judge(old, new, depth, label);
        });
        out
    }

    /// Reports the changes of a side question, re-pointed at `at` and prefixed.
    fn adopt(&mut self, found: Vec<Found>, at: &str, prefix: &str) {
        for f in found {
            if f.change.class == Class::Compatible {
                continue;
            }
            let pointer = format!("{at}{}", f.change.pointer);
            let message = format!("{prefix}{}", f.change.message);
            self.out.push(Found {
                change: Change {
                    pointer,
                    message,
                    ..f.change
                },
                probe: f.probe,
            });
        }
    }

    fn pattern_properties(
        &mut self,
        a: &names::Object,
        b: &names::Object,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        if a.patterns == b.patterns {
            return;
        }
        let base = push_ptr(ptr, "patternProperties");
        let a_langs: Vec<(String, Option<Lang>)> = a
            .patterns
            .keys()
            .map(|k| (k.clone(), Lang::new(k)))
            .collect();
        let b_langs: Vec<(String, Option<Lang>)> = b
            .patterns
            .keys()
            .map(|k| (k.clone(), Lang::new(k)))
            .collect();
        // Names matching a new or changed pattern of the new revision.
        for (key, lb) in &b_langs {
            let new_sub = &b.patterns[key];
            if a.patterns.get(key) == Some(new_sub) {
                continue;
            }
            let at = push_ptr(&base, key);
            let what = Label::Other(format!(
                "the properties of {} whose name matches {}",
                label.text(),
                show(&Value::String(key.clone()))
            ));
            let Some(lb) = lb else {
                self.push(
                    Class::CannotTell,
                    ChangeKind::PatternPropertyAdded,
                    at,
                    format!(
                        "{} changed; the pattern is outside the regex subset schemadesk compares",
                        what.text()
                    ),
                );
                continue;
            };
            let mut worst = Class::Compatible;
            let mut reports: Vec<Found> = Vec::new();
            let mut unknown = false;
            // Names the old revision governed with one of its patterns...
            for (qkey, la) in &a_langs {
                let Some(la) = la else {
                    unknown = true;
                    continue;
                };
                match search(&[la, lb], &[], 0, None) {
                    Search::Empty => {}
                    Search::GaveUp => unknown = true,
                    Search::Found(name) => {
                        let old = a.patterns[qkey].clone();
                        let (w, found) = self.judge_at(&name, &old, new_sub, depth, &what);
                        worst = worst.max(w);
                        reports.extend(found);
                    }
                }
            }
            // ...and names it left to additionalProperties.
            let others: Vec<&Lang> = a_langs.iter().filter_map(|(_, l)| l.as_ref()).collect();
            match search(&[lb], &others, 0, None) {
                Search::Empty => {}
                Search::GaveUp => unknown = true,
                Search::Found(name) => {
                    let old = a.other.clone();
                    let (w, found) = self.judge_at(&name, &old, new_sub, depth, &what);
                    worst = worst.max(w);
                    reports.extend(found);
                }
            }
            if unknown && worst == Class::Compatible {
                worst = Class::CannotTell;
            }
            let kind = if a.patterns.contains_key(key) {
                ChangeKind::KeywordChanged
            } else {
                ChangeKind::PatternPropertyAdded
            };
            let probe = reports
                .iter()
                .find(|f| f.change.class == worst)
                .and_then(|f| f.probe.clone());
            let message = match worst {
                Class::Compatible => format!(
                    "{} are now checked against {}: every value allowed under such names before still passes",
                    what.text(),
                    describe_schema(new_sub)
                ),
                Class::CannotTell => format!(
                    "{} are now checked against {}: whether every value allowed before passes cannot be told",
                    what.text(),
                    describe_schema(new_sub)
                ),
                Class::Breaking => format!(
                    "{} are now checked against {}: {}",
                    what.text(),
                    describe_schema(new_sub),
                    reports
                        .iter()
                        .find(|f| f.change.class == worst)
                        .map(|f| f.change.message.clone())
                        .unwrap_or_default()
                ),
            };
            self.push_with(worst, kind, at, message, probe);
        }
        // Names an old pattern governed that no new pattern does: other properties now.
        for (key, la) in &a_langs {
            if b.patterns.contains_key(key) {
                continue;
            }
            let at = push_ptr(&base, key);
            let old = a.patterns[key].clone();
            let blangs: Vec<&Lang> = b_langs.iter().filter_map(|(_, l)| l.as_ref()).collect();
            let outcome = match la {
                Some(la) if blangs.len() == b_langs.len() => search(&[la], &blangs, 0, None),
                _ => Search::GaveUp,
            };
            let (worst, probe, reason) = match outcome {
                Search::Empty => (Class::Compatible, None, String::new()),
                Search::GaveUp => (Class::CannotTell, None, String::new()),
                Search::Found(name) => {
                    let what = Label::Other(format!(
                        "the properties whose name matches {}",
                        show(&Value::String(key.clone()))
                    ));
                    let (w, found) = self.judge_at(&name, &old, &b.other, depth, &what);
                    let hit = found.into_iter().find(|f| f.change.class == w);
                    let reason = hit
                        .as_ref()
                        .map(|f| f.change.message.clone())
                        .unwrap_or_default();
                    (w, hit.and_then(|f| f.probe), reason)
                }
            };
            let message = match worst {
                Class::Compatible => format!(
                    "the patternProperties key {} was removed; the names it covered are accepted as before",
                    show(&Value::String(key.clone()))
                ),
                Class::CannotTell => format!(
                    "the patternProperties key {} was removed: whether the values under those names still pass cannot be told",
                    show(&Value::String(key.clone()))
                ),
                Class::Breaking => format!(
                    "the patternProperties key {} was removed, so those names fall under additionalProperties: {reason}",
                    show(&Value::String(key.clone()))
                ),
            };
            self.push_with(
                worst,
                ChangeKind::PatternPropertyRemoved,
                at,
                message,
                probe,
            );
        }
    }

    fn other_properties(
        &mut self,
        a: &names::Object,
        b: &names::Object,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        if a.other == b.other {
            return;
        }
        let key = b
            .other_key
            .or(a.other_key)
            .unwrap_or("additionalProperties");
        let at = push_ptr(ptr, key);
        if is_open(&b.other) {
            self.push(
                Class::Compatible,
                ChangeKind::OpenedToOtherProperties,
                at,
                format!("{} now allows more properties than before", label.text()),
            );
            return;
        }
        let Some(name) = b.free_name(a) else {
            self.push(
                Class::CannotTell,
                ChangeKind::AdditionalPropertiesChanged,
                at,
                format!(
                    "{key} of {} changed; which names it applies to cannot be told",
                    label.text()
                ),
            );
            return;
        };
        if b.other == Value::Bool(false) {
            let mut probe = self.probe_at(&name, &a.other);
            if let Some(p) = probe.as_mut() {
                p.schemas = vec![a.other.clone()];
            }
            self.push_with(
                Class::Breaking,
                ChangeKind::ClosedToOtherProperties,
                at,
                format!(
                    "{} no longer allows properties other than the listed ones: users with any other property fail",
                    label.text()
                ),
                probe,
            );
            return;
        }
        let other = Label::Other(format!("the other properties of {}", label.text()));
        let (old, new) = (a.other.clone(), b.other.clone());
        if old == Value::Bool(false) {
            self.push(
                Class::Compatible,
                ChangeKind::OpenedToOtherProperties,
                at,
                format!("{} now allows more properties than before", label.text()),
            );
            return;
        }
        self.descend(Step::Key(name), &old, |c| {
            c.node(&old, &new, &at, &other, depth + 1)
        });
    }

    fn dependent_required(
        &mut self,
        a: &names::Object,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
    ) {
        let (ov, nv) = (o.get("dependentRequired"), n.get("dependentRequired"));
        if ov == nv {
            return;
        }
        let at = push_ptr(ptr, "dependentRequired");
        let empty = Map::new();
        let om = ov.and_then(Value::as_object).unwrap_or(&empty);
        let Some(nm) = nv.map_or(Some(&empty), Value::as_object) else {
            self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                at,
                "dependentRequired is not an object".into(),
            );
            return;
        };
        let mut any = false;
        for (k, deps) in nm {
            let had = string_set(om.get(k));
            let missing: Vec<String> = string_set(Some(deps))
                .into_iter()
                .filter(|d| !had.contains(d) && !a.required.contains(d))
                .collect();
            let never = matches!(a.governs(k), Governs::Other(Value::Bool(false)));
            if missing.is_empty() || never {
                continue;
            }
            any = true;
            // The object as the old revision has it, with "k" and what "k" needed before.
            let first = |schemas: &[Value]| {
                super::instances::candidates(self.a_root, schemas, 1)
                    .into_iter()
                    .next()
            };
            let mut user = first(&self.here)
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default();
            for name in std::iter::once(k).chain(had.iter()) {
                if !user.contains_key(name) {
                    let v = first(&[a.governs(name).schema()]).unwrap_or(Value::Null);
                    user.insert(name.to_string(), v);
                }
            }
            let probe = self.plain_probe().map(|mut p| {
                p.candidates = vec![Value::Object(user)];
                p
            });
            self.push_with(
                Class::Breaking,
                ChangeKind::DependencyAdded,
                at.clone(),
                format!(
                    "on {}, a user with \"{k}\" must now also have {}: users who have it without them fail",
                    label.text(),
                    missing
                        .iter()
                        .map(|m| format!("\"{m}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                probe,
            );
        }
        if !any {
            self.push(
                Class::Compatible,
                ChangeKind::NoLongerRequired,
                at,
                format!(
                    "the dependentRequired of {} asks for nothing the old revision did not",
                    label.text()
                ),
            );
        }
    }

    fn property_names(
        &mut self,
        a: &names::Object,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        let (ov, nv) = (o.get("propertyNames"), n.get("propertyNames"));
        if ov == nv {
            return;
        }
        let at = push_ptr(ptr, "propertyNames");
        let Some(nv) = nv else {
            self.push(
                Class::Compatible,
                ChangeKind::PropertyNamesChanged,
                at,
                format!(
                    "the names of {}'s properties are no longer checked",
                    label.text()
                ),
            );
            return;
        };
        let mut old = ov.cloned().unwrap_or(json!({}));
        if let Value::Object(m) = &mut old {
            m.entry("type").or_insert(json!("string"));
        }
        let (worst, found) = {
            let mut side = self.side();
            side.node(&old, nv, "", &Label::Root, depth + 1);
            let w = side
                .out
                .iter()
                .map(|f| f.change.class)
                .max()
                .unwrap_or(Class::Compatible);
            (w, side.out)
        };
        // Names users may hold: the declared ones when nothing else is allowed.
        let finite = a.patterns.is_empty() && a.other == Value::Bool(false);
        let names_to_try: Vec<String> = if finite {
            a.props.keys().cloned().collect()
        } else {
            let mut v: Vec<String> = found
                .iter()
                .filter_map(|f| f.probe.as_ref())
                .flat_map(|p| p.candidates.iter())
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect();
            v.extend(["x", "0", "", "a b", "X"].map(String::from));
            v
        };
        // A closed object: its names are the declared ones, each checked by the validator.
        let declared_pass = finite
            .then(|| crate::schema::validate::compile(nv).ok())
            .flatten()
            .map(|v| names_to_try.iter().all(|k| v.is_valid(&json!(k))));
        let class = match declared_pass {
            Some(true) => Class::Compatible,
            Some(false) => Class::Breaking,
            None if worst == Class::Compatible => Class::Compatible,
            None => Class::CannotTell,
        };
        // The object as the old revision would have it, with one more name.
        let start = super::instances::candidates(self.a_root, &self.here, 1)
            .into_iter()
            .next()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        let probe = (class != Class::Compatible && !self.lost).then(|| Probe {
            path: self.path.clone(),
            candidates: names_to_try
                .iter()
                .map(|k| {
                    let mut m = start.clone();
                    let v = super::instances::candidates(self.a_root, &[a.governs(k).schema()], 1)
                        .into_iter()
                        .next()
                        .unwrap_or(Value::Null);
                    m.insert(k.to_string(), v);
                    Value::Object(m)
                })
                .collect(),
            schemas: Vec::new(),
            alts: Vec::new(),
            omit: false,
            keep_class: false,
        });
        let message = if class == Class::Compatible {
            format!(
                "the names of {}'s properties are checked against {}, which every name allowed before passes",
                label.text(),
                show(nv)
            )
        } else {
            format!(
                "the names of {}'s properties must now pass {}: users with a property whose name does not fail",
                label.text(),
                show(nv)
            )
        };
        self.push_with(class, ChangeKind::PropertyNamesChanged, at, message, probe);
    }

    fn items(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        let any = Value::Bool(true);
        let (ov, nv) = (o.get("items"), n.get("items"));
        if ov != nv {
            let at = push_ptr(ptr, "items");
            match (ov.unwrap_or(&any), nv.unwrap_or(&any)) {
                (
                    ov @ (Value::Object(_) | Value::Bool(_)),
                    nv @ (Value::Object(_) | Value::Bool(_)),
                ) if o.get("prefixItems") == n.get("prefixItems") => {
                    let what = label.items();
                    let (ov, nv) = (ov.clone(), nv.clone());
                    let step = if o.contains_key("prefixItems") {
                        None
                    } else {
                        Some(Step::Item)
                    };
                    match step {
                        Some(s) => {
                            self.descend(s, &ov, |c| c.node(&ov, &nv, &at, &what, depth + 1))
                        }
                        None => {
                            let lost = std::mem::replace(&mut self.lost, true);
                            self.node(&ov, &nv, &at, &what, depth + 1);
                            self.lost = lost;
                        }
                    }
                }
                _ => self.push(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!(
                        "the items of {} changed in a way that is not understood",
                        label.text()
                    ),
                ),
            }
        }
        let (ov, nv) = (o.get("prefixItems"), n.get("prefixItems"));
        if ov != nv {
            let at = push_ptr(ptr, "prefixItems");
            match (ov, nv) {
                (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
                    let lost = std::mem::replace(&mut self.lost, true);
                    for (i, (p, q)) in x.iter().zip(y).enumerate() {
                        let what = Label::Other(format!("item {i} of {}", label.text()));
                        self.node(p, q, &push_ptr(&at, &i.to_string()), &what, depth + 1);
                    }
                    self.lost = lost;
                }
                _ => self.push(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!(
                        "the prefixItems of {} changed length: which items the rest applies to moved",
                        label.text()
                    ),
                ),
            }
        }
        let (ov, nv) = (o.get("contains"), n.get("contains"));
        if ov != nv {
            let at = push_ptr(ptr, "contains");
            match (ov, nv) {
                (_, None) => self.push(
                    Class::Compatible,
                    ChangeKind::LimitRemoved,
                    at,
                    format!("{} no longer has to contain a matching item", label.text()),
                ),
                (None, Some(_)) if !facts.may_hold("array") => self.push(
                    Class::Compatible,
                    ChangeKind::AlreadyImplied,
                    at,
                    format!(
                        "{} gained contains, but it never held an array",
                        label.text()
                    ),
                ),
                (None, Some(c)) => self.push_probe(
                    Class::Breaking,
                    ChangeKind::ContainsAdded,
                    at,
                    format!(
                        "{} must now contain an item matching {}: users whose list has none fail",
                        label.text(),
                        show(c)
                    ),
                    vec![json!([])],
                ),
                (Some(p), Some(q)) => {
                    let what = Label::Other(format!("the item {} must contain", label.text()));
                    let (p, q) = (p.clone(), q.clone());
                    self.descend(Step::Item, &p, |c| c.node(&p, &q, &at, &what, depth + 1));
                }
            }
        }
    }

    fn number_limits(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        let (lo, hi) = (lower_bound(o), upper_bound(o));
        let ints = facts.integers_only();
        // Inclusive integer bounds when only integers are allowed.
        let lo_i = lo.map(|b| {
            if b.excl {
                b.v.floor() + 1.0
            } else {
                b.v.ceil()
            }
        });
        let hi_i = hi.map(|b| {
            if b.excl {
                b.v.ceil() - 1.0
            } else {
                b.v.floor()
            }
        });
        for key in NUMBER_LIMITS.iter().copied() {
            let (ov, nv) = (o.get(key), n.get(key));
            if ov == nv {
                continue;
            }
            let at = push_ptr(ptr, key);
            let what = label.text();
            let Some(nv) = nv else {
                let a = ov.map(show).unwrap_or_default();
                self.push(
                    Class::Compatible,
                    ChangeKind::LimitRemoved,
                    at,
                    format!("{what} lost {key} (was {a})"),
                );
                continue;
            };
            let Some(m) = nv.as_f64() else {
                self.push(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!("{key} of {what} changed to a value that is not a number"),
                );
                continue;
            };
            let lower = key.contains("inimum");
            let excl = key.starts_with("exclusive");
            let holds = |x: f64| match (lower, excl) {
                (true, false) => x >= m,
                (true, true) => x > m,
                (false, false) => x <= m,
                (false, true) => x < m,
            };
            let implied = if !facts.may_hold("number") {
                true
            } else if let Some(vals) = &facts.values {
                vals.iter().filter_map(Value::as_f64).all(holds)
            } else if ints {
                match if lower { lo_i } else { hi_i } {
                    Some(x) => holds(x),
                    None => false,
                }
            } else {
                match if lower { lo } else { hi } {
                    Some(b) => holds(b.v) || (b.v == m && b.excl),
                    None => false,
                }
            };
            let old_num = ov.and_then(Value::as_f64);
            if implied {
                let widened = old_num.is_some_and(|a| if lower { m <= a } else { m >= a });
                if widened {
                    self.push(
                        Class::Compatible,
                        ChangeKind::LimitWidened,
                        at,
                        format!(
                            "{key} of {what} widened from {} to {m}",
                            show(&ov.cloned().unwrap_or_default())
                        ),
                    );
                } else {
                    self.push(
                        Class::Compatible,
                        ChangeKind::AlreadyImplied,
                        at,
                        format!("{what} gained {key} {m}, which every value allowed before already meets"),
                    );
                }
                continue;
            }
            // Values just outside the new limit.
            let mut candidates = Vec::new();
            let step = if ints { 1.0 } else { 0.5 };
            let edge = match (lower, excl) {
                (true, false) => {
                    if ints {
                        m.ceil() - 1.0
                    } else {
                        m - step
                    }
                }
                (true, true) => {
                    if ints {
                        m.floor()
                    } else {
                        m
                    }
                }
                (false, false) => {
                    if ints {
                        m.floor() + 1.0
                    } else {
                        m + step
                    }
                }
                (false, true) => {
                    if ints {
                        m.ceil()
                    } else {
                        m
                    }
                }
            };
            candidates.push(number(edge));
            candidates.push(number(if lower { edge - 1.0 } else { edge + 1.0 }));
            match old_num {
                Some(a) => self.push_probe(
                    Class::Breaking,
                    ChangeKind::LimitTightened,
                    at,
                    {
                        let (lo, hi) = if lower { (a, m) } else { (m, a) };
                        format!(
                            "{key} of {what} tightened from {a} to {m}: users whose value lies between {lo} and {hi} fail"
                        )
                    },
                    candidates,
                ),
                None => self.push_probe(
                    Class::Breaking,
                    ChangeKind::LimitAdded,
                    at,
                    format!("{what} gained {key} {m}: users whose value is outside it fail"),
                    candidates,
                ),
            }
        }
    }

    fn size_limits(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        for &(key, lower, applies) in SIZE_LIMITS {
            let (ov, nv) = (o.get(key), n.get(key));
            if ov == nv {
                continue;
            }
            let at = push_ptr(ptr, key);
            let what = label.text();
            let (a, b) = (ov.and_then(Value::as_f64), nv.and_then(Value::as_f64));
            match (ov, nv, a, b) {
                (Some(_), None, Some(a), _) => self.push(
                    Class::Compatible,
                    ChangeKind::LimitRemoved,
                    at,
                    format!("{what} lost {key} (was {a})"),
                ),
                (_, Some(_), _, Some(b)) => {
                    let implied = !facts.may_hold(applies)
                        || a.is_some_and(|a| if lower { a >= b } else { a <= b })
                        || (applies == "string"
                            && facts.values.as_ref().is_some_and(|vals| {
                                vals.iter().all(|v| {
                                    v.as_str().is_none_or(|s| {
                                        let len = s.chars().count() as f64;
                                        if lower { len >= b } else { len <= b }
                                    })
                                })
                            }));
                    if implied {
                        let (kind, text) = match a {
                            Some(a) if (lower && b <= a) || (!lower && b >= a) => (
                                ChangeKind::LimitWidened,
                                format!("{key} of {what} widened from {a} to {b}"),
                            ),
                            _ => (
                                ChangeKind::AlreadyImplied,
                                format!(
                                    "{what} gained {key} {b}, which every value allowed before already meets"
                                ),
                            ),
                        };
                        self.push(Class::Compatible, kind, at, text);
                        continue;
                    }
                    let size = if lower { (b - 1.0).max(0.0) } else { b + 1.0 };
                    let candidates = sized(applies, size as u64, self.here.first());
                    match a {
                        Some(a) => self.push_probe(
                            Class::Breaking,
                            ChangeKind::LimitTightened,
                            at,
                            {
                                let (lo, hi) = if lower { (a, b) } else { (b, a) };
                                format!(
                                    "{key} of {what} tightened from {a} to {b}: users whose value lies between {lo} and {hi} fail"
                                )
                            },
                            candidates,
                        ),
                        None => self.push_probe(
                            Class::Breaking,
                            ChangeKind::LimitAdded,
                            at,
                            format!("{what} gained {key} {b}: users whose value is outside it fail"),
                            candidates,
                        ),
                    }
                }
                _ => self.push(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!("{key} of {what} changed to a value that is not a number"),
                ),
            }
        }
    }

    /// `pattern`: decided by comparing the two regular languages when both patterns are
    /// in the shared subset.
    fn pattern(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        let (ov, nv) = (o.get("pattern"), n.get("pattern"));
        if ov == nv || nv.is_none() || !facts.may_hold("string") {
            self.value_rule(&PATTERN, o, n, facts, ptr, label);
            return;
        }
        let at = push_ptr(ptr, "pattern");
        let field = label.text();
        let (old_p, new_p) = (ov.and_then(Value::as_str), nv.and_then(Value::as_str));
        let lb = new_p.and_then(Lang::new);
        let la = old_p.map(Lang::new);
        let min = o.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        let max = o.get("maxLength").and_then(Value::as_u64);
        let outcome = match (&la, &lb) {
            (Some(None), _) | (_, None) => Search::GaveUp,
            (Some(Some(la)), Some(lb)) => search(&[la], &[lb], min, max),
            (None, Some(lb)) => search(&[], &[lb], min, max),
        };
        let values_pass = facts.values.as_ref().map(|vals| {
            vals.iter().all(|v| {
                v.as_str()
                    .is_none_or(|s| lb.as_ref().and_then(|l| l.matches(s)) == Some(true))
            })
        });
        let shown = |v: Option<&Value>| v.map(show).unwrap_or_default();
        match (outcome, values_pass) {
            (_, Some(true)) | (Search::Empty, _) => {
                let text = if ov.is_some() {
                    format!(
                        "the pattern of {field} changed from {} to {}: every value that matched the old one matches the new one",
                        shown(ov),
                        shown(nv)
                    )
                } else {
                    format!(
                        "{field} must now match {}, which every value allowed before already does",
                        shown(nv)
                    )
                };
                let kind = if ov.is_some() {
                    ChangeKind::PatternChanged
                } else {
                    ChangeKind::AlreadyImplied
                };
                self.push(Class::Compatible, kind, at, text);
            }
            (Search::Found(s), _) => {
                let rule = if ov.is_some() {
                    PATTERN.changed
                } else {
                    PATTERN.added
                };
                let (old, new) = (shown(ov), shown(nv));
                let text = fill(rule.2, |slot| match slot {
                    "field" => Some(field.as_str()),
                    "old" => Some(old.as_str()),
                    "new" => Some(new.as_str()),
                    _ => None,
                });
                self.push_probe(Class::Breaking, rule.1, at, text, vec![json!(s)]);
            }
            (Search::GaveUp, _) => {
                let kind = if ov.is_some() {
                    ChangeKind::PatternChanged
                } else {
                    ChangeKind::PatternAdded
                };
                let text = format!(
                    "the pattern of {field} changed from {} to {}: one of them is outside the regex subset that ECMA-262 and Rust read alike (or too large), so it cannot be compared (check sample users)",
                    if ov.is_some() {
                        shown(ov)
                    } else {
                        "none".into()
                    },
                    shown(nv)
                );
                self.push_probe(
                    Class::CannotTell,
                    kind,
                    at,
                    text,
                    vec![json!(""), json!("0"), json!("a"), json!("A"), json!(" ")],
                );
            }
        }
    }

    /// A keyword added, removed or changed, read as its [`ValueRule`] says; vacuous when
    /// the old revision never held a value of the type it constrains.
    fn value_rule(
        &mut self,
        rule: &ValueRule,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        let (ov, nv) = (o.get(rule.keyword), n.get(rule.keyword));
        let ((class, kind, template), old, new) = match (ov, nv) {
            (a, b) if a == b => return,
            (None, Some(b)) => (rule.added, None, Some(b)),
            (Some(a), None) => (rule.removed, Some(a), None),
            (Some(a), Some(b)) => (rule.changed, Some(a), Some(b)),
            (None, None) => return,
        };
        let field = label.text();
        if new.is_some() && !facts.may_hold(rule.applies_to) {
            self.push(
                Class::Compatible,
                ChangeKind::AlreadyImplied,
                push_ptr(ptr, rule.keyword),
                format!(
                    "the {} of {field} changed, but it applies only to {}s and {field} never held one",
                    rule.keyword, rule.applies_to
                ),
            );
            return;
        }
        let (old, new) = (old.map(show), new.map(show));
        let message = fill(template, |slot| match slot {
            "field" => Some(field.as_str()),
            "old" => old.as_deref(),
            "new" => new.as_deref(),
            _ => None,
        });
        self.push_probe(
            class,
            kind,
            push_ptr(ptr, rule.keyword),
            message,
            vec![json!(""), json!("x"), json!("0"), json!("2020-01-01")],
        );
    }

    /// `enum` and `const`, as the list of values each revision allows (numbers compared
    /// by value, as the validator does).
    fn values(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        for key in ["enum", "const"] {
            let (ov, nv) = (o.get(key), n.get(key));
            if ov == nv {
                continue;
            }
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
                continue;
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
                        continue;
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

    fn unique_items(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        let on = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
        let at = push_ptr(ptr, "uniqueItems");
        match (on(o), on(n)) {
            (false, true) => {
                let at_most_one = o
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| m <= 1);
                if !facts.may_hold("array") || at_most_one {
                    self.push(
                        Class::Compatible,
                        ChangeKind::AlreadyImplied,
                        at,
                        format!(
                            "the items of {} must now be unique, which they always were",
                            label.text()
                        ),
                    );
                    return;
                }
                let candidates = sized("array", 2, self.here.first());
                self.push_probe(
                    Class::Breaking,
                    ChangeKind::UniqueItemsAdded,
                    at,
                    format!(
                        "the items of {} must now be unique: users with a repeated item fail",
                        label.text()
                    ),
                    candidates,
                );
            }
            (true, false) => self.push(
                Class::Compatible,
                ChangeKind::UniqueItemsRemoved,
                at,
                format!("the items of {} no longer have to be unique", label.text()),
            ),
            _ => {}
        }
    }

    fn multiple_of(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        facts: &Facts,
        ptr: &str,
        label: &Label,
    ) {
        let (ov, nv) = (o.get("multipleOf"), n.get("multipleOf"));
        if ov == nv {
            return;
        }
        let at = push_ptr(ptr, "multipleOf");
        let divides = |a: f64, b: f64| b != 0.0 && (a / b).fract() == 0.0;
        match (ov.and_then(Value::as_f64), nv.and_then(Value::as_f64)) {
            (_, None) if nv.is_none() => self.push(
                Class::Compatible,
                ChangeKind::LimitRemoved,
                at,
                format!(
                    "{} no longer has to be a multiple of anything",
                    label.text()
                ),
            ),
            (a, Some(b))
                if !facts.may_hold("number")
                    || (a.is_none() && facts.integers_only() && divides(1.0, b)) =>
            {
                self.push(
                    Class::Compatible,
                    ChangeKind::AlreadyImplied,
                    at,
                    format!(
                        "{} must now be a multiple of {b}, which it always was",
                        label.text()
                    ),
                )
            }
            (None, Some(b)) if ov.is_none() => self.push_probe(
                Class::Breaking,
                ChangeKind::LimitAdded,
                at,
                format!(
                    "{} must now be a multiple of {b}: users with other values fail",
                    label.text()
                ),
                vec![number(b / 2.0), number(b + 1.0), json!(1), json!(0.5)],
            ),
            (Some(a), Some(b)) if divides(a, b) => self.push(
                Class::Compatible,
                ChangeKind::LimitWidened,
                at,
                format!(
                    "{} must be a multiple of {b} instead of {a}: every old value still is",
                    label.text()
                ),
            ),
            (Some(a), Some(b)) => self.push_probe(
                Class::Breaking,
                ChangeKind::LimitTightened,
                at,
                format!(
                    "{} must be a multiple of {b} instead of {a}: users whose value is not fail",
                    label.text()
                ),
                vec![number(a), number(a * 3.0)],
            ),
            _ => self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                at,
                format!("multipleOf of {} is not a number", label.text()),
            ),
        }
    }

    /// `allOf` branches that could not be merged, `anyOf`, `oneOf`, `not` and
    /// `if`/`then`/`else`: decided where a sufficient condition holds, otherwise "cannot
    /// tell" (which becomes breaking if an example user is found).
    fn combinators(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        let whole_a = Value::Object(o.clone());
        // allOf: every new branch must hold wherever the old schema did.
        if o.get("allOf") != n.get("allOf") {
            let at = push_ptr(ptr, "allOf");
            let old_branches = array(o.get("allOf"));
            let mut worst = Class::Compatible;
            let mut probe = None;
            for b in array(n.get("allOf")) {
                if old_branches.contains(&b) {
                    continue;
                }
                let (w, found) = self.judge(&whole_a, &b, depth, label);
                if w > worst {
                    worst = w;
                    probe = found
                        .into_iter()
                        .find(|f| f.change.class == w)
                        .and_then(|f| f.probe);
                }
            }
            let text = match worst {
                Class::Compatible => format!(
                    "the allOf of {} changed; every value allowed before still meets every branch",
                    label.text()
                ),
                _ => format!(
                    "the allOf of {} changed: a new branch may refuse values allowed before",
                    label.text()
                ),
            };
            // A branch that may refuse old values is "cannot tell" until a user shows it.
            let class = worst.min(Class::CannotTell);
            self.push_with(
                class,
                ChangeKind::CombinatorChanged,
                at,
                text,
                probe.or_else(|| self.plain_probe()),
            );
        }
        if o.get("anyOf") != n.get("anyOf") {
            let at = push_ptr(ptr, "anyOf");
            let new_branches = array(n.get("anyOf"));
            let old_branches = array(o.get("anyOf"));
            let covered = |c: &Self, a: &Value| {
                new_branches
                    .iter()
                    .any(|b| a == b || c.judge(a, b, depth, label).0 == Class::Compatible)
            };
            let ok = n.get("anyOf").is_none()
                || (!old_branches.is_empty() && old_branches.iter().all(|a| covered(self, a)))
                || covered(self, &whole_a);
            self.combinator_outcome(
                ok,
                "anyOf",
                at,
                label,
                "every value allowed before matches one of its branches",
            );
        }
        if o.get("oneOf") != n.get("oneOf") {
            let at = push_ptr(ptr, "oneOf");
            let new_branches = array(n.get("oneOf"));
            let old_branches = array(o.get("oneOf"));
            let ok = if n.get("oneOf").is_none() {
                true
            } else if !old_branches.is_empty()
                && old_branches.iter().all(|a| new_branches.contains(a))
            {
                // Branches only added: each must be disjoint from every old branch.
                new_branches
                    .iter()
                    .filter(|b| !old_branches.contains(b))
                    .all(|b| old_branches.iter().all(|a| self.disjoint(a, b)))
            } else {
                // The old schema lies in exactly one new branch.
                let inside: Vec<bool> = new_branches
                    .iter()
                    .map(|b| self.judge(&whole_a, b, depth, label).0 == Class::Compatible)
                    .collect();
                inside.iter().filter(|x| **x).count() == 1
                    && new_branches
                        .iter()
                        .zip(&inside)
                        .all(|(b, i)| *i || self.disjoint(&whole_a, b))
            };
            let mut extra = Vec::new();
            for b in &new_branches {
                for a in &old_branches {
                    extra.push(json!({"allOf": [a, b]}));
                }
            }
            if ok {
                self.combinator_outcome(
                    true,
                    "oneOf",
                    at,
                    label,
                    "every value allowed before matches exactly one of its branches",
                );
            } else {
                let probe = self.plain_probe().map(|mut p| {
                    p.alts = extra;
                    p
                });
                self.push_with(
                    Class::CannotTell,
                    ChangeKind::CombinatorChanged,
                    at,
                    format!(
                        "the oneOf of {} changed: a value may now match no branch or more than one",
                        label.text()
                    ),
                    probe,
                );
            }
        }
        if o.get("not") != n.get("not") {
            let at = push_ptr(ptr, "not");
            let ok = match (o.get("not"), n.get("not")) {
                (_, None) => true,
                (Some(na), Some(nb)) => self.judge(nb, na, depth, label).0 == Class::Compatible,
                (None, Some(nb)) => self.disjoint(&whole_a, nb),
            };
            let nb = n.get("not").cloned();
            if ok {
                self.combinator_outcome(
                    true,
                    "not",
                    at,
                    label,
                    "nothing allowed before matches what it now excludes",
                );
            } else {
                let probe = self.plain_probe().map(|mut p| {
                    if let Some(nb) = nb {
                        p.schemas.push(nb);
                    }
                    p
                });
                self.push_with(
                    Class::CannotTell,
                    ChangeKind::CombinatorChanged,
                    at,
                    format!(
                        "the not of {} changed: it may now exclude values allowed before",
                        label.text()
                    ),
                    probe,
                );
            }
        }
        self.conditional(o, n, ptr, label, depth);
    }

    fn combinator_outcome(&mut self, ok: bool, key: &str, at: String, label: &Label, why: &str) {
        if ok {
            self.push(
                Class::Compatible,
                ChangeKind::CombinatorChanged,
                at,
                format!("the {key} of {} changed; {why}", label.text()),
            );
        } else {
            let probe = self.plain_probe();
            self.push_with(
                Class::CannotTell,
                ChangeKind::CombinatorChanged,
                at,
                format!(
                    "the {key} of {} changed: whether every value allowed before still passes cannot be shown (check sample users)",
                    label.text()
                ),
                probe,
            );
        }
    }

    fn plain_probe(&self) -> Option<Probe> {
        (!self.lost).then(|| Probe {
            path: self.path.clone(),
            candidates: Vec::new(),
            schemas: self.here.clone(),
            alts: Vec::new(),
            omit: false,
            keep_class: false,
        })
    }

    /// `if`/`then`/`else`: with the same `if`, `then` and `else` compare as schemas that
    /// hold only where the condition does (or does not).
    fn conditional(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        let keys = ["if", "then", "else"];
        if keys.iter().all(|k| o.get(*k) == n.get(*k)) {
            return;
        }
        let any = Value::Bool(true);
        let inert = |m: &Map<String, Value>| !m.contains_key("then") && !m.contains_key("else");
        if o.get("if") == n.get("if") {
            let cond = o.get("if").cloned().unwrap_or(json!(true));
            for (key, extra) in [
                ("then", cond.clone()),
                ("else", json!({"not": cond.clone()})),
            ] {
                let (ov, nv) = (o.get(key), n.get(key));
                if ov == nv {
                    continue;
                }
                let (ov, nv) = (ov.unwrap_or(&any).clone(), nv.unwrap_or(&any).clone());
                let what = Label::Other(format!(
                    "{} where its if {}",
                    label.text(),
                    if key == "then" {
                        "holds"
                    } else {
                        "does not hold"
                    }
                ));
                let at = push_ptr(ptr, key);
                self.with_here(&[extra, ov.clone()], |c| {
                    c.node(&ov, &nv, &at, &what, depth + 1)
                });
            }
            return;
        }
        let at = push_ptr(ptr, "if");
        if inert(o) && inert(n) {
            self.push(
                Class::Compatible,
                ChangeKind::CombinatorChanged,
                at,
                format!(
                    "the if of {} changed; without then or else it checks nothing",
                    label.text()
                ),
            );
            return;
        }
        let probe = self.plain_probe();
        self.push_with(
            Class::CannotTell,
            ChangeKind::CombinatorChanged,
            at,
            format!(
                "the if of {} changed: which values its then and else apply to moved (check sample users)",
                label.text()
            ),
            probe,
        );
    }

    /// Whether no value can match both schemas: told by types, by listed values, or by a
    /// required property whose `const` differs.
    fn disjoint(&self, a: &Value, b: &Value) -> bool {
        let (Norm::Map(x), Norm::Map(y)) = (normalize(a, self.a_root), normalize(b, self.b_root))
        else {
            return true;
        };
        let (fx, fy) = (Facts::of(&x), Facts::of(&y));
        let types_apart = fx.types.iter().all(|t| !fy.types.contains(t));
        if types_apart {
            return true;
        }
        if let (Some(vx), Some(vy)) = (&fx.values, &fy.values)
            && vx.iter().all(|v| !vy.iter().any(|w| json_eq(v, w)))
        {
            return true;
        }
        let only_objects =
            fx.types.iter().all(|t| *t == "object") || fy.types.iter().all(|t| *t == "object");
        if only_objects {
            let (ox, oy) = (names::Object::of_old(&x), names::Object::of_old(&y));
            for (p, sx) in &ox.props {
                let Some(sy) = oy.props.get(p) else { continue };
                if !(ox.required.contains(p) || oy.required.contains(p)) {
                    continue;
                }
                let (cx, cy) = (sx.get("const"), sy.get("const"));
                if let (Some(cx), Some(cy)) = (cx, cy)
                    && ox.required.contains(p)
                    && oy.required.contains(p)
                    && !json_eq(cx, cy)
                {
                    return true;
                }
            }
        }
        false
    }

    fn permission(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
    ) {
        let (ov, nv) = (o.get(PERMISSION_KEYWORD), n.get(PERMISSION_KEYWORD));
        if ov == nv {
            return;
        }
        let at = push_ptr(ptr, PERMISSION_KEYWORD);
        let old = Permission::of(&Value::Object(o.clone()));
        let new = Permission::of(&Value::Object(n.clone()));
        let mut taken = Vec::new();
        let mut given = Vec::new();
        for (who, a, b) in [
            ("the owner (administrators)", old.owner, new.owner),
            ("the user", old.user, new.user),
        ] {
            diff_access(who, a, b, &mut taken, &mut given);
        }
        if !taken.is_empty() {
            // Not about which data is valid: no example user.
            self.push_with(
                Class::Breaking,
                ChangeKind::PermissionTaken,
                at.clone(),
                format!("on {}, {}", label.text(), taken.join("; ")),
                None,
            );
        }
        if !given.is_empty() {
            self.push(
                Class::Compatible,
                ChangeKind::PermissionGiven,
                at.clone(),
                format!("on {}, {}", label.text(), given.join("; ")),
            );
        }
        if taken.is_empty() && given.is_empty() {
            self.push(
                Class::Compatible,
                ChangeKind::TextChanged,
                at,
                format!(
                    "the permission of {} was rewritten without changing who may read or write it",
                    label.text()
                ),
            );
        }
    }

    /// Definitions compared where they are written (their users are compared through
    /// the `$ref`s that name them, by what they resolve to).
    fn definitions(&mut self, old: &Value, new: &Value, ptr: &str, depth: usize) {
        for key in ["$defs", "definitions"] {
            let (ov, nv) = (old.get(key), new.get(key));
            if ov == nv {
                continue;
            }
            let empty = Map::new();
            let om = ov.and_then(Value::as_object).unwrap_or(&empty);
            let nm = nv.and_then(Value::as_object).unwrap_or(&empty);
            let base = push_ptr(ptr, key);
            let lost = std::mem::replace(&mut self.lost, true);
            let here = std::mem::take(&mut self.here);
            for (name, nsub) in nm {
                let at = push_ptr(&base, name);
                let label = Label::Other(format!("the definition \"{name}\""));
                match om.get(name) {
                    Some(osub) => self.node(osub, nsub, &at, &label, depth + 1),
                    None => self.push(
                        Class::Compatible,
                        ChangeKind::AnnotationChanged,
                        at,
                        "a new definition was added; it matters only where a $ref names it, and such a $ref change is reported on its own".into(),
                    ),
                }
            }
            for name in om.keys().filter(|k| !nm.contains_key(*k)) {
                self.push(
                    Class::CannotTell,
                    ChangeKind::RefChanged,
                    push_ptr(&base, name),
                    format!(
                        "the definition \"{name}\" was removed: a $ref that still names it makes the schema unusable"
                    ),
                );
            }
            self.lost = lost;
            self.here = here;
        }
    }

    fn dialect(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, ptr: &str) {
        let (ov, nv) = (o.get("$schema"), n.get("$schema"));
        if ov == nv {
            return;
        }
        let known = |v: Option<&Value>| {
            v.is_none_or(|v| v.as_str().is_some_and(|s| SAME_DIALECT.contains(&s)))
        };
        let at = push_ptr(ptr, "$schema");
        if known(ov) && known(nv) {
            self.push(
                Class::Compatible,
                ChangeKind::AnnotationChanged,
                at,
                "the $schema changed between names of the same dialect (JSON Schema 2020-12 with the ZITADEL permission keyword)".into(),
            );
        } else {
            self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                at,
                "the $schema changed: another dialect may validate differently".into(),
            );
        }
    }

    /// Everything not handled above: text keywords, unresolved refs and the rest.
    fn others(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, ptr: &str, label: &Label) {
        let keys: Vec<&String> = n
            .keys()
            .chain(o.keys().filter(|k| !n.contains_key(*k)))
            .collect();
        for key in keys {
            let k = key.as_str();
            if HANDLED.contains(&k)
                || NUMBER_LIMITS.contains(&k)
                || SIZE_LIMITS.iter().any(|(s, _, _)| *s == k)
                || o.get(k) == n.get(k)
            {
                continue;
            }
            let at = push_ptr(ptr, k);
            let what = label.text();
            if TEXT_KEYWORDS.contains(&k) {
                self.push(
                    Class::Compatible,
                    ChangeKind::TextChanged,
                    at,
                    format!("the {k} of {what} changed; it does not affect which values are valid"),
                );
            } else if REFS.contains(&k) {
                self.push_probe(
                    Class::CannotTell,
                    ChangeKind::RefChanged,
                    at,
                    format!(
                        "the {k} of {what} changed and does not resolve to a local definition: what it points to cannot be compared here (check sample users)"
                    ),
                    Vec::new(),
                );
            } else if VOCABULARY.contains(&k) {
                self.push_probe(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!(
                        "the keyword {k} of {what} changed: its effect is not judged automatically"
                    ),
                    Vec::new(),
                );
            } else {
                self.push(
                    Class::Compatible,
                    ChangeKind::AnnotationChanged,
                    at,
                    format!(
                        "the keyword {k} of {what} changed; it is not a JSON Schema keyword, so validation ignores it"
                    ),
                );
            }
        }
    }
}

fn array(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// Whether a schema accepts every value (absent, `true`, or only annotations).
pub(super) fn is_open(v: &Value) -> bool {
    is_trivial(v)
}

fn is_trivial(v: &Value) -> bool {
    match v {
        Value::Bool(true) => true,
        Value::Object(m) => m.keys().all(|k| {
            let k = k.as_str();
            TEXT_KEYWORDS.contains(&k) || !VOCABULARY.contains(&k)
        }),
        _ => false,
    }
}

/// A short description of a schema for sentences.
fn describe_schema(v: &Value) -> String {
    match v.get("type") {
        Some(Value::String(t)) if v.as_object().is_some_and(|m| m.len() == 1) => {
            format!("type {t}")
        }
        _ => show(v),
    }
}

/// Values a schema is likely to refuse: one per type it does not allow, and the edges
/// of its limits.
fn violations(schema: &Value) -> Vec<Value> {
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
fn sized(applies: &str, size: u64, old: Option<&Value>) -> Vec<Value> {
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

fn diff_access(who: &str, a: Access, b: Access, taken: &mut Vec<String>, given: &mut Vec<String>) {
    if a.can_read() && !b.can_read() {
        taken.push(format!("{who} can no longer read it"));
    }
    if a.can_write() && !b.can_write() {
        taken.push(format!("{who} can no longer change it"));
    }
    if !a.can_read() && b.can_read() {
        given.push(format!("{who} can now read it"));
    }
    if !a.can_write() && b.can_write() {
        given.push(format!("{who} can now change it"));
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
