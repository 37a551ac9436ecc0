//! The rules: one revision's subschema against its counterpart, keyword by keyword, each
//! new keyword of the new revision judged against everything the old one says (so an
//! `exclusiveMaximum` the old `maximum` already implied is no change at all). Every
//! change that is not compatible carries a [`Probe`]: where in a user it is, and values to
//! try there, from which `counterexample` builds a whole user.
//!
//! [`RULES`] says which keywords each rule reads and runs it when one of them differs;
//! the rules live in modules named for what they compare (`objects`, `arrays`, `numbers`,
//! `strings`, `values`, `combinators`, `annotations`).

mod annotations;
mod arrays;
mod combinators;
mod facts;
mod numbers;
mod objects;
mod sentences;
mod strings;
mod values;
mod vocabulary;

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::instances;
use super::names::Governs;
use super::normalize::{Norm, normalize};
use super::probe::{Found, Frame, Probe, Step};
use super::{Change, ChangeKind, Class};
use crate::schema::permission::PERMISSION_KEYWORD;
use facts::Facts;
use sentences::Label;
#[cfg(test)]
pub(super) use sentences::fill;

const MAX_DEPTH: usize = 64;

/// One node under comparison: the two subschemas as written and as normalized, what the
/// old one says about values, and where the node is.
#[derive(Clone, Copy)]
struct Node<'a> {
    old: &'a Value,
    new: &'a Value,
    o: &'a Map<String, Value>,
    n: &'a Map<String, Value>,
    facts: &'a Facts,
    ptr: &'a str,
    label: &'a Label,
    depth: usize,
}

impl Node<'_> {
    /// Whether `key` differs between the revisions, as written or as normalized.
    fn differs(&self, key: &str, written: bool) -> bool {
        if written {
            self.old.get(key) != self.new.get(key)
        } else {
            self.o.get(key) != self.n.get(key)
        }
    }
}

/// A rule: the keywords it reads, and what runs when one of them differs.
struct Rule {
    keywords: &'static [&'static str],
    /// Read as written rather than normalized (definitions are compared where they are
    /// written; normalizing drops them from a `$ref`'s target).
    written: bool,
    check: Check,
}

enum Check {
    /// Runs once for each of the keywords that differs, given that keyword.
    Each(fn(&mut Comparer<'_>, &Node<'_>, &'static str)),
    /// Runs once when any of the keywords differs.
    Together(fn(&mut Comparer<'_>, &Node<'_>)),
}

const fn each(
    keywords: &'static [&'static str],
    check: fn(&mut Comparer<'_>, &Node<'_>, &'static str),
) -> Rule {
    Rule {
        keywords,
        written: false,
        check: Check::Each(check),
    }
}

const fn together(
    keywords: &'static [&'static str],
    check: fn(&mut Comparer<'_>, &Node<'_>),
) -> Rule {
    Rule {
        keywords,
        written: false,
        check: Check::Together(check),
    }
}

const NUMBER_LIMITS: &[&str] = &["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"];
const SIZE_LIMITS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
];

/// Every rule, in the order its changes are reported. A keyword none of them reads is
/// judged by `others` (text, annotation, or "cannot tell").
const RULES: &[Rule] = &[
    together(&["type"], |c, x| c.types(x)),
    together(objects::KEYWORDS, |c, x| c.objects(x)),
    together(&["items"], |c, x| c.items(x)),
    together(&["prefixItems"], |c, x| c.prefix_items(x)),
    together(&["contains"], |c, x| c.contains(x)),
    each(NUMBER_LIMITS, |c, x, key| c.number_limit(x, key)),
    each(SIZE_LIMITS, |c, x, key| c.size_limit(x, key)),
    together(&["pattern"], |c, x| c.pattern(x)),
    each(&["enum", "const"], |c, x, key| c.listed(x, key)),
    together(&["format"], |c, x| c.value_rule(&strings::FORMAT, x)),
    together(&["uniqueItems"], |c, x| c.unique_items(x)),
    together(&["multipleOf"], |c, x| c.multiple_of(x)),
    together(&["allOf"], |c, x| c.all_of(x)),
    together(&["anyOf"], |c, x| c.any_of(x)),
    together(&["oneOf"], |c, x| c.one_of(x)),
    together(&["not"], |c, x| c.not(x)),
    together(&["if", "then", "else"], |c, x| c.conditional(x)),
    together(&[PERMISSION_KEYWORD], |c, x| c.permission(x)),
    Rule {
        keywords: &["$defs", "definitions"],
        written: true,
        check: Check::Each(|c, x, key| c.definitions(x, key)),
    },
    together(&["$schema"], |c, x| c.dialect(x)),
];

/// Whether some rule reads `key`.
fn handled(key: &str) -> bool {
    RULES.iter().any(|r| r.keywords.contains(&key))
}

/// Compares two schemas; the changes come in document order.
pub(super) fn compare(old: &Value, new: &Value) -> Vec<Found> {
    let mut c = Comparer::new(old, new);
    c.node(old, new, "", &Label::Root, 0);
    c.out
}

struct Comparer<'r> {
    a_root: &'r Value,
    b_root: &'r Value,
    pub out: Vec<Found>,
    path: Vec<Frame>,
    /// The data location is not known (inside `$defs`): no example is looked for.
    lost: bool,
    /// The old revision's normalized schema at the current location, and schemas that
    /// hold there too (an `if` when comparing a `then`).
    here: Vec<Value>,
    /// The pairs of schemas under side questions further up, shared by every side comparer:
    /// a `$ref` cycle brings the same question back, and unfolding it again decides nothing.
    judging: Rc<RefCell<Vec<(Value, Value)>>>,
}

impl<'r> Comparer<'r> {
    fn new(a_root: &'r Value, b_root: &'r Value) -> Self {
        Comparer {
            a_root,
            b_root,
            out: Vec::new(),
            path: Vec::new(),
            lost: false,
            here: Vec::new(),
            judging: Rc::default(),
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
            judging: Rc::clone(&self.judging),
        }
    }

    /// The worst class of comparing `old` with `new` here, and the probes of what breaks.
    fn judge(&self, old: &Value, new: &Value, depth: usize, label: &Label) -> (Class, Vec<Found>) {
        let asked = |(o, n): &(Value, Value)| o == old && n == new;
        if self.judging.borrow().iter().any(asked) {
            // The question is its own premise (a definition that refers to itself): it is
            // left undecided rather than unfolded until the depth limit, once per branch.
            return (Class::CannotTell, Vec::new());
        }
        self.judging.borrow_mut().push((old.clone(), new.clone()));
        let mut side = self.side();
        side.node(old, new, "", label, depth + 1);
        self.judging.borrow_mut().pop();
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

    /// Runs `f` where the data location is not known: no example is looked for there.
    fn unlocated(&mut self, f: impl FnOnce(&mut Self)) {
        let lost = std::mem::replace(&mut self.lost, true);
        f(self);
        self.lost = lost;
    }

    /// Runs `f` at the same location with `extra` holding there too.
    fn with_here(&mut self, extra: &[Value], f: impl FnOnce(&mut Self)) {
        let n = self.here.len();
        self.here.extend(extra.iter().cloned());
        f(self);
        self.here.truncate(n);
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
        let x = Node {
            old,
            new,
            o: &o,
            n: &n,
            facts: &facts,
            ptr,
            label,
            depth,
        };
        // A `$ref` first: one that resolves is compared by what it names, one that does
        // not stays in the normalized schema for `others`.
        self.refs(&x);
        for rule in RULES {
            match rule.check {
                Check::Each(check) => {
                    for key in rule.keywords {
                        if x.differs(key, rule.written) {
                            check(self, &x, key);
                        }
                    }
                }
                Check::Together(check) => {
                    if rule.keywords.iter().any(|k| x.differs(k, rule.written)) {
                        check(self, &x);
                    }
                }
            }
        }
        self.others(&x);
        self.here.remove(0);
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
}
