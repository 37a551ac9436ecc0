//! Limits: numeric bounds, sizes of strings, arrays and objects, and `multipleOf`.

use serde_json::{Value, json};

use super::super::json::*;
use super::super::{ChangeKind, Class};
use super::facts::*;
use super::{Comparer, Node};

impl Comparer<'_> {
    pub(super) fn number_limit(&mut self, x: &Node<'_>, key: &str) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
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
        let (ov, nv) = (o.get(key), n.get(key));
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
            return;
        };
        let Some(m) = nv.as_f64() else {
            self.push(
                Class::CannotTell,
                ChangeKind::KeywordChanged,
                at,
                format!("{key} of {what} changed to a value that is not a number"),
            );
            return;
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
                    format!(
                        "{what} gained {key} {m}, which every value allowed before already meets"
                    ),
                );
            }
            return;
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

    pub(super) fn size_limit(&mut self, x: &Node<'_>, key: &str) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
        let (lower, applies) = size_limit_of(key);
        let (ov, nv) = (o.get(key), n.get(key));
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
                    return;
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

    pub(super) fn multiple_of(&mut self, x: &Node<'_>) {
        let (o, n, facts, ptr, label) = (x.o, x.n, x.facts, x.ptr, x.label);
        let (ov, nv) = (o.get("multipleOf"), n.get("multipleOf"));
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
}

/// Whether a size limit is a lower bound, and the JSON type it applies to.
fn size_limit_of(key: &str) -> (bool, &'static str) {
    let applies = if key.ends_with("Length") {
        "string"
    } else if key.ends_with("Properties") {
        "object"
    } else {
        "array"
    };
    (key.starts_with("min"), applies)
}
