//! Revision compatibility: what a new revision of a schema means for users created under an
//! older one. Two revisions are compared as JSON Schema (not as text) and every change is
//! classified, with its JSON pointer and a plain sentence:
//!
//! - [`Class::Breaking`]: some value valid under the old revision fails the new one; the
//!   report shows such a user when one can be built ([`Change::example`]);
//! - [`Class::Compatible`]: proved: every value valid before stays valid;
//! - [`Class::CannotTell`]: neither could be shown (a pattern outside the regex subset both
//!   dialects share, a combinator whose branches overlap in ways not modelled, ...). The rule
//!   is soundness: nothing is called compatible unless it provably is.
//!
//! Users keep the revision they were created with until they are updated, so the report is
//! what an administrator reads before pushing revision N+1. Saved sample users can be checked
//! against the new revision with [`check_samples`].
//!
//! Modules: [`normalize`] reads `$ref` and `allOf` as what they mean, [`names`] says which
//! subschema a revision applies to a property name, [`patterns`] compares regular languages,
//! `walk` holds the rules (one module per group of keywords), [`instances`] generates users
//! and [`counterexample`] finds the one that breaks; `json` holds what they all read off
//! values (types, equality, sets) and `probe` what the rules hand to `counterexample`.

mod counterexample;
pub mod instances;
mod json;
pub mod names;
pub mod normalize;
pub mod patterns;
mod probe;
mod references;
mod walk;

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::authenticator::AuthenticatorType;
use super::draft::UserSchemaDraft;
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
    /// A new keyword that every value allowed before already satisfied.
    AlreadyImplied,
    /// A field newly declared where any value was allowed before: compatible unless users
    /// already hold a value the declaration refuses (saved samples decide).
    FieldAddedOverOpen,
    /// A field newly declared that was required all along with any value.
    FieldAddedWasRequired,
    /// A field removed whose values now fall under `additionalProperties` or
    /// `patternProperties`, which refuse some of them.
    FieldRemovedStillChecked,
    PatternPropertyAdded,
    PatternPropertyRemoved,
    DependencyAdded,
    PropertyNamesChanged,
    ContainsAdded,
    /// A removed or renamed field that a `dependentRequired`, `dependentSchemas`, `if`/`then`/
    /// `else` or `propertyNames` of the new revision still names.
    StaleReference,
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
    /// A small user valid under the old revision that the new one rejects, generated and
    /// checked with the project's validator; `None` when none could be built.
    pub example: Option<Value>,
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

    /// The sentence shown under a change: the example user, or that none could be built
    /// (for breaking changes); `None` for changes that need no example.
    pub fn example_sentence(&self) -> Option<String> {
        match (&self.example, self.class) {
            (Some(user), _) => Some(format!(
                "for example, a user with `{}` would be rejected at their next update",
                serde_json::to_string(user).unwrap_or_default()
            )),
            (None, Class::Breaking) => Some(
                "no example user could be built for this change; check it with sample users".into(),
            ),
            _ => None,
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

/// Compares two schemas: classifies every change, then looks for an example user for
/// every change that is not compatible.
pub fn compare_schemas(old: &Value, new: &Value) -> Report {
    let found = walk::compare(old, new);
    let mut changes = counterexample::attach(old, new, found);
    changes.extend(references::stale_references(old, new));
    Report { changes }
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
            example: None,
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
            example: None,
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

#[cfg(test)]
mod tests {
    use super::walk::fill;
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
        assert_eq!(change.example, Some(json!({"a{new}": ""})));
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
            "the pattern of the field \"a{new}\" changed from \"^x{3}$\" to \"^y$\", which some values that matched before do not match"
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
