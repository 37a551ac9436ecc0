//! What a new revision of a nextgen document means for users made under the old one: the
//! JSON Schema part is classed by [`crate::schema::compat::compare_schemas`], the dialect's
//! keywords here, with the same classes and the same sentences as for v3alpha.

use serde::Serialize;
use serde_json::{Map, Value};

use super::dialect::{
    self, AUTH_METHODS_KEY, AuthMethod, EDITABLE_KEY, IDENTIFIER_KEY, Methods, PROPERTY_KEYWORDS,
    ROOT_KEYS, UNIQUE_KEY,
};
use crate::schema::compat::{Change, Class, Report, compare_schemas};
use crate::schema::position::escape_token;

/// Which dialect rule classified a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NextgenKind {
    UniqueAdded,
    UniqueRemoved,
    EditableTurnedOff,
    EditableTurnedOn,
    MethodDisabled,
    MethodEnabled,
    ProviderRemoved,
    ProviderAdded,
    IdentifierMoved,
}

/// One classified change of a dialect keyword.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextgenChange {
    pub class: Class,
    pub kind: NextgenKind,
    pub pointer: String,
    pub message: String,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NextgenReport {
    /// The JSON Schema part (the dialect's keywords taken out first).
    pub schema: Report,
    pub dialect: Vec<NextgenChange>,
}

impl NextgenReport {
    /// The worst class of any change (compatible when there is none).
    pub fn worst(&self) -> Class {
        self.schema
            .changes
            .iter()
            .map(|c| c.class)
            .chain(self.dialect.iter().map(|c| c.class))
            .max()
            .unwrap_or(Class::Compatible)
    }

    pub fn count(&self, class: Class) -> usize {
        self.schema.count(class) + self.dialect.iter().filter(|c| c.class == class).count()
    }

    pub fn is_breaking(&self) -> bool {
        self.worst() == Class::Breaking
    }

    /// Every change as (class, pointer, message), schema changes first.
    pub fn lines(&self) -> Vec<(Class, String, String)> {
        let schema = self
            .schema
            .changes
            .iter()
            .map(|c: &Change| (c.class, c.pointer.clone(), c.message.clone()));
        let dialect = self
            .dialect
            .iter()
            .map(|c| (c.class, c.pointer.clone(), c.message.clone()));
        schema.chain(dialect).collect()
    }
}

/// Compares two nextgen documents.
pub fn compare_documents(old: &Value, new: &Value) -> NextgenReport {
    let mut dialect_changes = Vec::new();
    methods(old, new, &mut dialect_changes);
    identifier(old, new, &mut dialect_changes);
    properties(old, new, &mut dialect_changes);
    NextgenReport {
        schema: compare_schemas(&plain(old), &plain(new)),
        dialect: dialect_changes,
    }
}

/// The document without the dialect's keys, as plain JSON Schema.
fn plain(doc: &Value) -> Value {
    let mut v = doc.clone();
    if let Value::Object(map) = &mut v {
        for k in ROOT_KEYS
            .iter()
            .chain(["$schema", "$id", "userType"].iter())
        {
            map.shift_remove(*k);
        }
        strip(map, 0);
    }
    v
}

fn strip(node: &mut Map<String, Value>, depth: usize) {
    if depth > 64 {
        return;
    }
    if let Some(Value::Object(props)) = node.get_mut("properties") {
        for sub in props.values_mut() {
            if let Value::Object(p) = sub {
                for k in PROPERTY_KEYWORDS {
                    p.shift_remove(k);
                }
                strip(p, depth + 1);
            }
        }
    }
}

fn push(
    out: &mut Vec<NextgenChange>,
    class: Class,
    kind: NextgenKind,
    pointer: String,
    message: String,
) {
    out.push(NextgenChange {
        class,
        kind,
        pointer,
        message,
    });
}

fn methods(old: &Value, new: &Value, out: &mut Vec<NextgenChange>) {
    let (a, b) = (Methods::read(old), Methods::read(new));
    for m in AuthMethod::ALL {
        let at = format!("/{AUTH_METHODS_KEY}/{}", m.key());
        match (a.enabled.contains(&m), b.enabled.contains(&m)) {
            (true, false) => push(
                out,
                Class::Compatible,
                NextgenKind::MethodDisabled,
                at,
                format!(
                    "{} ({}) is no longer allowed: users who already have one keep it and can still use it; only new set-ups are refused",
                    m.key(),
                    m.label()
                ),
            ),
            (false, true) => push(
                out,
                Class::Compatible,
                NextgenKind::MethodEnabled,
                at,
                format!(
                    "{} ({}) is now allowed: users may set one up; nobody has to",
                    m.key(),
                    m.label()
                ),
            ),
            _ => {}
        }
    }
    for p in a.providers.iter().filter(|p| !b.providers.contains(p)) {
        push(
            out,
            Class::Compatible,
            NextgenKind::ProviderRemoved,
            format!("/{AUTH_METHODS_KEY}/sso/providers"),
            format!(
                "the identity provider \"{p}\" is no longer allowed: users who already linked it keep the link; only new links are refused"
            ),
        );
    }
    for p in b.providers.iter().filter(|p| !a.providers.contains(p)) {
        push(
            out,
            Class::Compatible,
            NextgenKind::ProviderAdded,
            format!("/{AUTH_METHODS_KEY}/sso/providers"),
            format!(
                "the identity provider \"{p}\" is now allowed: users may link it; nobody has to"
            ),
        );
    }
}

fn identifier(old: &Value, new: &Value, out: &mut Vec<NextgenChange>) {
    let get = |d: &Value| {
        d.get(IDENTIFIER_KEY)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (a, b) = (get(old), get(new));
    if a == b {
        return;
    }
    let at = format!("/{IDENTIFIER_KEY}");
    let message = match (&a, &b) {
        (Some(a), Some(b)) => format!(
            "the identifier moved from \"{a}\" to \"{b}\": users sign in with \"{b}\" now; users who have no value there, or share one, cannot sign in"
        ),
        (None, Some(b)) => format!(
            "users now sign in with \"{b}\": users who have no value there, or share one, cannot sign in"
        ),
        (Some(a), None) => {
            format!("users no longer sign in with \"{a}\": there is no identifier now")
        }
        (None, None) => return,
    };
    push(
        out,
        Class::Breaking,
        NextgenKind::IdentifierMoved,
        at,
        message,
    );
}

fn properties(old: &Value, new: &Value, out: &mut Vec<NextgenChange>) {
    let olds = dialect::properties(old);
    for n in dialect::properties(new) {
        let Some(o) = olds.iter().find(|o| o.path == n.path) else {
            continue;
        };
        let field = n.dotted();
        let unique = |s: &Value| {
            s.get(UNIQUE_KEY)
                .and_then(Value::as_str)
                .filter(|u| *u != "unspecified")
                .map(str::to_string)
        };
        let (ua, ub) = (unique(o.schema), unique(n.schema));
        let at = format!("{}/{}", n.pointer, escape_token(UNIQUE_KEY));
        match (&ua, &ub) {
            (None, Some(scope)) => push(
                out,
                Class::Breaking,
                NextgenKind::UniqueAdded,
                at,
                format!(
                    "on the field \"{field}\", values must now be unique in the {scope}: users who share a value cannot all be moved to this revision"
                ),
            ),
            (Some(a), Some(b)) if a != b && b == "project" => push(
                out,
                Class::Breaking,
                NextgenKind::UniqueAdded,
                at,
                format!(
                    "on the field \"{field}\", values must now be unique in the whole project, not only in a {a}: users of different {a}s who share a value cannot all be moved"
                ),
            ),
            (Some(a), None) => push(
                out,
                Class::Compatible,
                NextgenKind::UniqueRemoved,
                at,
                format!("on the field \"{field}\", values no longer need to be unique in the {a}"),
            ),
            (Some(a), Some(b)) if a != b => push(
                out,
                Class::Compatible,
                NextgenKind::UniqueRemoved,
                at,
                format!(
                    "on the field \"{field}\", values need to be unique in a {b} only, no longer in the whole {a}"
                ),
            ),
            _ => {}
        }
        let editable = |s: &Value| s.get(EDITABLE_KEY).and_then(Value::as_bool).unwrap_or(true);
        let at = format!("{}/{}", n.pointer, escape_token(EDITABLE_KEY));
        match (editable(o.schema), editable(n.schema)) {
            (true, false) => push(
                out,
                Class::Breaking,
                NextgenKind::EditableTurnedOff,
                at,
                format!("on the field \"{field}\", the user can no longer change it"),
            ),
            (false, true) => push(
                out,
                Class::Compatible,
                NextgenKind::EditableTurnedOn,
                at,
                format!("on the field \"{field}\", the user can now change it"),
            ),
            _ => {}
        }
    }
}
