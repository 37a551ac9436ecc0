//! Revision compatibility: what a new revision of a schema means for users created under an
//! older one. Two revisions are compared structurally (not as text) and every change is
//! classified, with its JSON pointer and a plain sentence:
//!
//! - [`Class::Breaking`]: data valid under the old revision may fail under the new one;
//! - [`Class::Compatible`]: every value valid before stays valid;
//! - [`Class::CannotTell`]: the answer depends on things a structural comparison cannot know
//!   (a changed `pattern`, `$ref`s, combinators such as `oneOf`); never guessed.
//!
//! Users keep the revision they were created with until they are updated, so the report is
//! what an administrator reads before pushing revision N+1. Saved sample users can be checked
//! against the new revision with [`check_samples`].

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::authenticator::AuthenticatorType;
use super::draft::UserSchemaDraft;
use super::permission::{Access, PERMISSION_KEYWORD, Permission};
use super::position::escape_token;
use super::validate::{Diagnostic, SampleChecker};

/// How a change affects data that was valid under the old revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Every value that was valid stays valid.
    Compatible,
    /// The comparison cannot know; check by hand (or with sample users).
    CannotTell,
    /// Some value that was valid may now fail validation.
    Breaking,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Compatible => "compatible",
            Class::CannotTell => "cannot tell",
            Class::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which rule classified a change (stable names for tests, JSON output and the docs table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    FieldAdded,
    FieldAddedRequired,
    FieldRemoved,
    FieldRemovedClosed,
    BecameRequired,
    NoLongerRequired,
    TypeNarrowed,
    TypeWidened,
    LimitTightened,
    LimitWidened,
    LimitAdded,
    LimitRemoved,
    PatternAdded,
    PatternChanged,
    PatternRemoved,
    EnumAdded,
    EnumValuesRemoved,
    EnumValuesAdded,
    EnumRemoved,
    FormatAdded,
    FormatChanged,
    FormatRemoved,
    ConstAdded,
    ConstChanged,
    ConstRemoved,
    UniqueItemsAdded,
    UniqueItemsRemoved,
    ClosedToOtherProperties,
    OpenedToOtherProperties,
    AdditionalPropertiesChanged,
    PermissionTaken,
    PermissionGiven,
    TextChanged,
    RefChanged,
    CombinatorChanged,
    KeywordChanged,
    AnnotationChanged,
    SchemaNowFalse,
    SchemaNoLongerFalse,
    AuthenticatorRemoved,
    AuthenticatorAdded,
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub class: Class,
    pub kind: ChangeKind,
    /// Where, as a JSON pointer into the schema (the new revision's, or the old one's for
    /// something removed); `/possibleAuthenticators` for authenticator changes.
    pub pointer: String,
    /// A plain sentence for the administrator.
    pub message: String,
}

impl Change {
    /// The pointer as printed: the root is shown as `/`.
    pub fn pointer_display(&self) -> &str {
        if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        }
    }
}

/// The whole comparison of two revisions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Every change, in document order; authenticator changes last.
    pub changes: Vec<Change>,
}

impl Report {
    /// The worst class among the changes (`Compatible` when nothing changed).
    pub fn worst(&self) -> Class {
        self.changes
            .iter()
            .map(|c| c.class)
            .max()
            .unwrap_or(Class::Compatible)
    }

    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    pub fn is_breaking(&self) -> bool {
        self.worst() == Class::Breaking
    }

    /// The changes found at exactly this pointer.
    pub fn at<'a>(&'a self, pointer: &'a str) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes.iter().filter(move |c| c.pointer == pointer)
    }
}

/// Compares two drafts: their schemas and their authenticators.
pub fn compare(old: &UserSchemaDraft, new: &UserSchemaDraft) -> Report {
    let mut report = compare_schemas(&old.schema, &new.schema);
    report.changes.extend(compare_authenticators(
        &old.possible_authenticators,
        &new.possible_authenticators,
    ));
    report
}

/// Compares two schemas structurally.
pub fn compare_schemas(old: &Value, new: &Value) -> Report {
    let mut cmp = Comparer { out: Vec::new() };
    cmp.node(old, new, "", &Label::Root, 0);
    Report { changes: cmp.out }
}

/// Authenticators removed and added. Removing one never affects existing users: they keep
/// the authenticators they have; only new set-ups are refused.
pub fn compare_authenticators(
    old: &BTreeSet<AuthenticatorType>,
    new: &BTreeSet<AuthenticatorType>,
) -> Vec<Change> {
    let mut out = Vec::new();
    for a in old.difference(new) {
        out.push(Change {
            class: Class::Compatible,
            kind: ChangeKind::AuthenticatorRemoved,
            pointer: "/possibleAuthenticators".into(),
            message: format!(
                "{} ({}) is no longer allowed: users who already have one keep it and can still use it; only new set-ups are refused",
                a.wire_name(),
                a.label()
            ),
        });
    }
    for a in new.difference(old) {
        out.push(Change {
            class: Class::Compatible,
            kind: ChangeKind::AuthenticatorAdded,
            pointer: "/possibleAuthenticators".into(),
            message: format!(
                "{} ({}) is now allowed: users may set one up; nobody has to",
                a.wire_name(),
                a.label()
            ),
        });
    }
    out
}

/// The outcome of checking one sample user against a revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleOutcome {
    pub name: String,
    /// Where the sample came from: `store` or a file path.
    pub source: String,
    /// The problems under the new revision; empty when the sample passes.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the sample already failed under the old revision.
    pub failed_before: bool,
}

impl SampleOutcome {
    pub fn passes(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Fails under the new revision but passed under the old one: what "this change breaks
    /// N samples" counts.
    pub fn newly_fails(&self) -> bool {
        !self.passes() && !self.failed_before
    }
}

/// A sample user to check: a name, where it came from, and its JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleInput {
    pub name: String,
    pub source: String,
    pub data: String,
}

/// Checks sample users against the new schema (and the old one, to tell which failures are new).
pub fn check_samples(old: &Value, new: &Value, samples: &[SampleInput]) -> Vec<SampleOutcome> {
    let before = SampleChecker::new(old);
    let after = SampleChecker::new(new);
    samples
        .iter()
        .map(|s| SampleOutcome {
            name: s.name.clone(),
            source: s.source.clone(),
            diagnostics: after.check(&s.data),
            failed_before: !before.check(&s.data).is_empty(),
        })
        .collect()
}

/// A human name for the node being compared.
enum Label {
    Root,
    Field(String),
    Other(String),
}

impl Label {
    fn text(&self) -> String {
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

/// Lower limits (a bigger value is tighter) and upper limits (a smaller value is tighter).
const LOWER_LIMITS: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
];
const UPPER_LIMITS: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
];

/// Keywords whose change cannot be judged structurally.
const COMBINATORS: &[&str] = &["allOf", "anyOf", "oneOf", "not", "if", "then", "else"];
const REFS: &[&str] = &["$ref", "$dynamicRef", "$recursiveRef"];

/// Keywords handled by dedicated rules (everything else of 2020-12 is "cannot tell").
const HANDLED: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "pattern",
    "enum",
    "format",
    "const",
    "uniqueItems",
    "multipleOf",
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

const MAX_DEPTH: usize = 128;

struct Comparer {
    out: Vec<Change>,
}

/// A keyword whose adding, removing and changing are each one class and one sentence;
/// `{field}`, `{old}` and `{new}` in the sentences are filled in.
struct ValueRule {
    keyword: &'static str,
    added: (Class, ChangeKind, &'static str),
    removed: (Class, ChangeKind, &'static str),
    changed: (Class, ChangeKind, &'static str),
}

const PATTERN: ValueRule = ValueRule {
    keyword: "pattern",
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
        Class::CannotTell,
        ChangeKind::PatternChanged,
        "the pattern of {field} changed from {old} to {new}: whether existing values still match cannot be told without them (check sample users)",
    ),
};

const FORMAT: ValueRule = ValueRule {
    keyword: "format",
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

const CONST: ValueRule = ValueRule {
    keyword: "const",
    added: (
        Class::Breaking,
        ChangeKind::ConstAdded,
        "{field} must now be exactly {new}: users with any other value fail",
    ),
    removed: (
        Class::Compatible,
        ChangeKind::ConstRemoved,
        "{field} no longer has to be exactly {old}",
    ),
    changed: (
        Class::Breaking,
        ChangeKind::ConstChanged,
        "{field} must now be exactly {new} instead of {old}: every user with the old value fails",
    ),
};

/// Fills the `{name}` slots of `template` in one pass, so a filled-in value that itself
/// contains braces is left as it is.
fn fill<'a>(template: &str, value: impl Fn(&str) -> Option<&'a str>) -> String {
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

fn push_ptr(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_token(token))
}

fn show(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// A boolean schema as the object it means: `true` is `{}`.
fn as_object(v: &Value) -> Option<std::borrow::Cow<'_, Map<String, Value>>> {
    match v {
        Value::Object(m) => Some(std::borrow::Cow::Borrowed(m)),
        Value::Bool(true) => Some(std::borrow::Cow::Owned(Map::new())),
        _ => None,
    }
}

impl Comparer {
    fn push(&mut self, class: Class, kind: ChangeKind, pointer: String, message: String) {
        self.out.push(Change {
            class,
            kind,
            pointer,
            message,
        });
    }

    /// Compares one subschema of the old revision with its counterpart in the new one.
    fn node(&mut self, old: &Value, new: &Value, ptr: &str, label: &Label, depth: usize) {
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
        if new == &Value::Bool(false) {
            self.push(
                Class::Breaking,
                ChangeKind::SchemaNowFalse,
                ptr.to_string(),
                format!(
                    "{} now accepts no value at all (the schema is false): every user with a value fails",
                    label.text()
                ),
            );
            return;
        }
        if old == &Value::Bool(false) {
            self.push(
                Class::Compatible,
                ChangeKind::SchemaNoLongerFalse,
                ptr.to_string(),
                format!("{} accepted no value before and now does", label.text()),
            );
            return;
        }
        let (Some(o), Some(n)) = (as_object(old), as_object(new)) else {
            self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                ptr.to_string(),
                format!("{} is not a schema object in both revisions", label.text()),
            );
            return;
        };
        let (o, n) = (o.as_ref(), n.as_ref());
        self.types(o, n, ptr, label);
        self.required_and_properties(o, n, ptr, label, depth);
        self.additional_properties(o, n, ptr, label, depth);
        self.items(o, n, ptr, label, depth);
        self.limits(o, n, ptr, label);
        self.value_rule(&PATTERN, o, n, ptr, label);
        self.enums(o, n, ptr, label);
        self.value_rule(&FORMAT, o, n, ptr, label);
        self.value_rule(&CONST, o, n, ptr, label);
        self.unique_items(o, n, ptr, label);
        self.multiple_of(o, n, ptr, label);
        self.permission(o, n, ptr, label);
        self.definitions(o, n, ptr, depth);
        self.dialect(o, n, ptr);
        self.others(o, n, ptr, label);
    }

    fn types(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, ptr: &str, label: &Label) {
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
        let lost: Vec<&String> = old_set.iter().filter(|t| !covered(t, &new_set)).collect();
        let describe = |v: Option<&Value>| v.map_or_else(|| "any type".to_string(), show);
        if lost.is_empty() {
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
                Class::Breaking,
                ChangeKind::TypeNarrowed,
                at,
                format!(
                    "the type of {} narrowed from {} to {}: users whose value is a{} {} fail",
                    label.text(),
                    describe(ot),
                    describe(nt),
                    if lost[0].starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "n"
                    } else {
                        ""
                    },
                    lost.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            );
        }
    }

    fn required_and_properties(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        let old_req = string_set(o.get("required"));
        let new_req = string_set(n.get("required"));
        let empty = Map::new();
        let old_props = o
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_props = n
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let closed = is_closed(n);
        let props_ptr = push_ptr(ptr, "properties");
        // Fields in the new revision's order, then the removed ones.
        for (name, new_sub) in new_props {
            let at = push_ptr(&props_ptr, name);
            let field = label.child_field(name);
            let now_required = new_req.contains(name) && !old_req.contains(name);
            match old_props.get(name) {
                Some(old_sub) => {
                    if now_required {
                        self.push(
                            Class::Breaking,
                            ChangeKind::BecameRequired,
                            at.clone(),
                            format!(
                                "{} became required: users created without it fail validation until it is filled in",
                                field.text()
                            ),
                        );
                    }
                    self.node(old_sub, new_sub, &at, &field, depth + 1);
                }
                None if now_required => self.push(
                    Class::Breaking,
                    ChangeKind::FieldAddedRequired,
                    at,
                    format!(
                        "{} is new and required: every existing user lacks it and fails validation",
                        field.text()
                    ),
                ),
                None => self.push(
                    Class::Compatible,
                    ChangeKind::FieldAdded,
                    at,
                    format!("{} is new and optional", field.text()),
                ),
            }
        }
        for name in old_props.keys().filter(|k| !new_props.contains_key(*k)) {
            let at = push_ptr(&props_ptr, name);
            let field = label.child_field(name);
            if closed {
                self.push(
                    Class::Breaking,
                    ChangeKind::FieldRemovedClosed,
                    at,
                    format!(
                        "{} was removed and additionalProperties is false: users who have a value for it fail validation",
                        field.text()
                    ),
                );
            } else {
                self.push(
                    Class::Compatible,
                    ChangeKind::FieldRemoved,
                    at,
                    format!(
                        "{} was removed: values users already have are kept but no longer checked",
                        field.text()
                    ),
                );
            }
        }
        // Required names that are not (or no longer) properties of their own.
        for name in new_req.difference(&old_req) {
            if !new_props.contains_key(name) {
                self.push(
                    Class::Breaking,
                    ChangeKind::BecameRequired,
                    push_ptr(&props_ptr, name),
                    format!(
                        "{} became required: users created without it fail validation",
                        label.child_field(name).text()
                    ),
                );
            }
        }
        for name in old_req.difference(&new_req) {
            if new_props.contains_key(name) {
                self.push(
                    Class::Compatible,
                    ChangeKind::NoLongerRequired,
                    push_ptr(&props_ptr, name),
                    format!("{} is no longer required", label.child_field(name).text()),
                );
            }
        }
    }

    fn additional_properties(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        for key in ["additionalProperties", "unevaluatedProperties"] {
            let (ov, nv) = (o.get(key), n.get(key));
            if ov == nv {
                continue;
            }
            let at = push_ptr(ptr, key);
            let old_false = ov == Some(&Value::Bool(false));
            let new_false = nv == Some(&Value::Bool(false));
            let open = |v: Option<&Value>| matches!(v, None | Some(Value::Bool(true)));
            if new_false {
                self.push(
                    Class::Breaking,
                    ChangeKind::ClosedToOtherProperties,
                    at,
                    format!(
                        "{} no longer allows properties other than the listed ones: users with any other property fail",
                        label.text()
                    ),
                );
            } else if old_false || open(nv) {
                self.push(
                    Class::Compatible,
                    ChangeKind::OpenedToOtherProperties,
                    at,
                    format!("{} now allows more properties than before", label.text()),
                );
            } else if let (Some(ov @ Value::Object(_)), Some(nv @ Value::Object(_))) = (ov, nv) {
                let other = Label::Other(format!("the other properties of {}", label.text()));
                self.node(ov, nv, &at, &other, depth + 1);
            } else {
                self.push(
                    Class::CannotTell,
                    ChangeKind::AdditionalPropertiesChanged,
                    at,
                    format!(
                        "{} of {} changed: whether users' other properties still pass depends on their values",
                        key,
                        label.text()
                    ),
                );
            }
        }
    }

    fn items(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
        depth: usize,
    ) {
        let (ov, nv) = (o.get("items"), n.get("items"));
        if ov == nv {
            return;
        }
        let any = Value::Bool(true);
        let at = push_ptr(ptr, "items");
        match (ov.unwrap_or(&any), nv.unwrap_or(&any)) {
            (
                ov @ (Value::Object(_) | Value::Bool(_)),
                nv @ (Value::Object(_) | Value::Bool(_)),
            ) => {
                let what = match label.field_path() {
                    Some(p) => Label::Field(format!("{p}[]")),
                    None => Label::Other(format!("the items of {}", label.text())),
                };
                self.node(ov, nv, &at, &what, depth + 1);
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

    fn limits(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, ptr: &str, label: &Label) {
        for (keys, lower) in [(LOWER_LIMITS, true), (UPPER_LIMITS, false)] {
            for key in keys.iter().copied() {
                let (ov, nv) = (o.get(key), n.get(key));
                if ov == nv {
                    continue;
                }
                let at = push_ptr(ptr, key);
                let what = label.text();
                match (ov.map(Value::as_f64), nv.map(Value::as_f64)) {
                    (None, Some(Some(b))) => self.push(
                        Class::Breaking,
                        ChangeKind::LimitAdded,
                        at,
                        format!("{what} gained {key} {b}: users whose value is outside it fail"),
                    ),
                    (Some(Some(a)), None) => self.push(
                        Class::Compatible,
                        ChangeKind::LimitRemoved,
                        at,
                        format!("{what} lost {key} (was {a})"),
                    ),
                    (Some(Some(a)), Some(Some(b))) => {
                        let tighter = if lower { b > a } else { b < a };
                        if tighter {
                            let (lo, hi) = if lower { (a, b) } else { (b, a) };
                            self.push(
                                Class::Breaking,
                                ChangeKind::LimitTightened,
                                at,
                                format!(
                                    "{key} of {what} tightened from {a} to {b}: users whose value lies between {lo} and {hi} fail"
                                ),
                            );
                        } else {
                            self.push(
                                Class::Compatible,
                                ChangeKind::LimitWidened,
                                at,
                                format!("{key} of {what} widened from {a} to {b}"),
                            );
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
    }

    /// A keyword added, removed or changed, read as its [`ValueRule`] says.
    fn value_rule(
        &mut self,
        rule: &ValueRule,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
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
        let (old, new) = (old.map(show), new.map(show));
        let message = fill(template, |slot| match slot {
            "field" => Some(field.as_str()),
            "old" => old.as_deref(),
            "new" => new.as_deref(),
            _ => None,
        });
        self.push(class, kind, push_ptr(ptr, rule.keyword), message);
    }

    fn enums(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, ptr: &str, label: &Label) {
        let (ov, nv) = (o.get("enum"), n.get("enum"));
        if ov == nv {
            return;
        }
        let at = push_ptr(ptr, "enum");
        match (ov, nv) {
            (None, Some(b)) => self.push(
                Class::Breaking,
                ChangeKind::EnumAdded,
                at,
                format!(
                    "{} is now limited to {}: users with any other value fail",
                    label.text(),
                    show(b)
                ),
            ),
            (Some(_), None) => self.push(
                Class::Compatible,
                ChangeKind::EnumRemoved,
                at,
                format!("{} is no longer limited to a list of values", label.text()),
            ),
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                let removed: Vec<String> = a.iter().filter(|v| !b.contains(v)).map(show).collect();
                let added: Vec<String> = b.iter().filter(|v| !a.contains(v)).map(show).collect();
                if !removed.is_empty() {
                    self.push(
                        Class::Breaking,
                        ChangeKind::EnumValuesRemoved,
                        at.clone(),
                        format!(
                            "{} no longer allows {}: users with that value fail",
                            label.text(),
                            removed.join(", ")
                        ),
                    );
                }
                if !added.is_empty() {
                    self.push(
                        Class::Compatible,
                        ChangeKind::EnumValuesAdded,
                        at,
                        format!("{} now also allows {}", label.text(), added.join(", ")),
                    );
                }
            }
            _ => self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                at,
                format!("the enum of {} is not a list of values", label.text()),
            ),
        }
    }

    fn unique_items(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        label: &Label,
    ) {
        let on = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
        let at = push_ptr(ptr, "uniqueItems");
        match (on(o), on(n)) {
            (false, true) => self.push(
                Class::Breaking,
                ChangeKind::UniqueItemsAdded,
                at,
                format!(
                    "the items of {} must now be unique: users with a repeated item fail",
                    label.text()
                ),
            ),
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
        ptr: &str,
        label: &Label,
    ) {
        let (ov, nv) = (o.get("multipleOf"), n.get("multipleOf"));
        if ov == nv {
            return;
        }
        let at = push_ptr(ptr, "multipleOf");
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
            (None, Some(b)) if ov.is_none() => self.push(
                Class::Breaking,
                ChangeKind::LimitAdded,
                at,
                format!(
                    "{} must now be a multiple of {b}: users with other values fail",
                    label.text()
                ),
            ),
            (Some(a), Some(b)) if b != 0.0 && (a / b).fract() == 0.0 => self.push(
                Class::Compatible,
                ChangeKind::LimitWidened,
                at,
                format!(
                    "{} must be a multiple of {b} instead of {a}: every old value still is",
                    label.text()
                ),
            ),
            (Some(a), Some(b)) => self.push(
                Class::Breaking,
                ChangeKind::LimitTightened,
                at,
                format!(
                    "{} must be a multiple of {b} instead of {a}: users whose value is not fail",
                    label.text()
                ),
            ),
            _ => self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                at,
                format!("multipleOf of {} is not a number", label.text()),
            ),
        }
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
            self.push(
                Class::Breaking,
                ChangeKind::PermissionTaken,
                at.clone(),
                format!("on {}, {}", label.text(), taken.join("; ")),
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

    fn definitions(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        depth: usize,
    ) {
        for key in ["$defs", "definitions"] {
            let (ov, nv) = (o.get(key), n.get(key));
            if ov == nv {
                continue;
            }
            let empty = Map::new();
            let om = ov.and_then(Value::as_object).unwrap_or(&empty);
            let nm = nv.and_then(Value::as_object).unwrap_or(&empty);
            let base = push_ptr(ptr, key);
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

    /// Everything not handled above: text keywords, refs, combinators and the rest.
    fn others(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, ptr: &str, label: &Label) {
        let keys: Vec<&String> = n
            .keys()
            .chain(o.keys().filter(|k| !n.contains_key(*k)))
            .collect();
        for key in keys {
            let k = key.as_str();
            if HANDLED.contains(&k)
                || LOWER_LIMITS.contains(&k)
                || UPPER_LIMITS.contains(&k)
                || k == "unevaluatedProperties"
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
                self.push(
                    Class::CannotTell,
                    ChangeKind::RefChanged,
                    at,
                    format!(
                        "the {k} of {what} changed: what it points to cannot be compared here (check sample users)"
                    ),
                );
            } else if COMBINATORS.contains(&k) {
                self.push(
                    Class::CannotTell,
                    ChangeKind::CombinatorChanged,
                    at,
                    format!(
                        "the {k} of {what} changed: combinators cannot be compared safely (check sample users)"
                    ),
                );
            } else if VOCABULARY.contains(&k) {
                self.push(
                    Class::CannotTell,
                    ChangeKind::KeywordChanged,
                    at,
                    format!(
                        "the keyword {k} of {what} changed: its effect is not judged automatically"
                    ),
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
fn type_set(v: Option<&Value>) -> Option<BTreeSet<String>> {
    const ALL: [&str; 7] = [
        "null", "boolean", "object", "array", "number", "string", "integer",
    ];
    match v {
        None => Some(ALL.iter().map(|s| s.to_string()).collect()),
        Some(Value::String(s)) => Some(BTreeSet::from([s.clone()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(_) => None,
    }
}

fn string_set(v: Option<&Value>) -> BTreeSet<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Whether an object schema refuses properties it does not list.
fn is_closed(n: &Map<String, Value>) -> bool {
    n.get("additionalProperties") == Some(&Value::Bool(false))
        || n.get("unevaluatedProperties") == Some(&Value::Bool(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(r: &Report) -> Vec<(Class, ChangeKind, &str)> {
        r.changes
            .iter()
            .map(|c| (c.class, c.kind, c.pointer.as_str()))
            .collect()
    }

    #[test]
    fn sentences_are_filled_once_even_when_a_value_has_braces() {
        let filled = fill(
            "{field} must match {new}, not {old}; {unknown} stays",
            |slot| match slot {
                "field" => Some("the field {old}"),
                "new" => Some("\"^[a-z]{2}$\""),
                "old" => Some("nothing"),
                _ => None,
            },
        );
        assert_eq!(
            filled,
            "the field {old} must match \"^[a-z]{2}$\", not nothing; {unknown} stays"
        );
    }

    #[test]
    fn a_pattern_on_a_braced_field_name_reads_right() {
        let old = json!({"type": "object", "properties": {"a{new}": {"type": "string"}}});
        let new = json!({"type": "object", "properties": {"a{new}": {"type": "string", "pattern": "^x{3}$"}}});
        let report = compare_schemas(&old, &new);
        let change = &report.changes[0];
        assert_eq!(change.kind, ChangeKind::PatternAdded);
        assert_eq!(change.pointer, "/properties/a{new}/pattern");
        assert_eq!(
            change.message,
            "the field \"a{new}\" must now match the pattern \"^x{3}$\": users whose value does not match fail"
        );
        // Removed and changed, with the wording the report had before the table.
        let changed = json!({"type": "object", "properties": {"a{new}": {"type": "string", "pattern": "^y$"}}});
        assert_eq!(
            compare_schemas(&new, &changed).changes[0].message,
            "the pattern of the field \"a{new}\" changed from \"^x{3}$\" to \"^y$\": whether existing values still match cannot be told without them (check sample users)"
        );
        assert_eq!(
            compare_schemas(&new, &old).changes[0].message,
            "the field \"a{new}\" no longer has to match \"^x{3}$\""
        );
    }

    #[test]
    fn identical_schemas_have_no_changes() {
        let s = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        assert!(compare_schemas(&s, &s).changes.is_empty());
        assert_eq!(compare_schemas(&s, &s).worst(), Class::Compatible);
    }

    #[test]
    fn integer_to_number_widens_number_to_integer_narrows() {
        let a = json!({"type": "integer"});
        let b = json!({"type": "number"});
        assert_eq!(
            kinds(&compare_schemas(&a, &b)),
            vec![(Class::Compatible, ChangeKind::TypeWidened, "/type")]
        );
        assert_eq!(
            kinds(&compare_schemas(&b, &a)),
            vec![(Class::Breaking, ChangeKind::TypeNarrowed, "/type")]
        );
    }

    #[test]
    fn nested_field_pointer_and_label() {
        let a = json!({"properties": {"address": {"properties": {"city": {"type": "string"}}}}});
        let b = json!({"properties": {"address": {"properties": {"city": {"type": "string", "maxLength": 5}}}}});
        let r = compare_schemas(&a, &b);
        assert_eq!(
            kinds(&r),
            vec![(
                Class::Breaking,
                ChangeKind::LimitAdded,
                "/properties/address/properties/city/maxLength"
            )]
        );
        assert!(r.changes[0].message.contains("\"address.city\""));
    }

    #[test]
    fn removed_authenticator_is_reported_with_the_rule() {
        let old = BTreeSet::from([AuthenticatorType::Password, AuthenticatorType::Totp]);
        let new = BTreeSet::from([AuthenticatorType::Password]);
        let changes = compare_authenticators(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ChangeKind::AuthenticatorRemoved);
        assert!(changes[0].message.contains("keep"));
    }
}
