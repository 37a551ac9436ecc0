//! References, definitions, the permission keyword, the dialect, and every other keyword.

use serde_json::{Map, Value};

use super::super::json::*;
use super::super::{ChangeKind, Class};
use super::sentences::*;
use super::vocabulary::*;
use super::{Comparer, Node};
use crate::schema::permission::{Access, PERMISSION_KEYWORD, Permission};

impl Comparer<'_> {
    /// A `$ref` that now names another definition: judged by what the two say (the
    /// differences are reported by the other rules, on the resolved schemas).
    pub(super) fn refs(&mut self, x: &Node<'_>) {
        let (old, new, ptr, label) = (x.old, x.new, x.ptr, x.label);
        let (ov, nv) = (old.get("$ref"), new.get("$ref"));
        if ov == nv {
            return;
        }
        let resolves = |v: Option<&Value>, root: &Value| {
            v.is_none_or(|r| {
                r.as_str()
                    .is_some_and(|r| super::super::normalize::resolve(root, r).is_some())
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

    pub(super) fn permission(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label) = (x.o, x.n, x.ptr, x.label);
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
    pub(super) fn definitions(&mut self, x: &Node<'_>, key: &str) {
        let (old, new, ptr, depth) = (x.old, x.new, x.ptr, x.depth);
        let (ov, nv) = (old.get(key), new.get(key));
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

    pub(super) fn dialect(&mut self, x: &Node<'_>) {
        let (o, n, ptr) = (x.o, x.n, x.ptr);
        let (ov, nv) = (o.get("$schema"), n.get("$schema"));
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
    pub(super) fn others(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label) = (x.o, x.n, x.ptr, x.label);
        let keys: Vec<&String> = n
            .keys()
            .chain(o.keys().filter(|k| !n.contains_key(*k)))
            .collect();
        for key in keys {
            let k = key.as_str();
            if super::handled(k) || o.get(k) == n.get(k) {
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
