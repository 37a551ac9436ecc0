//! Strings: `pattern`, compared as regular languages, and `format`.

use serde_json::{Value, json};

use super::super::json::*;
use super::super::patterns::{Lang, Search, search};
use super::super::{ChangeKind, Class};
use super::sentences::*;
use super::{Comparer, Node};

/// A keyword whose adding, removing and changing are each one class and one sentence;
/// `{field}`, `{old}` and `{new}` in the sentences are filled in. The class of "added" and
/// "changed" is what holds when the old revision does not already imply the new keyword.
pub(super) struct ValueRule {
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

pub(super) const FORMAT: ValueRule = ValueRule {
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

impl Comparer<'_> {
    /// `pattern`: decided by comparing the two regular languages when both patterns are
    /// in the shared subset.
    pub(super) fn pattern(&mut self, x: &Node<'_>) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
        let (ov, nv) = (o.get("pattern"), n.get("pattern"));
        if nv.is_none() || !facts.may_hold("string") {
            self.value_rule(&PATTERN, x);
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
    pub(super) fn value_rule(&mut self, rule: &ValueRule, x: &Node<'_>) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
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
}
