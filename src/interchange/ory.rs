//! An Ory Kratos identity schema → a ZITADEL user schema.
//!
//! The traits (`properties.traits`) become the schema; the `ory.sh/kratos` extensions become
//! authenticators (credentials) or the report (verification, recovery, anything else).
//! Kratos schemas are draft-07: `$schema` becomes the ZITADEL meta-schema (2020-12),
//! `definitions` become `$defs` with every reference rewritten, `$id` is left out, and the
//! draft-07 keywords 2020-12 reads differently (`items` as an array, `dependencies`) are
//! rewritten.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::report::{ImportReport, Outcome, Topic};
use super::{Imported, InterchangeError, token};
use crate::schema::AuthenticatorType;
use crate::schema::draft::ZITADEL_META_SCHEMA;

/// The extension keyword of Kratos.
pub const EXTENSION: &str = "ory.sh/kratos";

/// Whether a document is a Kratos identity schema: an object whose `properties.traits` is one,
/// and that says it is Kratos's (an `ory.sh/kratos` extension somewhere in the traits, or
/// draft-07's `$schema`). A ZITADEL schema with a field named `traits` is neither.
pub fn looks_like(value: &Value) -> bool {
    let Some(traits) = value
        .pointer("/properties/traits")
        .filter(|t| t.is_object())
    else {
        return false;
    };
    let draft_07 = value
        .get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("draft-07"));
    draft_07 || mentions_extension(traits, 0)
}

fn mentions_extension(v: &Value, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match v {
        Value::Object(map) => {
            map.contains_key(EXTENSION) || map.values().any(|c| mentions_extension(c, depth + 1))
        }
        Value::Array(items) => items.iter().any(|c| mentions_extension(c, depth + 1)),
        _ => false,
    }
}

struct Walk<'a> {
    report: &'a mut ImportReport,
    authenticators: BTreeSet<AuthenticatorType>,
}

pub fn convert(value: &Value, mut report: ImportReport) -> Result<Imported, InterchangeError> {
    let Value::Object(root) = value else {
        return Err(InterchangeError::shape(
            "",
            "an Ory identity schema must be a JSON object",
        ));
    };
    let Some(Value::Object(traits)) = value.pointer("/properties/traits") else {
        return Err(InterchangeError::shape(
            "/properties/traits",
            "an Ory identity schema needs \"properties\": {\"traits\": {…}}, the object the ZITADEL schema is made of",
        ));
    };
    let mut defs = Map::new();
    let mut carried = Map::new();
    for (key, v) in root {
        let at = format!("/{}", token(key));
        match key.as_str() {
            "$id" => report.push(
                "",
                at,
                None,
                Outcome::NotMapped,
                Topic::Id,
                format!(
                    "the $id {v} is left out: a ZITADEL schema is named by its type, and an $id would change how references resolve"
                ),
            ),
            "$schema" => {
                let dialect = v.as_str().unwrap_or("");
                let what = if dialect.contains("draft-07") {
                    "JSON Schema draft-07".to_string()
                } else {
                    format!("{v}")
                };
                report.push(
                    "",
                    at,
                    Some("/$schema".into()),
                    Outcome::Adjusted,
                    Topic::SchemaDialect,
                    format!(
                        "{what} became {ZITADEL_META_SCHEMA} (draft 2020-12 with the permission keyword); the keywords read differently are rewritten and listed"
                    ),
                );
            }
            "title" | "description" => {
                if traits.contains_key(key) {
                    report.push(
                        "",
                        at,
                        None,
                        Outcome::NotMapped,
                        Topic::Title,
                        format!("the identity's {key} {v} is left out: the traits have their own"),
                    );
                } else {
                    report.push(
                        "",
                        at,
                        Some(format!("/{key}")),
                        Outcome::Adjusted,
                        Topic::Title,
                        format!("the identity's {key} {v} became the schema's"),
                    );
                    carried.insert(key.clone(), v.clone());
                }
            }
            "type" => {}
            "required" if v == &json!(["traits"]) => {}
            "definitions" | "$defs" => {
                if let Value::Object(map) = v {
                    for (name, def) in map {
                        defs.insert(name.clone(), def.clone());
                    }
                    if key == "definitions" {
                        report.push(
                            "",
                            at,
                            Some("/$defs".into()),
                            Outcome::Adjusted,
                            Topic::Definitions,
                            format!(
                                "the {} definition(s) moved to \"$defs\" (2020-12); every \"#/definitions/…\" reference now reads \"#/$defs/…\"",
                                map.len()
                            ),
                        );
                    }
                }
            }
            "properties" => {
                if let Value::Object(props) = v {
                    for name in props.keys().filter(|n| *n != "traits") {
                        report.push(
                            "",
                            format!("/properties/{}", token(name)),
                            None,
                            Outcome::NotMapped,
                            Topic::OtherProperty,
                            format!(
                                "the identity's property \"{name}\" is not a trait; only the traits become the ZITADEL schema"
                            ),
                        );
                    }
                }
            }
            other => report.push(
                "",
                at,
                None,
                Outcome::NotMapped,
                Topic::UnknownKey,
                format!(
                    "\"{other}\" applies to the whole identity, not to its traits; left out"
                ),
            ),
        }
    }

    let mut walk = Walk {
        report: &mut report,
        authenticators: BTreeSet::new(),
    };
    let mut traits_value = Value::Object(traits.clone());
    walk.node(&mut traits_value, "", "/properties/traits", "", true);
    for (name, def) in defs.iter_mut() {
        let from_key = if root.get("definitions").and_then(|d| d.get(name)).is_some() {
            "definitions"
        } else {
            "$defs"
        };
        walk.node(
            def,
            &format!("/$defs/{}", token(name)),
            &format!("/{from_key}/{}", token(name)),
            "",
            false,
        );
    }
    let authenticators = walk.authenticators;

    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(ZITADEL_META_SCHEMA));
    schema.extend(carried);
    if let Value::Object(t) = traits_value {
        for (k, v) in t {
            if k == "$schema" || k == "$id" {
                continue;
            }
            if k == "$defs" {
                if let Value::Object(inner) = v {
                    for (name, def) in inner {
                        defs.entry(name).or_insert(def);
                    }
                }
                continue;
            }
            schema.insert(k, v);
        }
    }
    if !defs.is_empty() {
        schema.insert("$defs".into(), Value::Object(defs));
    }
    report.push(
        "",
        "/properties/traits",
        None,
        Outcome::Note,
        Topic::Permissions,
        "Kratos has no per-trait permissions (the user edits traits in the settings flow, administrators through the admin API): every field is left unrestricted, so administrators and the user read and write it",
    );
    if authenticators.is_empty() {
        report.push(
            "",
            "/properties/traits",
            Some("/possibleAuthenticators".into()),
            Outcome::Note,
            Topic::Authenticators,
            "no trait is a credential identifier (password, webauthn, passkey, totp or code): no authenticator is allowed yet",
        );
    }
    Ok(Imported {
        schema: Value::Object(schema),
        authenticators,
        report,
    })
}

impl Walk<'_> {
    /// Converts one subschema in place. `ptr` is its pointer in the new schema, `source` in
    /// the Ory document, `subject` the dotted trait path.
    fn node(&mut self, node: &mut Value, ptr: &str, source: &str, subject: &str, is_root: bool) {
        let Value::Object(map) = node else { return };
        if let Some(ext) = map.shift_remove(EXTENSION) {
            self.extension(&ext, subject, &format!("{source}/{}", token(EXTENSION)));
        }
        for key in ["$id", "$schema"] {
            if !is_root && let Some(v) = map.shift_remove(key) {
                self.report.push(
                    subject,
                    format!("{source}/{}", token(key)),
                    None,
                    Outcome::NotMapped,
                    if key == "$id" {
                        Topic::Id
                    } else {
                        Topic::SchemaDialect
                    },
                    format!("the nested {key} {v} is left out"),
                );
            }
        }
        if let Some(Value::String(r)) = map.get_mut("$ref") {
            self.reference(r, subject, &format!("{source}/$ref"));
        }
        if let Some(Value::String(f)) = map.get("format")
            && f == "tel"
        {
            self.report.push(
                subject,
                format!("{source}/format"),
                Some(format!("{ptr}/format")),
                Outcome::NotMapped,
                Topic::KratosFormat,
                "\"format\": \"tel\" is checked by Kratos (a phone number) but is unknown to ZITADEL: it is kept, and nothing checks it; add a \"pattern\" such as ^\\+[1-9][0-9]{6,14}$ if you need one",
            );
        }
        // Keys renamed here, new name → the name in the source.
        let mut renamed: Vec<(&str, &str)> = Vec::new();
        if map.get("items").is_some_and(Value::is_array) {
            rename_key(map, "items", "prefixItems");
            renamed.push(("prefixItems", "items"));
            if map.contains_key("additionalItems") {
                rename_key(map, "additionalItems", "items");
                renamed.push(("items", "additionalItems"));
            }
            self.report.push(
                subject,
                format!("{source}/items"),
                Some(format!("{ptr}/prefixItems")),
                Outcome::Adjusted,
                Topic::KeywordConverted,
                "draft-07's \"items\" as an array became 2020-12's \"prefixItems\" (and \"additionalItems\" became \"items\")",
            );
        }
        if let Some(Value::Object(deps)) = map.get("dependencies").cloned() {
            let mut required = Map::new();
            let mut schemas = Map::new();
            for (k, v) in deps {
                if v.is_array() {
                    required.insert(k, v);
                } else {
                    schemas.insert(k, v);
                }
            }
            map.shift_remove("dependencies");
            if !required.is_empty() {
                map.insert("dependentRequired".into(), Value::Object(required));
            }
            if !schemas.is_empty() {
                map.insert("dependentSchemas".into(), Value::Object(schemas));
            }
            self.report.push(
                subject,
                format!("{source}/dependencies"),
                Some(ptr.to_string()),
                Outcome::Adjusted,
                Topic::KeywordConverted,
                "draft-07's \"dependencies\" became \"dependentRequired\" (lists of names) and \"dependentSchemas\" (subschemas)",
            );
        }
        if !is_root && map.contains_key("definitions") {
            rename_key(map, "definitions", "$defs");
            renamed.push(("$defs", "definitions"));
            self.report.push(
                subject,
                format!("{source}/definitions"),
                Some(format!("{ptr}/$defs")),
                Outcome::Adjusted,
                Topic::Definitions,
                "nested \"definitions\" became \"$defs\"",
            );
        }
        // Recurse into the subschemas.
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            let Some(child) = map.get_mut(&key) else {
                continue;
            };
            match key.as_str() {
                "properties" | "patternProperties" | "$defs" | "definitions"
                | "dependentSchemas" => {
                    if let Value::Object(children) = child {
                        for (name, sub) in children.iter_mut() {
                            let sub_subject = if key == "properties" {
                                if subject.is_empty() {
                                    name.clone()
                                } else {
                                    format!("{subject}.{name}")
                                }
                            } else {
                                subject.to_string()
                            };
                            let src_key = source_key(&renamed, &key);
                            self.node(
                                sub,
                                &format!("{ptr}/{key}/{}", token(name)),
                                &format!("{source}/{src_key}/{}", token(name)),
                                &sub_subject,
                                false,
                            );
                        }
                    }
                }
                "items"
                | "additionalProperties"
                | "additionalItems"
                | "contains"
                | "not"
                | "if"
                | "then"
                | "else"
                | "propertyNames" => {
                    self.node(
                        child,
                        &format!("{ptr}/{key}"),
                        &format!("{source}/{}", source_key(&renamed, &key)),
                        subject,
                        false,
                    );
                }
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                    if let Value::Array(items) = child {
                        for (i, sub) in items.iter_mut().enumerate() {
                            self.node(
                                sub,
                                &format!("{ptr}/{key}/{i}"),
                                &format!("{source}/{}/{i}", source_key(&renamed, &key)),
                                subject,
                                false,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn reference(&mut self, r: &mut String, subject: &str, source: &str) {
        let rewritten = if let Some(rest) = r.strip_prefix("#/definitions/") {
            Some(format!("#/$defs/{rest}"))
        } else if r.starts_with("#/$defs/") {
            None
        } else if let Some(rest) = r.strip_prefix("#/properties/traits") {
            if rest.is_empty() || rest.starts_with('/') {
                Some(format!("#{rest}"))
            } else {
                self.unresolvable(r, subject, source);
                None
            }
        } else {
            self.unresolvable(r, subject, source);
            None
        };
        if let Some(new) = rewritten {
            *r = new;
        }
    }

    fn unresolvable(&mut self, r: &str, subject: &str, source: &str) {
        self.report.push(
            subject,
            source,
            None,
            Outcome::NotMapped,
            Topic::Reference,
            format!(
                "the reference \"{r}\" points outside the traits (or to another document, and schemas never fetch URLs): the ZITADEL schema cannot resolve it; replace it with the schema it points to"
            ),
        );
    }

    fn extension(&mut self, ext: &Value, subject: &str, source: &str) {
        let Value::Object(ext) = ext else {
            self.report.push(
                subject,
                source,
                None,
                Outcome::NotMapped,
                Topic::UnknownExtension,
                format!("the {EXTENSION} extension {ext} is not an object; left out"),
            );
            return;
        };
        let field = if subject.is_empty() {
            "the traits".to_string()
        } else {
            format!("\"{subject}\"")
        };
        for (key, v) in ext {
            let at = format!("{source}/{}", token(key));
            match key.as_str() {
                "credentials" => {
                    let Value::Object(creds) = v else {
                        self.report.push(
                            subject,
                            at,
                            None,
                            Outcome::NotMapped,
                            Topic::UnknownCredential,
                            "\"credentials\" is not an object; left out",
                        );
                        continue;
                    };
                    for (kind, config) in creds {
                        self.credential(
                            kind,
                            config,
                            subject,
                            &field,
                            &format!("{at}/{}", token(kind)),
                        );
                    }
                }
                "verification" | "recovery" => {
                    let via = v.get("via").and_then(Value::as_str).unwrap_or("email");
                    let topic = if key == "verification" {
                        Topic::Verification
                    } else {
                        Topic::Recovery
                    };
                    let what = if key == "verification" {
                        format!("Kratos verifies {field} by {via}")
                    } else {
                        format!("Kratos recovers accounts through {field} by {via}")
                    };
                    self.report.push(
                        subject,
                        at,
                        None,
                        Outcome::NotMapped,
                        topic,
                        format!(
                            "{what}; ZITADEL verifies and recovers through the user's contact email and phone, which are not part of the schema: set them up there"
                        ),
                    );
                }
                other => self.report.push(
                    subject,
                    at,
                    None,
                    Outcome::NotMapped,
                    Topic::UnknownExtension,
                    format!(
                        "the {EXTENSION} setting \"{other}\" = {v} has no equivalent; left out"
                    ),
                ),
            }
        }
    }

    fn credential(&mut self, kind: &str, config: &Value, subject: &str, field: &str, at: &str) {
        let flag = |k: &str| config.get(k).and_then(Value::as_bool) == Some(true);
        let (types, message): (Vec<AuthenticatorType>, String) = match kind {
            "password" if flag("identifier") => (
                vec![AuthenticatorType::Username, AuthenticatorType::Password],
                format!(
                    "{field} identifies the user for a password: USERNAME + PASSWORD (in ZITADEL the login name belongs to the username authenticator, apart from this field)"
                ),
            ),
            "webauthn" if flag("identifier") => (
                vec![AuthenticatorType::Webauthn],
                format!("{field} identifies the user for WebAuthn: WEBAUTHN"),
            ),
            "passkey" if flag("display_name") || flag("identifier") => (
                vec![AuthenticatorType::Webauthn],
                format!("{field} names the user's passkeys: WEBAUTHN"),
            ),
            "totp" if flag("account_name") => (
                vec![AuthenticatorType::Totp],
                format!("{field} names the user's authenticator app: TOTP"),
            ),
            "code" if flag("identifier") => {
                let via = config.get("via").and_then(Value::as_str);
                match via {
                    Some("sms") => (
                        vec![AuthenticatorType::OtpSms],
                        format!("{field} receives one-time codes by SMS: OTP_SMS"),
                    ),
                    Some("email") | None => (
                        vec![AuthenticatorType::OtpEmail],
                        format!(
                            "{field} receives one-time codes by email{}: OTP_EMAIL",
                            if via.is_none() {
                                " (no \"via\": Kratos's default)"
                            } else {
                                ""
                            }
                        ),
                    ),
                    Some(other) => {
                        self.report.push(
                            subject,
                            at,
                            None,
                            Outcome::NotMapped,
                            Topic::UnknownCredential,
                            format!(
                                "codes sent via \"{other}\" have no ZITADEL authenticator; left out"
                            ),
                        );
                        return;
                    }
                }
            }
            "password" | "webauthn" | "passkey" | "totp" | "code" => {
                self.report.push(
                    subject,
                    at,
                    None,
                    Outcome::NotMapped,
                    Topic::UnknownCredential,
                    format!(
                        "the {kind} credential {config} does not use {field} to identify the user; no authenticator"
                    ),
                );
                return;
            }
            other => {
                self.report.push(
                    subject,
                    at,
                    None,
                    Outcome::NotMapped,
                    Topic::UnknownCredential,
                    format!("the credential \"{other}\" has no ZITADEL authenticator; left out"),
                );
                return;
            }
        };
        self.authenticators.extend(types);
        self.report.push(
            subject,
            at,
            Some("/possibleAuthenticators".into()),
            Outcome::Adjusted,
            Topic::Credential,
            message,
        );
    }
}

/// The name a (possibly renamed) key had in the source.
fn source_key<'a>(renamed: &[(&str, &'a str)], key: &'a str) -> &'a str {
    renamed
        .iter()
        .find(|(new, _)| *new == key)
        .map_or(key, |(_, old)| *old)
}

/// Renames a key keeping its place.
fn rename_key(map: &mut Map<String, Value>, from: &str, to: &str) {
    let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    for (k, v) in entries {
        if k == from {
            map.insert(to.to_string(), v);
        } else {
            map.insert(k, v);
        }
    }
}
