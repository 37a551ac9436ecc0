//! Arrays: `items`, `prefixItems`, `contains` and `uniqueItems`.

use serde_json::{Map, Value, json};

use super::super::json::*;
use super::super::probe::Step;
use super::super::{ChangeKind, Class};
use super::facts::*;
use super::sentences::*;
use super::{Comparer, Node};

impl Comparer<'_> {
    pub(super) fn items(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label, depth) = (x.o, x.n, x.ptr, x.label, x.depth);
        let any = Value::Bool(true);
        let (ov, nv) = (o.get("items"), n.get("items"));
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
                    Some(s) => self.descend(s, &ov, |c| c.node(&ov, &nv, &at, &what, depth + 1)),
                    None => self.unlocated(|c| c.node(&ov, &nv, &at, &what, depth + 1)),
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

    pub(super) fn prefix_items(&mut self, x: &Node<'_>) {
        let (o, n, ptr, label, depth) = (x.o, x.n, x.ptr, x.label, x.depth);
        let (ov, nv) = (o.get("prefixItems"), n.get("prefixItems"));
        let at = push_ptr(ptr, "prefixItems");
        match (ov, nv) {
            (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
                self.unlocated(|c| {
                    for (i, (p, q)) in x.iter().zip(y).enumerate() {
                        let what = Label::Other(format!("item {i} of {}", label.text()));
                        c.node(p, q, &push_ptr(&at, &i.to_string()), &what, depth + 1);
                    }
                });
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

    pub(super) fn contains(&mut self, x: &Node<'_>) {
        let (o, n, facts, ptr, label, depth) = (x.o, x.n, x.facts, x.ptr, x.label, x.depth);
        let (ov, nv) = (o.get("contains"), n.get("contains"));
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

    pub(super) fn unique_items(&mut self, x: &Node<'_>) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
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
}
