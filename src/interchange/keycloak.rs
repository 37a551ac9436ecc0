//! Keycloak's declarative user profile → a ZITADEL user schema.
//!
//! The profile is what `GET /admin/realms/{realm}/users/profile` returns (and what the admin
//! console's "JSON editor" shows): `attributes[]`, `groups[]` and `unmanagedAttributePolicy`.
//! A realm export holding the profile in its `UserProfileProvider` component is read too.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::report::{ImportReport, Outcome, Topic};
use super::{Imported, InterchangeError, count_of, number_of, pattern_compiles, token};
use crate::schema::AuthenticatorType;
use crate::schema::draft::ZITADEL_META_SCHEMA;
use crate::schema::permission::{Access, Permission};

/// The component of a realm export that holds the profile as a JSON string.
const PROVIDER: &str = "org.keycloak.userprofile.UserProfileProvider";
const CONFIG_KEY: &str = "kc.user.profile.config";

/// Whether a document is a Keycloak user profile (or a realm export holding one).
pub fn looks_like(value: &Value) -> bool {
    match value {
        // JSON Schema keywords at the root mean a schema, whatever else it holds.
        Value::Object(map)
            if ["$schema", "type", "properties"]
                .iter()
                .any(|k| map.contains_key(*k)) =>
        {
            false
        }
        Value::Object(map) => {
            map.get("attributes").is_some_and(|a| {
                a.as_array()
                    .is_some_and(|items| items.iter().all(|i| i.get("name").is_some()))
            }) || embedded_profile(value).is_some()
        }
        _ => false,
    }
}

/// The profile inside a realm export: `components["org.keycloak.userprofile.UserProfileProvider"][0].config["kc.user.profile.config"][0]`.
fn embedded_profile(value: &Value) -> Option<(String, &str)> {
    let list = value.get("components")?.get(PROVIDER)?.as_array()?;
    for (i, component) in list.iter().enumerate() {
        if let Some(text) = component
            .get("config")
            .and_then(|c| c.get(CONFIG_KEY))
            .and_then(|c| c.get(0))
            .and_then(Value::as_str)
        {
            let pointer = format!(
                "/components/{}/{i}/config/{}/0",
                token(PROVIDER),
                token(CONFIG_KEY)
            );
            return Some((pointer, text));
        }
    }
    None
}

/// Converts a profile (or a realm export holding one).
pub fn convert(value: &Value, mut report: ImportReport) -> Result<Imported, InterchangeError> {
    if value.get("attributes").is_none()
        && let Some((pointer, text)) = embedded_profile(value)
    {
        let inner = super::parse(text).map_err(|e| {
            InterchangeError::shape(pointer.clone(), format!("the embedded profile: {e}"))
        })?;
        report.push(
            "",
            pointer,
            None,
            Outcome::Note,
            Topic::UnknownKey,
            "a realm export: only its user profile was read; everything else of the realm is ignored",
        );
        return convert_profile(&inner, report);
    }
    convert_profile(value, report)
}

fn convert_profile(value: &Value, mut report: ImportReport) -> Result<Imported, InterchangeError> {
    let Value::Object(root) = value else {
        return Err(InterchangeError::shape(
            "",
            "a Keycloak user profile must be a JSON object with \"attributes\"",
        ));
    };
    let Some(Value::Array(attributes)) = root.get("attributes") else {
        return Err(InterchangeError::shape(
            "/attributes",
            "a Keycloak user profile needs \"attributes\": an array of attributes",
        ));
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut names = BTreeSet::new();
    for (i, attr) in attributes.iter().enumerate() {
        let at = format!("/attributes/{i}");
        let Value::Object(attr) = attr else {
            return Err(InterchangeError::shape(
                at,
                "an attribute must be an object",
            ));
        };
        let name = match attr.get("name") {
            Some(Value::String(n)) if !n.trim().is_empty() => n.clone(),
            _ => {
                return Err(InterchangeError::shape(
                    format!("{at}/name"),
                    "an attribute needs a \"name\" (a non-empty string)",
                ));
            }
        };
        if !names.insert(name.clone()) {
            return Err(InterchangeError::shape(
                format!("{at}/name"),
                format!("the attribute \"{name}\" is defined twice"),
            ));
        }
        let (sub, is_required) = attribute(&name, attr, &at, root, &mut report)?;
        if is_required {
            required.push(Value::String(name.clone()));
        }
        properties.insert(name, Value::Object(sub));
    }
    for (key, v) in root {
        match key.as_str() {
            "attributes" => {}
            "groups" => groups(v, &mut report),
            "unmanagedAttributePolicy" => report.push(
                "",
                "/unmanagedAttributePolicy",
                None,
                Outcome::NotMapped,
                Topic::UnmanagedAttributePolicy,
                format!(
                    "the unmanaged-attribute policy {v} has no equivalent: a ZITADEL schema without \"additionalProperties\": false accepts other properties, and they are validated by nothing"
                ),
            ),
            other => report.push(
                "",
                format!("/{}", token(other)),
                None,
                Outcome::NotMapped,
                Topic::UnknownKey,
                format!("\"{other}\" is not part of a user profile the import knows; left out"),
            ),
        }
    }
    let authenticators = BTreeSet::from([AuthenticatorType::Username, AuthenticatorType::Password]);
    report.push(
        "",
        "",
        Some("/possibleAuthenticators".into()),
        Outcome::Note,
        Topic::Authenticators,
        "Keycloak sets how users sign in in its authentication flows, not in the user profile: USERNAME and PASSWORD (Keycloak's default browser flow) were chosen; review them",
    );
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(ZITADEL_META_SCHEMA));
    schema.insert("type".into(), json!("object"));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("properties".into(), Value::Object(properties));
    Ok(Imported {
        schema: Value::Object(schema),
        authenticators,
        report,
    })
}

fn groups(v: &Value, report: &mut ImportReport) {
    let Value::Array(list) = v else {
        report.push(
            "",
            "/groups",
            None,
            Outcome::NotMapped,
            Topic::Group,
            "\"groups\" is not an array; left out",
        );
        return;
    };
    for (i, g) in list.iter().enumerate() {
        let name = g.get("name").and_then(Value::as_str).unwrap_or("?");
        let header = g
            .get("displayHeader")
            .and_then(Value::as_str)
            .map(|h| format!(" (\"{h}\")"))
            .unwrap_or_default();
        report.push(
            "",
            format!("/groups/{i}"),
            None,
            Outcome::NotMapped,
            Topic::Group,
            format!(
                "the group \"{name}\"{header} only arranges the forms of Keycloak; a ZITADEL schema has no form groups (its fields stay flat, as in Keycloak's data)"
            ),
        );
    }
}

/// One attribute: its subschema and whether it is listed in `required`.
fn attribute(
    name: &str,
    attr: &Map<String, Value>,
    at: &str,
    root: &Map<String, Value>,
    report: &mut ImportReport,
) -> Result<(Map<String, Value>, bool), InterchangeError> {
    let target = format!("/properties/{}", token(name));
    let multivalued = attr.get("multivalued").and_then(Value::as_bool) == Some(true);
    let mut field = Map::new();
    // Keywords of one value: on the field itself, or on `items` when multivalued.
    let mut value = Map::new();
    let mut array_limits = Map::new();
    value.insert("type".into(), json!("string"));

    if let Some(title) = attr.get("displayName").and_then(Value::as_str) {
        let trimmed = title.trim();
        let title = match trimmed.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
            Some(key) => {
                report.push(
                    name,
                    format!("{at}/displayName"),
                    Some(format!("{target}/title")),
                    Outcome::Adjusted,
                    Topic::MessageKey,
                    format!(
                        "the display name {title} is a message key Keycloak translates; the title is the key \"{key}\""
                    ),
                );
                key.to_string()
            }
            None => title.to_string(),
        };
        field.insert("title".into(), Value::String(title));
    }

    if let Some(v) = attr.get("validations") {
        let value_target = if multivalued {
            format!("{target}/items")
        } else {
            target.clone()
        };
        let targets = Targets {
            value: &mut value,
            array_limits: &mut array_limits,
            value_target,
        };
        validations(name, v, at, targets, report);
    }

    if multivalued {
        field.insert("type".into(), json!("array"));
        field.insert("items".into(), Value::Object(value));
        field.extend(array_limits);
    } else {
        let ty = value.shift_remove("type");
        if let Some(ty) = ty {
            field.insert("type".into(), ty);
        }
        field.extend(value);
        for (k, _) in array_limits {
            report.push(
                name,
                format!("{at}/validations/multivalued"),
                None,
                Outcome::NotMapped,
                Topic::UnknownValidator,
                format!(
                    "the multivalued validator's {k} applies to lists of values, and this attribute is single-valued; left out"
                ),
            );
        }
    }

    let permission = permissions(name, attr.get("permissions"), at, report);
    permission.apply_explicit(&mut field);

    let is_required = match attr.get("required") {
        None | Some(Value::Null) => false,
        Some(r) => required(name, r, at, report),
    };

    builtin(name, at, report);
    if let Some(group) = attr.get("group").and_then(Value::as_str) {
        let header = root
            .get("groups")
            .and_then(Value::as_array)
            .and_then(|gs| {
                gs.iter()
                    .find(|g| g.get("name").and_then(Value::as_str) == Some(group))
            })
            .and_then(|g| g.get("displayHeader"))
            .and_then(Value::as_str)
            .map(|h| format!(" (\"{h}\")"))
            .unwrap_or_default();
        report.push(
            name,
            format!("{at}/group"),
            None,
            Outcome::NotMapped,
            Topic::AttributeGroup,
            format!(
                "shown in Keycloak's group \"{group}\"{header}; form groups have no equivalent"
            ),
        );
    }
    if let Some(Value::Object(annotations)) = attr.get("annotations") {
        for (key, v) in annotations {
            report.push(
                name,
                format!("{at}/annotations/{}", token(key)),
                None,
                Outcome::NotMapped,
                Topic::Annotation,
                format!("the annotation {key} = {v} only steers Keycloak's forms; no equivalent"),
            );
        }
    }
    if let Some(selector) = attr.get("selector") {
        let scopes = scopes_of(selector.get("scopes"));
        if !scopes.is_empty() {
            report.push(
                name,
                format!("{at}/selector"),
                None,
                Outcome::NotMapped,
                Topic::Selector,
                format!(
                    "in Keycloak the attribute only exists when a client asks for the scope(s) {}; in ZITADEL it always exists",
                    scopes.join(", ")
                ),
            );
        }
    }
    for key in attr.keys() {
        if !matches!(
            key.as_str(),
            "name"
                | "displayName"
                | "validations"
                | "annotations"
                | "required"
                | "permissions"
                | "multivalued"
                | "group"
                | "selector"
        ) {
            report.push(
                name,
                format!("{at}/{}", token(key)),
                None,
                Outcome::NotMapped,
                Topic::UnknownKey,
                format!("\"{key}\" is not an attribute member the import knows; left out"),
            );
        }
    }
    Ok((field, is_required))
}

/// Where the converted keywords of one validator list go.
struct Targets<'a> {
    /// Keywords of one value: the field itself, or its `items` when multivalued.
    value: &'a mut Map<String, Value>,
    /// `minItems` / `maxItems` from the multivalued validator.
    array_limits: &'a mut Map<String, Value>,
    /// The pointer of `value` in the schema.
    value_target: String,
}

fn validations(name: &str, v: &Value, at: &str, t: Targets<'_>, report: &mut ImportReport) {
    let Targets {
        value,
        array_limits,
        value_target,
    } = t;
    let Value::Object(list) = v else {
        report.push(
            name,
            format!("{at}/validations"),
            None,
            Outcome::NotMapped,
            Topic::UnknownValidator,
            "\"validations\" is not an object of validators; left out",
        );
        return;
    };
    let empty = Map::new();
    for (validator, config) in list {
        let here = format!("{at}/validations/{}", token(validator));
        let config = config.as_object().unwrap_or(&empty);
        // The options this validator's arm has mapped or reported itself.
        let consumed: &[&str] = match validator.as_str() {
            "length" => {
                if let Some(n) = config.get("min").and_then(count_of) {
                    value.insert("minLength".into(), n.into());
                }
                if let Some(n) = config.get("max").and_then(count_of) {
                    value.insert("maxLength".into(), n.into());
                }
                if config.get("trim-disabled").and_then(Value::as_bool) != Some(true) {
                    report.push(
                        name,
                        here.clone(),
                        Some(value_target.clone()),
                        Outcome::Adjusted,
                        Topic::ValidatorOption,
                        "Keycloak measures the length after trimming white space; ZITADEL counts every character",
                    );
                }
                &["min", "max", "trim-disabled"]
            }
            "email" => {
                value.insert("format".into(), json!("email"));
                if let Some(n) = config.get("max-local-length") {
                    report.push(
                        name,
                        format!("{here}/max-local-length"),
                        None,
                        Outcome::NotMapped,
                        Topic::ValidatorOption,
                        format!("the limit of {n} characters before the @ has no equivalent"),
                    );
                }
                &["max-local-length"]
            }
            "uri" => {
                value.insert("format".into(), json!("uri"));
                const OPTIONS: [&str; 3] = ["allowedSchemes", "allowFragment", "requireValidUrl"];
                for option in OPTIONS {
                    if let Some(o) = config.get(option) {
                        report.push(
                            name,
                            format!("{here}/{option}"),
                            None,
                            Outcome::NotMapped,
                            Topic::ValidatorOption,
                            format!(
                                "the URI option {option} = {o} has no equivalent in \"format\": \"uri\""
                            ),
                        );
                    }
                }
                &OPTIONS
            }
            "pattern" => {
                match config.get("pattern").and_then(Value::as_str) {
                    Some(p) => pattern(name, p, &here, &value_target, value, report),
                    None => report.push(
                        name,
                        here.clone(),
                        None,
                        Outcome::NotMapped,
                        Topic::UnknownValidator,
                        "the pattern validator has no \"pattern\"; left out",
                    ),
                }
                &["pattern"]
            }
            "options" => {
                match config.get("options") {
                    Some(Value::Array(options)) => {
                        value.insert("enum".into(), Value::Array(options.clone()));
                    }
                    _ => report.push(
                        name,
                        here.clone(),
                        None,
                        Outcome::NotMapped,
                        Topic::UnknownValidator,
                        "the options validator has no \"options\" array; left out",
                    ),
                }
                &["options"]
            }
            "integer" | "double" => {
                let ty = if validator == "integer" {
                    "integer"
                } else {
                    "number"
                };
                value.insert("type".into(), json!(ty));
                if let Some(n) = config.get("min").and_then(number_of) {
                    value.insert("minimum".into(), Value::Number(n));
                }
                if let Some(n) = config.get("max").and_then(number_of) {
                    value.insert("maximum".into(), Value::Number(n));
                }
                report.push(
                    name,
                    here.clone(),
                    Some(format!("{value_target}/type")),
                    Outcome::Adjusted,
                    Topic::NumberFromText,
                    format!(
                        "Keycloak keeps every attribute as text and checks that it reads as a number; ZITADEL stores a JSON {ty}: existing values must be converted when users move"
                    ),
                );
                &["min", "max"]
            }
            "iso-date" | "local-date" => {
                value.insert("format".into(), json!("date"));
                if validator == "local-date" {
                    report.push(
                        name,
                        here.clone(),
                        Some(format!("{value_target}/format")),
                        Outcome::Adjusted,
                        Topic::ValidatorOption,
                        "Keycloak's local-date accepts the date in the user's locale; \"format\": \"date\" accepts ISO 8601 (2024-01-31) only",
                    );
                }
                &[]
            }
            "multivalued" => {
                if let Some(n) = config.get("min").and_then(count_of) {
                    array_limits.insert("minItems".into(), n.into());
                }
                if let Some(n) = config.get("max").and_then(count_of) {
                    array_limits.insert("maxItems".into(), n.into());
                }
                &["min", "max"]
            }
            "person-name-prohibited-characters" | "username-prohibited-characters" => {
                report.push(
                    name,
                    here.clone(),
                    None,
                    Outcome::NotMapped,
                    Topic::ProhibitedCharacters,
                    format!(
                        "{validator} refuses characters such as < > & \" in names; no equivalent keyword (add a \"pattern\" by hand if you need one)"
                    ),
                );
                &[]
            }
            other => {
                report.push(
                    name,
                    here.clone(),
                    None,
                    Outcome::NotMapped,
                    Topic::UnknownValidator,
                    format!(
                        "the validator {other} is a check of Keycloak's (e.g. uniqueness or a homograph check) with no JSON Schema equivalent; left out"
                    ),
                );
                continue;
            }
        };
        for (option, v) in config {
            if consumed.contains(&option.as_str()) {
                continue;
            }
            let why = match option.as_str() {
                "error-message" => "ZITADEL reports its own messages",
                "ignore.empty.value" => "JSON Schema checks every value present",
                _ => "left out",
            };
            report.push(
                name,
                format!("{here}/{}", token(option)),
                None,
                Outcome::NotMapped,
                Topic::ValidatorOption,
                format!("the {validator} option {option} = {v} has no equivalent: {why}"),
            );
        }
    }
}

/// Keycloak's pattern validator matches the whole value (Java's `matches()`); a JSON Schema
/// `pattern` matches anywhere, so the pattern is anchored unless it is already.
fn pattern(
    name: &str,
    p: &str,
    here: &str,
    value_target: &str,
    value: &mut Map<String, Value>,
    report: &mut ImportReport,
) {
    let anchored = p.starts_with('^') && p.ends_with('$') && !p.ends_with("\\$");
    let converted = if anchored {
        p.to_string()
    } else {
        format!("^(?:{p})$")
    };
    match pattern_compiles(&converted) {
        Ok(()) => {
            if !anchored {
                report.push(
                    name,
                    format!("{here}/pattern"),
                    Some(format!("{value_target}/pattern")),
                    Outcome::Adjusted,
                    Topic::PatternAnchored,
                    format!(
                        "Keycloak matches the whole value, JSON Schema anywhere in it: {p} became {converted}"
                    ),
                );
            }
            value.insert("pattern".into(), Value::String(converted));
        }
        Err(e) => report.push(
            name,
            format!("{here}/pattern"),
            None,
            Outcome::NotMapped,
            Topic::PatternInvalid,
            format!(
                "the pattern {p} is not a regular expression ZITADEL can compile (ECMA 262): {e}; left out"
            ),
        ),
    }
}

fn roles_of(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn scopes_of(v: Option<&Value>) -> Vec<String> {
    roles_of(v)
}

/// `permissions {view, edit}`: `admin` → owner, `user` → self; edit → `rw`, view only → `r`,
/// neither → hidden.
fn permissions(name: &str, v: Option<&Value>, at: &str, report: &mut ImportReport) -> Permission {
    let Some(Value::Object(p)) = v else {
        report.push(
            name,
            at,
            Some(format!("/properties/{}/urn:zitadel:schema:permission", token(name))),
            Outcome::Note,
            Topic::NoPermissions,
            "no permissions: neither administrators nor the user may see the attribute in Keycloak, so it is hidden from both",
        );
        return Permission {
            owner: Access::Hidden,
            user: Access::Hidden,
        };
    };
    let view = roles_of(p.get("view"));
    let edit = roles_of(p.get("edit"));
    for (list, key) in [(&view, "view"), (&edit, "edit")] {
        for role in list.iter().filter(|r| *r != "admin" && *r != "user") {
            report.push(
                name,
                format!("{at}/permissions/{key}"),
                None,
                Outcome::NotMapped,
                Topic::UnknownRole,
                format!("the role \"{role}\" is unknown (Keycloak has admin and user); ignored"),
            );
        }
    }
    let access = |role: &str| {
        if edit.iter().any(|r| r == role) {
            Access::ReadWrite
        } else if view.iter().any(|r| r == role) {
            Access::Read
        } else {
            Access::Hidden
        }
    };
    Permission {
        owner: access("admin"),
        user: access("user"),
    }
}

/// `required {roles, scopes}`: required in ZITADEL when it names `user` or `admin` (or no
/// role: everybody) and no scope.
fn required(name: &str, r: &Value, at: &str, report: &mut ImportReport) -> bool {
    let here = format!("{at}/required");
    let Value::Object(map) = r else {
        report.push(
            name,
            here,
            None,
            Outcome::NotMapped,
            Topic::UnknownKey,
            format!("\"required\" should be an object {{roles, scopes}}, not {r}; the field is not required"),
        );
        return false;
    };
    let roles = roles_of(map.get("roles"));
    let scopes = scopes_of(map.get("scopes"));
    if !scopes.is_empty() {
        report.push(
            name,
            format!("{here}/scopes"),
            None,
            Outcome::NotMapped,
            Topic::RequiredScopes,
            format!(
                "required only when a client asks for the scope(s) {}; ZITADEL cannot require a field for some sign-ins only, so it is not required",
                scopes.join(", ")
            ),
        );
        return false;
    }
    for role in roles.iter().filter(|r| *r != "admin" && *r != "user") {
        report.push(
            name,
            format!("{here}/roles"),
            None,
            Outcome::NotMapped,
            Topic::UnknownRole,
            format!("the role \"{role}\" is unknown (Keycloak has admin and user); ignored"),
        );
    }
    let admin = roles.iter().any(|r| r == "admin");
    let user = roles.iter().any(|r| r == "user");
    if roles.is_empty() || (admin && user) {
        return true;
    }
    if admin || user {
        let who = if admin { "administrators" } else { "the user" };
        report.push(
            name,
            format!("{here}/roles"),
            Some("/required".into()),
            Outcome::Adjusted,
            Topic::RequiredRoles,
            format!(
                "Keycloak requires it only when {who} edit(s) the profile; ZITADEL's \"required\" applies to every change"
            ),
        );
        return true;
    }
    report.push(
        name,
        format!("{here}/roles"),
        None,
        Outcome::NotMapped,
        Topic::UnknownRole,
        "required for no known role; the field is not required",
    );
    false
}

fn builtin(name: &str, at: &str, report: &mut ImportReport) {
    let message = match name {
        "username" => {
            "Keycloak's built-in login name (unique, used to sign in): in ZITADEL the login name belongs to the USERNAME authenticator, not to the schema; this field is kept as ordinary data"
        }
        "email" => {
            "Keycloak's built-in email (unique, verified flag, may be used to sign in): in ZITADEL the verified email is the user's contact, not part of the schema; this field is kept as ordinary data"
        }
        "firstName" => {
            "Keycloak's built-in first name (the given_name claim): this field is kept as ordinary data; ZITADEL does not fill tokens from it"
        }
        "lastName" => {
            "Keycloak's built-in last name (the family_name claim): this field is kept as ordinary data; ZITADEL does not fill tokens from it"
        }
        _ => return,
    };
    report.push(
        name,
        at,
        None,
        Outcome::NotMapped,
        Topic::BuiltInAttribute,
        message,
    );
}

/// Writing a permission that names both parties even when both may read and write, so the
/// imported schema says what the profile said.
trait ApplyExplicit {
    fn apply_explicit(self, field: &mut Map<String, Value>);
}

impl ApplyExplicit for Permission {
    fn apply_explicit(self, field: &mut Map<String, Value>) {
        let mut map = Map::new();
        if let Some(l) = self.owner.to_letters() {
            map.insert("owner".into(), Value::String(l.into()));
        }
        if let Some(l) = self.user.to_letters() {
            map.insert("self".into(), Value::String(l.into()));
        }
        field.insert(
            crate::schema::permission::PERMISSION_KEYWORD.into(),
            Value::Object(map),
        );
    }
}
