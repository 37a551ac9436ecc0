//! Objects: declared properties, pattern properties, other properties, `required`,
//! `dependentRequired` and `propertyNames`, compared name by name.

use serde_json::{Map, Value, json};

use super::super::json::*;
use super::super::names::{self, Governs};
use super::super::patterns::{Lang, Search, search};
use super::super::probe::{Found, Probe, Step};
use super::super::{ChangeKind, Class};
use super::facts::*;
use super::sentences::*;
use super::vocabulary::*;
use super::{Comparer, Node};

/// The keywords [`Comparer::objects`] reads; the rule table runs it when one of them differs.
pub(super) const KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "additionalProperties",
    "unevaluatedProperties",
    "required",
    "dependentRequired",
    "propertyNames",
];

impl Comparer<'_> {
    /// Properties, pattern properties, other properties and `required`: what each
    /// revision allows for a property name, compared name by name.
    pub(super) fn objects(&mut self, x: &Node<'_>) {
        let (o, n, facts, ptr, label, depth) = (x.o, x.n, x.facts, x.ptr, x.label, x.depth);
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
            let first = |schemas: &[Value]| super::instances::first_candidate(self.a_root, schemas);
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
        let start = super::instances::first_candidate(self.a_root, &self.here)
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        let probe = (class != Class::Compatible && !self.lost).then(|| Probe {
            path: self.path.clone(),
            candidates: names_to_try
                .iter()
                .map(|k| {
                    let mut m = start.clone();
                    let v =
                        super::instances::first_candidate(self.a_root, &[a.governs(k).schema()])
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
}
