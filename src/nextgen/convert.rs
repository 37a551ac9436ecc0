//! Conversion between a v3alpha draft (`{type, schema, possibleAuthenticators}`) and a
//! nextgen document, with a field-by-field report of everything that did not map exactly.
//!
//! The mapping: USERNAME ↔ `x-identifier` (on a property made `x-unique: "project"`),
//! PASSWORD ↔ `password`, WEBAUTHN ↔ `passkey`, OTP_EMAIL / OTP_SMS / TOTP → `otp`,
//! IDENTITY_PROVIDER ↔ `sso` (providers to fill in), AUTHENTICATION_KEY has no counterpart;
//! self `rw` ↔ `x-editable: true`, self `r` ↔ `x-editable: false`, a field hidden from the
//! user → `x-sensitive: true`; `type` ↔ `objectType`.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value};

use super::dialect::{
    self, AUTH_METHODS_KEY, AuthMethod, DEFAULT_META_SCHEMA, DISPLAY_KEY, EDITABLE_KEY,
    IDENTIFIER_KEY, JSON_SCHEMA_2020_12, KIND, Methods, PROPERTY_KEYWORDS, RESERVED_NAMES,
    SENSITIVE_KEY, UNIQUE_KEY,
};
use crate::schema::draft::ZITADEL_META_SCHEMA;
use crate::schema::permission::{Access, PERMISSION_KEYWORD, Permission};
use crate::schema::position::escape_token;
use crate::schema::{AuthenticatorType, UserSchemaDraft};

/// Something that did not map one to one, at a pointer into the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// Where in the source (`/schema/properties/x` for a v3alpha field,
    /// `/possibleAuthenticators` for an authenticator, a pointer into the document for nextgen).
    pub pointer: String,
    pub message: String,
}

/// A converted schema and what did not map.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion<T> {
    pub result: T,
    pub report: Vec<Unmapped>,
}

/// Choices for v3alpha → nextgen.
#[derive(Debug, Clone, Default)]
pub struct ToNextgenOptions {
    /// The SSO providers' slugs: IDENTITY_PROVIDER enables `sso` only when some are given,
    /// as an enabled `sso` must list them.
    pub sso_providers: Vec<String>,
    /// The `metaSchema` to write (default [`DEFAULT_META_SCHEMA`]).
    pub meta_schema: Option<String>,
}

/// Names tried, in order, for the identifier when USERNAME (or a password) asks for one.
const IDENTIFIER_CANDIDATES: [&str; 4] = ["username", "userName", "loginName", "email"];
/// The property added when no candidate exists.
const ADDED_IDENTIFIER: &str = "username";

/// Converts a v3alpha draft into a nextgen document.
pub fn to_nextgen(draft: &UserSchemaDraft, options: &ToNextgenOptions) -> Conversion<Value> {
    let mut report = Vec::new();
    let note = |report: &mut Vec<Unmapped>, pointer: String, message: String| {
        report.push(Unmapped { pointer, message });
    };
    let Value::Object(source) = &draft.schema else {
        let mut c = to_nextgen(
            &UserSchemaDraft {
                schema: Value::Object(Map::new()),
                ..draft.clone()
            },
            options,
        );
        c.report.insert(
            0,
            Unmapped {
                pointer: "/schema".into(),
                message: "the schema is not an object; an empty one was used".into(),
            },
        );
        return c;
    };
    let mut schema = source.clone();

    // Permissions → x-editable / x-sensitive, on every property at every depth.
    if schema.shift_remove(PERMISSION_KEYWORD).is_some() {
        note(
            &mut report,
            format!("/schema/{}", escape_token(PERMISSION_KEYWORD)),
            "the root's permission has no counterpart in nextgen and was dropped".into(),
        );
    }
    convert_permissions(&mut schema, "/schema", &mut report);
    rename_refused(&mut schema, "/schema", &mut report);

    // Authenticators → x-auth-methods.
    let auths = &draft.possible_authenticators;
    let mut methods = Methods::default();
    let at = "/possibleAuthenticators".to_string();
    if auths.contains(&AuthenticatorType::Password) {
        methods.enabled.insert(AuthMethod::Password);
    }
    if auths.contains(&AuthenticatorType::Webauthn) {
        methods.enabled.insert(AuthMethod::Passkey);
    }
    let otps: Vec<_> = [
        AuthenticatorType::Totp,
        AuthenticatorType::OtpEmail,
        AuthenticatorType::OtpSms,
    ]
    .into_iter()
    .filter(|a| auths.contains(a))
    .collect();
    if !otps.is_empty() {
        methods.enabled.insert(AuthMethod::Otp);
        note(
            &mut report,
            at.clone(),
            format!(
                "{} became the one method otp: nextgen does not tell app, email and SMS codes apart in the schema",
                otps.iter()
                    .map(|a| a.wire_name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if auths.contains(&AuthenticatorType::IdentityProvider) {
        if options.sso_providers.is_empty() {
            note(
                &mut report,
                at.clone(),
                "AUTHENTICATOR_TYPE_IDENTITY_PROVIDER: sso was left disabled because an enabled sso must list its providers; fill in their slugs (convert --sso-provider SLUG) and enable it".into(),
            );
        } else {
            methods.enabled.insert(AuthMethod::Sso);
            methods.providers = options.sso_providers.clone();
        }
    }
    if auths.contains(&AuthenticatorType::AuthenticationKey) {
        note(
            &mut report,
            at.clone(),
            "AUTHENTICATOR_TYPE_AUTHENTICATION_KEY (machine keys) has no counterpart in nextgen and was dropped".into(),
        );
    }

    // USERNAME (or a password, which needs one) → x-identifier on a unique leaf.
    let wants_identifier = auths.contains(&AuthenticatorType::Username)
        || methods.enabled.contains(&AuthMethod::Password);
    let mut identifier = None;
    if wants_identifier {
        let props = schema
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(props) = props {
            let found = IDENTIFIER_CANDIDATES.into_iter().find(|name| {
                props.get(*name).is_some_and(|p| {
                    p.get("type").and_then(Value::as_str) == Some("string")
                        && p.get("properties").is_none()
                })
            });
            let name = match found {
                Some(n) => n.to_string(),
                None => {
                    let mut name = ADDED_IDENTIFIER.to_string();
                    let mut n = 2;
                    while props.contains_key(&name) {
                        name = format!("{ADDED_IDENTIFIER}{n}");
                        n += 1;
                    }
                    let mut p = Map::new();
                    p.insert("type".into(), Value::String("string".into()));
                    p.insert("title".into(), Value::String("Username".into()));
                    p.insert(UNIQUE_KEY.into(), Value::String("project".into()));
                    p.insert(EDITABLE_KEY.into(), Value::Bool(true));
                    props.insert(name.clone(), Value::Object(p));
                    note(
                        &mut report,
                        at.clone(),
                        format!(
                            "AUTHENTICATOR_TYPE_USERNAME: v3alpha keeps the username outside the schema; the property \"{name}\" (unique in the project) was added to hold it and named in x-identifier"
                        ),
                    );
                    name
                }
            };
            if let Some(Value::Object(p)) = props.get_mut(&name)
                && p.get(UNIQUE_KEY).and_then(Value::as_str) != Some("project")
            {
                p.insert(UNIQUE_KEY.into(), Value::String("project".into()));
                if found.is_some() {
                    note(
                        &mut report,
                        format!("/schema/properties/{}", escape_token(&name)),
                        format!(
                            "AUTHENTICATOR_TYPE_USERNAME: \"{name}\" became the identifier and was made unique in the project (x-unique: \"project\")"
                        ),
                    );
                }
            }
            identifier = Some(name);
        }
    }

    // The document, dialect keys first.
    let mut doc = Map::new();
    doc.insert("$schema".into(), Value::String(JSON_SCHEMA_2020_12.into()));
    doc.insert("kind".into(), Value::String(KIND.into()));
    doc.insert(
        "metaSchema".into(),
        Value::String(
            options
                .meta_schema
                .clone()
                .unwrap_or_else(|| DEFAULT_META_SCHEMA.into()),
        ),
    );
    doc.insert("objectType".into(), Value::String(draft.type_name.clone()));
    if let Some(id) = identifier {
        doc.insert(IDENTIFIER_KEY.into(), Value::String(id));
    }
    doc.insert(AUTH_METHODS_KEY.into(), methods.to_value());
    for (key, value) in schema {
        match key.as_str() {
            "$schema" => {
                if value.as_str() != Some(ZITADEL_META_SCHEMA) && value.as_str() != Some(JSON_SCHEMA_2020_12) {
                    note(
                        &mut report,
                        "/schema/$schema".into(),
                        format!("$schema {value} was replaced by JSON Schema 2020-12"),
                    );
                }
            }
            "$id" => note(
                &mut report,
                "/schema/$id".into(),
                "$id was dropped: nextgen uses a document's $id as its revision id, and a workspace never writes one".into(),
            ),
            k if dialect::ROOT_KEYS.contains(&k) => note(
                &mut report,
                format!("/schema/{}", escape_token(k)),
                format!("\"{k}\" is a key of the nextgen dialect; the schema's own value was dropped"),
            ),
            _ => {
                doc.insert(key, value);
            }
        }
    }
    Conversion {
        result: Value::Object(doc),
        report,
    }
}

/// Walks `properties` at every depth, replacing the permission keyword.
fn convert_permissions(node: &mut Map<String, Value>, pointer: &str, report: &mut Vec<Unmapped>) {
    let Some(Value::Object(props)) = node.get_mut("properties") else {
        return;
    };
    for (name, sub) in props.iter_mut() {
        let here = format!("{pointer}/properties/{}", escape_token(name));
        let Value::Object(p) = sub else { continue };
        if p.contains_key(PERMISSION_KEYWORD) {
            let perm = Permission::of(&Value::Object(p.clone()));
            p.shift_remove(PERMISSION_KEYWORD);
            if perm.owner != Access::ReadWrite {
                report.push(Unmapped {
                    pointer: here.clone(),
                    message: format!(
                        "administrators had \"{}\" access; nextgen has no per-field permission for them (they may read and write every field)",
                        perm.owner.label()
                    ),
                });
            }
            match perm.user {
                Access::ReadWrite => {
                    p.insert(EDITABLE_KEY.into(), Value::Bool(true));
                }
                Access::Read => {
                    p.insert(EDITABLE_KEY.into(), Value::Bool(false));
                }
                Access::Write => {
                    p.insert(EDITABLE_KEY.into(), Value::Bool(true));
                    report.push(Unmapped {
                        pointer: here.clone(),
                        message: "the user could write but not read this field; nextgen cannot say that, so it became editable (x-editable: true)".into(),
                    });
                }
                Access::Hidden => {
                    p.insert(EDITABLE_KEY.into(), Value::Bool(false));
                    p.insert(SENSITIVE_KEY.into(), Value::Bool(true));
                    report.push(Unmapped {
                        pointer: here.clone(),
                        message: "the field was hidden from the user; nextgen cannot hide a field, so it became sensitive and not editable (x-sensitive: true, x-editable: false)".into(),
                    });
                }
            }
        }
        convert_permissions(p, &here, report);
    }
}

/// Renames properties nextgen refuses (dots, `id`, `metadata`), fixing `required` beside them.
fn rename_refused(node: &mut Map<String, Value>, pointer: &str, report: &mut Vec<Unmapped>) {
    let Some(Value::Object(props)) = node.get_mut("properties") else {
        return;
    };
    let mut renames = Vec::new();
    let old = std::mem::take(props);
    for (name, mut sub) in old {
        let mut new_name = name.replace('.', "_");
        if RESERVED_NAMES.contains(&new_name.as_str()) {
            new_name = format!("user_{new_name}");
        }
        while new_name != name && props.contains_key(&new_name) {
            new_name.push('_');
        }
        let here = format!("{pointer}/properties/{}", escape_token(&new_name));
        if let Value::Object(m) = &mut sub {
            rename_refused(m, &here, report);
        }
        if new_name != name {
            report.push(Unmapped {
                pointer: format!("{pointer}/properties/{}", escape_token(&name)),
                message: format!(
                    "nextgen refuses the property name \"{name}\" (no dots, not id or metadata); it became \"{new_name}\": user data needs the same rename"
                ),
            });
            renames.push((name, new_name.clone()));
        }
        props.insert(new_name, sub);
    }
    if let Some(Value::Array(required)) = node.get_mut("required") {
        for item in required.iter_mut() {
            if let Some((_, new)) = renames
                .iter()
                .find(|(old, _)| item.as_str() == Some(old.as_str()))
            {
                *item = Value::String(new.clone());
            }
        }
    }
}

/// Converts a nextgen document into a v3alpha draft. `fallback_type` names it when the
/// document has no `objectType`.
pub fn to_v3alpha(doc: &Value, fallback_type: &str) -> Conversion<UserSchemaDraft> {
    let mut report = Vec::new();
    let empty = Map::new();
    let source = doc.as_object().unwrap_or(&empty);
    let type_name = match dialect::object_type(doc) {
        Some(t) if !t.is_empty() => {
            let t: String = t
                .chars()
                .take(crate::schema::draft::TYPE_MAX_CHARS)
                .collect();
            if doc.get("objectType").is_none() {
                report.push(Unmapped {
                    pointer: "/userType".into(),
                    message: "the older spelling userType was read as objectType".into(),
                });
            }
            t
        }
        _ => {
            report.push(Unmapped {
                pointer: String::new(),
                message: format!(
                    "the document has no objectType; the type \"{fallback_type}\" was used"
                ),
            });
            fallback_type.to_string()
        }
    };
    let methods = Methods::read(doc);
    let mut auths = BTreeSet::new();
    let at = format!("/{AUTH_METHODS_KEY}");
    for m in &methods.enabled {
        match m {
            AuthMethod::Password => {
                auths.insert(AuthenticatorType::Password);
            }
            AuthMethod::Passkey => {
                auths.insert(AuthenticatorType::Webauthn);
            }
            AuthMethod::Otp => {
                auths.extend([
                    AuthenticatorType::Totp,
                    AuthenticatorType::OtpEmail,
                    AuthenticatorType::OtpSms,
                ]);
                report.push(Unmapped {
                    pointer: format!("{at}/otp"),
                    message: "otp became TOTP, OTP_EMAIL and OTP_SMS; untick the kinds of code you do not offer".into(),
                });
            }
            AuthMethod::Sso => {
                auths.insert(AuthenticatorType::IdentityProvider);
                if !methods.providers.is_empty() {
                    report.push(Unmapped {
                        pointer: format!("{at}/sso/providers"),
                        message: format!(
                            "v3alpha names no providers in the schema; these are set up on the instance instead: {}",
                            methods.providers.join(", ")
                        ),
                    });
                }
            }
            AuthMethod::MagicLink => report.push(Unmapped {
                pointer: format!("{at}/magic_link"),
                message: "magic_link has no counterpart in v3alpha and was dropped".into(),
            }),
        }
    }
    let mut schema = Map::new();
    schema.insert("$schema".into(), Value::String(ZITADEL_META_SCHEMA.into()));
    for (key, value) in source {
        match key.as_str() {
            "$schema" | "kind" | "metaSchema" | "objectType" | "userType" | AUTH_METHODS_KEY => {}
            IDENTIFIER_KEY => {
                auths.insert(AuthenticatorType::Username);
                report.push(Unmapped {
                    pointer: format!("/{IDENTIFIER_KEY}"),
                    message: format!(
                        "x-identifier became AUTHENTICATOR_TYPE_USERNAME: the username is kept outside the schema in v3alpha, so \"{}\" stays an ordinary field",
                        value.as_str().unwrap_or_default()
                    ),
                });
            }
            DISPLAY_KEY => report.push(Unmapped {
                pointer: format!("/{DISPLAY_KEY}"),
                message: "x-display (the display name's fields) has no counterpart in v3alpha and was dropped".into(),
            }),
            "$id" => report.push(Unmapped {
                pointer: "/$id".into(),
                message: "$id (the nextgen revision id) was dropped".into(),
            }),
            _ => {
                schema.insert(key.clone(), value.clone());
            }
        }
    }
    back_to_permissions(&mut schema, "", &mut report);
    Conversion {
        result: UserSchemaDraft {
            type_name,
            schema: Value::Object(schema),
            possible_authenticators: auths,
        },
        report,
    }
}

/// Replaces the per-property keywords by the permission keyword, at every depth.
fn back_to_permissions(node: &mut Map<String, Value>, pointer: &str, report: &mut Vec<Unmapped>) {
    let Some(Value::Object(props)) = node.get_mut("properties") else {
        return;
    };
    for (name, sub) in props.iter_mut() {
        let here = format!("{pointer}/properties/{}", escape_token(name));
        let Value::Object(p) = sub else { continue };
        let editable = p.get(EDITABLE_KEY).and_then(Value::as_bool).unwrap_or(true);
        let user = if editable {
            Access::ReadWrite
        } else {
            Access::Read
        };
        for key in PROPERTY_KEYWORDS {
            let Some(value) = p.shift_remove(key) else {
                continue;
            };
            let message = match key {
                EDITABLE_KEY => continue,
                SENSITIVE_KEY if value == Value::Bool(true) => {
                    "x-sensitive has no counterpart in v3alpha; the field stays visible to the user (hide it by hand if it must be)".to_string()
                }
                SENSITIVE_KEY => continue,
                UNIQUE_KEY if value.as_str() == Some("unspecified") => continue,
                UNIQUE_KEY => format!(
                    "x-unique {value} was dropped: v3alpha does not enforce unique values"
                ),
                _ if value.is_null() || value == Value::Bool(false) => continue,
                _ => format!("{key} {value} has no counterpart in v3alpha and was dropped"),
            };
            report.push(Unmapped {
                pointer: format!("{here}/{key}"),
                message,
            });
        }
        Permission {
            owner: Access::ReadWrite,
            user,
        }
        .apply_always(p);
        back_to_permissions(p, &here, report);
    }
}

/// Writes the permission keyword even when unrestricted: a converted schema says what it means.
trait ApplyAlways {
    fn apply_always(self, subschema: &mut Map<String, Value>);
}

impl ApplyAlways for Permission {
    fn apply_always(self, subschema: &mut Map<String, Value>) {
        let mut map = Map::new();
        if let Some(l) = self.owner.to_letters() {
            map.insert("owner".into(), Value::String(l.into()));
        }
        if let Some(l) = self.user.to_letters() {
            map.insert("self".into(), Value::String(l.into()));
        }
        subschema.insert(PERMISSION_KEYWORD.into(), Value::Object(map));
    }
}
