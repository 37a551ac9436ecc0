//! `allOf` branches that could not be merged, `anyOf`, `oneOf`, `not` and
//! `if`/`then`/`else`: decided where a sufficient condition holds, otherwise "cannot
//! tell" (which becomes breaking if an example user is found).

use serde_json::{Map, Value, json};

use super::super::json::*;
use super::super::names::{self};
use super::super::normalize::{Norm, normalize};
use super::super::{ChangeKind, Class};
use super::facts::*;
use super::sentences::*;
use super::{Comparer, Node};

impl Comparer<'_> {
    /// `allOf`: every new branch must hold wherever the old schema did.
    pub(super) fn all_of(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label, depth) = (x.o, x.n, x.ptr, x.label, x.depth);
        let whole_a = Value::Object(o.clone());
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

    pub(super) fn any_of(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label, depth) = (x.o, x.n, x.ptr, x.label, x.depth);
        let whole_a = Value::Object(o.clone());
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

    pub(super) fn one_of(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label, depth) = (x.o, x.n, x.ptr, x.label, x.depth);
        let whole_a = Value::Object(o.clone());
        let at = push_ptr(ptr, "oneOf");
        let new_branches = array(n.get("oneOf"));
        let old_branches = array(o.get("oneOf"));
        let ok = if n.get("oneOf").is_none() {
            true
        } else if !old_branches.is_empty() && old_branches.iter().all(|a| new_branches.contains(a))
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

    pub(super) fn not(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label, depth) = (x.o, x.n, x.ptr, x.label, x.depth);
        let whole_a = Value::Object(o.clone());
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

    /// `if`/`then`/`else`: with the same `if`, `then` and `else` compare as schemas that
    /// hold only where the condition does (or does not).
    pub(super) fn conditional(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label, depth) = (x.o, x.n, x.ptr, x.label, x.depth);
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
}

fn array(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}
