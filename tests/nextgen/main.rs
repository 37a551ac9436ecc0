//! ZITADEL nextgen: the dialect's validation, conversion both ways, workspaces, the store's
//! target, the CLI, and the experimental API client against a strict double.

mod api;
mod cli;
mod convert;
mod documents;
mod double;
mod edit;
mod store;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

/// A valid document: password + passkey, identifier on a unique leaf, nested properties and
/// a display order.
pub fn password_passkey() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "kind": "user-schema",
        "metaSchema": "${SERVER_URL}/user-schema.json",
        "objectType": "employee",
        "x-identifier": "email",
        "x-display": ["name.given", "name.family"],
        "x-auth-methods": {
            "password": {"enabled": true},
            "passkey": {"enabled": true},
            "magic_link": {"enabled": false},
            "sso": {"enabled": false},
            "otp": {"enabled": false}
        },
        "required": ["email"],
        "properties": {
            "email": {"type": "string", "format": "email", "x-unique": "project", "x-verify": "email", "x-claim": "email"},
            "name": {
                "type": "object",
                "properties": {
                    "given": {"type": "string", "x-editable": true},
                    "family": {"type": "string"}
                }
            },
            "costCenter": {"type": "string", "x-editable": false, "x-sensitive": true}
        }
    })
}

pub fn sso_only() -> Value {
    json!({
        "kind": "user-schema",
        "metaSchema": "${SERVER_URL}/user-schema.json",
        "objectType": "partner",
        "x-auth-methods": {"sso": {"enabled": true, "providers": ["google", "okta-partners"]}},
        "properties": {"company": {"type": "string"}}
    })
}

pub fn otp_nested() -> Value {
    json!({
        "kind": "user-schema",
        "metaSchema": "${SERVER_URL}/user-schema.json",
        "objectType": "member",
        "x-identifier": "account.login",
        "x-auth-methods": {"otp": {"enabled": true}, "magic_link": {"enabled": true}},
        "properties": {
            "account": {"type": "object", "properties": {
                "login": {"type": "string", "x-unique": "project", "x-mfa": true},
                "phone": {"type": "string", "x-verify": "sms", "x-claim": null}
            }}
        }
    })
}

pub fn text(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s
}

/// Holds `valid-docs-guide.json`, a copy of ZITADEL's docs example from the shared examples.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nextgen")
}

/// The binary with its store, logs and settings in `dir`.
pub fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schemadesk"));
    cmd.env("SCHEMADESK_DB", dir.join("store.db"))
        .env("SCHEMADESK_LOG_DIR", dir.join("logs"))
        .env("SCHEMADESK_SETTINGS", dir.join("settings.toml"))
        .env_remove("SCHEMADESK_LOG")
        .env_remove("ZITADEL_TOKEN");
    cmd
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    bin(dir).args(args).output().expect("the binary runs")
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
