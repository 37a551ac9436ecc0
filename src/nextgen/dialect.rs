//! The nextgen user-schema dialect: its root keys, the five authentication methods, the
//! per-property keywords, and how properties are named by dotted paths.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::schema::position::escape_token;

/// The nextgen release this dialect was built against.
pub const NEXTGEN_VERSION: &str = "v0.8.0";
/// The meta-schema bundled for that release (reconstructed from ZITADEL's public docs).
pub const BUNDLED_META_SCHEMA: &str = include_str!("meta/user-schema-0.8.0.json");
/// The bundled meta-schema's `$id`.
pub const BUNDLED_META_ID: &str = "urn:schemadesk:nextgen:0.8.0:user-schema";
/// The `$schema` of every nextgen document.
pub const JSON_SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
/// The value of `kind` that marks a nextgen user schema.
pub const KIND: &str = "user-schema";
/// The `metaSchema` written into documents schemadesk makes: the server's own meta-schema,
/// as ZITADEL's workspace files name it.
pub const DEFAULT_META_SCHEMA: &str = "${SERVER_URL}/user-schema.json";
/// The most characters an `objectType` may have.
pub const OBJECT_TYPE_MAX_CHARS: usize = 256;
/// Property names the server refuses.
pub const RESERVED_NAMES: [&str; 2] = ["id", "metadata"];

pub const AUTH_METHODS_KEY: &str = "x-auth-methods";
pub const IDENTIFIER_KEY: &str = "x-identifier";
pub const DISPLAY_KEY: &str = "x-display";
pub const UNIQUE_KEY: &str = "x-unique";
pub const EDITABLE_KEY: &str = "x-editable";
pub const SENSITIVE_KEY: &str = "x-sensitive";
/// Root keys of the dialect that are no JSON Schema keywords.
pub const ROOT_KEYS: [&str; 6] = [
    "kind",
    "metaSchema",
    "objectType",
    IDENTIFIER_KEY,
    DISPLAY_KEY,
    AUTH_METHODS_KEY,
];
/// Per-property keywords of the dialect.
pub const PROPERTY_KEYWORDS: [&str; 7] = [
    UNIQUE_KEY,
    EDITABLE_KEY,
    SENSITIVE_KEY,
    "x-mfa",
    "x-claim",
    "x-verify",
    "x-password",
];

/// One of the five ways a user may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthMethod {
    Password,
    Passkey,
    MagicLink,
    Sso,
    Otp,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 5] = [
        AuthMethod::Password,
        AuthMethod::Passkey,
        AuthMethod::MagicLink,
        AuthMethod::Sso,
        AuthMethod::Otp,
    ];

    /// The key under `x-auth-methods`.
    pub fn key(self) -> &'static str {
        match self {
            AuthMethod::Password => "password",
            AuthMethod::Passkey => "passkey",
            AuthMethod::MagicLink => "magic_link",
            AuthMethod::Sso => "sso",
            AuthMethod::Otp => "otp",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuthMethod::Password => "Password",
            AuthMethod::Passkey => "Passkey",
            AuthMethod::MagicLink => "Magic link",
            AuthMethod::Sso => "Single sign-on (SSO)",
            AuthMethod::Otp => "One-time code (OTP)",
        }
    }

    pub fn from_key(key: &str) -> Option<AuthMethod> {
        AuthMethod::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// Whether a document is a nextgen user schema: an object with `"kind": "user-schema"`.
pub fn is_nextgen(value: &Value) -> bool {
    value.get("kind").and_then(Value::as_str) == Some(KIND)
}

/// The user type's name: `objectType`, or the older spelling `userType`.
pub fn object_type(doc: &Value) -> Option<&str> {
    doc.get("objectType")
        .or_else(|| doc.get("userType"))
        .and_then(Value::as_str)
}

/// The methods a document enables, and its SSO providers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Methods {
    pub enabled: BTreeSet<AuthMethod>,
    pub providers: Vec<String>,
}

impl Methods {
    pub fn read(doc: &Value) -> Methods {
        let mut out = Methods::default();
        let Some(Value::Object(map)) = doc.get(AUTH_METHODS_KEY) else {
            return out;
        };
        for (key, value) in map {
            if let Some(m) = AuthMethod::from_key(key)
                && value.get("enabled").and_then(Value::as_bool) == Some(true)
            {
                out.enabled.insert(m);
            }
        }
        if let Some(Value::Array(list)) = map.get("sso").and_then(|s| s.get("providers")) {
            out.providers = list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
        }
        out
    }

    /// The `x-auth-methods` object: every method, enabled or not, in the dialect's order.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        for m in AuthMethod::ALL {
            let mut entry = Map::new();
            let on = self.enabled.contains(&m);
            entry.insert("enabled".into(), Value::Bool(on));
            if m == AuthMethod::Sso && on {
                entry.insert(
                    "providers".into(),
                    Value::Array(
                        self.providers
                            .iter()
                            .map(|p| Value::String(p.clone()))
                            .collect(),
                    ),
                );
            }
            map.insert(m.key().into(), Value::Object(entry));
        }
        Value::Object(map)
    }
}

/// One property of a document, found by following `properties` from the root.
#[derive(Debug, Clone)]
pub struct PropertyRef<'a> {
    /// The names from the root, e.g. `["address", "city"]`.
    pub path: Vec<String>,
    /// Its JSON pointer, e.g. `/properties/address/properties/city`.
    pub pointer: String,
    pub schema: &'a Value,
}

impl PropertyRef<'_> {
    /// The dotted path `x-identifier` and `x-display` use.
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }

    /// A leaf holds a value: it has no `properties` of its own.
    pub fn is_leaf(&self) -> bool {
        !matches!(self.schema.get("properties"), Some(Value::Object(m)) if !m.is_empty())
    }
}

/// Every property reachable through `properties`, parents before children, in key order.
pub fn properties(doc: &Value) -> Vec<PropertyRef<'_>> {
    let mut out = Vec::new();
    collect(doc, &mut Vec::new(), "", &mut out, 0);
    out
}

fn collect<'a>(
    node: &'a Value,
    path: &mut Vec<String>,
    pointer: &str,
    out: &mut Vec<PropertyRef<'a>>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let Some(Value::Object(props)) = node.get("properties") else {
        return;
    };
    for (name, schema) in props {
        let here = format!("{pointer}/properties/{}", escape_token(name));
        path.push(name.clone());
        out.push(PropertyRef {
            path: path.clone(),
            pointer: here.clone(),
            schema,
        });
        collect(schema, path, &here, out, depth + 1);
        path.pop();
    }
}

/// The property a dotted path names (names themselves never hold a dot).
pub fn find_property<'a>(doc: &'a Value, dotted: &str) -> Option<PropertyRef<'a>> {
    let mut node = doc;
    let mut pointer = String::new();
    let mut path = Vec::new();
    for name in dotted.split('.') {
        node = node.get("properties")?.get(name)?;
        pointer.push_str("/properties/");
        pointer.push_str(&escape_token(name));
        path.push(name.to_string());
    }
    (!path.is_empty()).then_some(PropertyRef {
        path,
        pointer,
        schema: node,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn methods_round_trip() {
        let m = Methods {
            enabled: [AuthMethod::Password, AuthMethod::Sso]
                .into_iter()
                .collect(),
            providers: vec!["google".into()],
        };
        let doc = json!({ AUTH_METHODS_KEY: m.to_value() });
        assert_eq!(Methods::read(&doc), m);
    }

    #[test]
    fn finds_nested_properties() {
        let doc = json!({"properties": {"a": {"properties": {"b": {"type": "string"}}}, "c": {}}});
        let all: Vec<_> = properties(&doc).iter().map(PropertyRef::dotted).collect();
        assert_eq!(all, ["a", "a.b", "c"]);
        let b = find_property(&doc, "a.b").unwrap();
        assert_eq!(b.pointer, "/properties/a/properties/b");
        assert!(b.is_leaf());
        assert!(!find_property(&doc, "a").unwrap().is_leaf());
        assert!(find_property(&doc, "a.x").is_none());
    }
}
