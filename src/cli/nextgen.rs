//! ZITADEL nextgen on the command line: `convert`, nextgen documents in `validate` and
//! `import`, the `--workspace DIR` mode of list, show, validate, compat, import and export,
//! and the experimental `nextgen` API commands.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use super::print::{print_saved, print_text};
use super::{Command, OutputFormat, exit};
use crate::nextgen::Target;
use crate::nextgen::convert::{ToNextgenOptions, Unmapped, to_nextgen, to_v3alpha};
use crate::nextgen::dialect;
use crate::nextgen::validate::{MetaSet, NextgenValidation, validate_document};
use crate::nextgen::workspace::{
    CONFIG_FILE, META_DIR, SCHEMAS_DIR, SchemaFile, Workspace, WorkspaceError, apply_hint,
};
use crate::schema::{Source, validate};
use crate::service::exchange::workspace::{self, Placed};
use crate::store::{ListFilter, Revision, Store};
use crate::sync::nextgen::{self as api, ListQuery, NextgenClient, Revisions};

/// `--target` and `--to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// ZITADEL v4 (v3alpha API): a request body {type, schema, possibleAuthenticators}.
    V3alpha,
    /// ZITADEL nextgen: a "kind": "user-schema" document.
    Nextgen,
}

impl From<TargetArg> for Target {
    fn from(t: TargetArg) -> Target {
        match t {
            TargetArg::V3alpha => Target::V3alpha,
            TargetArg::Nextgen => Target::Nextgen,
        }
    }
}

#[derive(Debug, Args)]
#[command(
    long_about = "Convert a schema of the store to the other target and print (or write) the result: \
                  a nextgen document, or a v3alpha request body. Everything that did not map one to one \
                  is reported field by field on standard error; the result is validated for its target \
                  and nothing is written when it is invalid. The store is not changed: import the result \
                  to keep it.",
    after_help = "Mapping: USERNAME <-> x-identifier (a property made x-unique: \"project\"), PASSWORD <-> password, \
                  WEBAUTHN <-> passkey, OTP_EMAIL/OTP_SMS/TOTP -> otp, IDENTITY_PROVIDER <-> sso (providers from \
                  --sso-provider), AUTHENTICATION_KEY has no counterpart; self rw <-> x-editable: true, self r <-> \
                  x-editable: false, hidden from the user -> x-sensitive: true; type <-> objectType."
)]
pub struct ConvertArgs {
    /// The schema (its type in the store).
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// The target to convert to.
    #[arg(long, value_enum)]
    pub to: TargetArg,
    /// The revision to convert (default: the latest).
    #[arg(long, short = 'r')]
    pub revision: Option<u32>,
    /// An SSO provider slug for the nextgen sso method (repeat for several); without one,
    /// IDENTITY_PROVIDER leaves sso disabled and says so.
    #[arg(long = "sso-provider", value_name = "SLUG")]
    pub sso_providers: Vec<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    long_about = "EXPERIMENTAL: ZITADEL nextgen's schema API (create, list, get), built against nextgen v0.8.0. \
                  The project is the one the secret belongs to: a project secret (sk_proj_...) from \
                  ZITADEL_TOKEN or the OS keyring (service \"schemadesk\", user \"nextgen ORIGIN\"). \
                  Workspaces are applied by ZITADEL's own CLI (`zitadel plan` / `zitadel apply`), not here."
)]
pub struct NextgenArgs {
    #[command(subcommand)]
    pub command: NextgenCommand,
}

#[derive(Debug, Subcommand)]
pub enum NextgenCommand {
    /// Register a schema's latest local revision as a new revision on the server.
    Push(PushArgs),
    /// List the server's schemas (every page), newest revision per user type unless --all-revisions.
    List(ApiListArgs),
    /// Print one registered schema by its id.
    Get(GetArgs),
    /// Store the project secret for a server in the OS keyring (read from standard input).
    Token(TokenArgs),
}

#[derive(Debug, Args)]
pub struct ServerArg {
    /// The server's API address, e.g. https://id.example.com/api/v1.
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// Seconds a call may take.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The schema (its type in the store; with --workspace, its objectType or file name).
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    #[command(flatten)]
    pub server: ServerArg,
}

#[derive(Debug, Args)]
pub struct ApiListArgs {
    #[command(flatten)]
    pub server: ServerArg,
    /// Only the revisions of this user type.
    #[arg(long, value_name = "NAME")]
    pub object_type: Option<String>,
    /// Every revision, not only the newest of each user type.
    #[arg(long)]
    pub all_revisions: bool,
    /// Schemas per page (1 to 100).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// The schema's id on the server (sch_...).
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub server: ServerArg,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The server's API address.
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// Remove the stored secret instead.
    #[arg(long)]
    pub forget: bool,
}

// ---------------------------------------------------------------------------------------
// Store helpers for the local commands.

fn save_local(store: &mut Store, type_name: &str, doc: Value, message: &str) -> anyhow::Result<()> {
    let outcome = workspace::save_local(store, type_name, doc, message)?;
    print_saved(type_name, &outcome, Target::Nextgen);
    Ok(())
}

fn revision(
    store: &Store,
    type_name: &str,
    number: Option<u32>,
) -> anyhow::Result<(Target, Revision)> {
    let s = store.by_type(type_name)?;
    let rev = match number {
        Some(n) => store.revision(s.id, n)?,
        None => store.latest_revision(s.id)?,
    };
    Ok((store.target(s.id)?, rev))
}

// ---------------------------------------------------------------------------------------
// convert

fn print_report(report: &[Unmapped]) {
    if report.is_empty() {
        eprintln!("every field mapped one to one");
        return;
    }
    eprintln!("{} thing(s) did not map one to one:", report.len());
    for u in report {
        let at = if u.pointer.is_empty() {
            "/"
        } else {
            &u.pointer
        };
        eprintln!("  {at}: {}", u.message);
    }
}

pub fn convert(db: &Path, args: &ConvertArgs) -> anyhow::Result<u8> {
    let store = Store::open(db)?;
    let (from, rev) = revision(&store, &args.type_name, args.revision)?;
    let to: Target = args.to.into();
    if from == to {
        bail!("\"{}\" is already a {} schema", args.type_name, to.label());
    }
    let (text, diagnostics, report) = match to {
        Target::Nextgen => {
            let c = to_nextgen(
                &rev.draft,
                &ToNextgenOptions {
                    sso_providers: args.sso_providers.clone(),
                    meta_schema: None,
                },
            );
            let text = crate::schema::pretty(&c.result);
            let v = validate_document(&text, &MetaSet::bundled());
            (text, v.diagnostics, c.report)
        }
        Target::V3alpha => {
            let c = to_v3alpha(&rev.draft.schema, &args.type_name);
            let text = c.result.request_body_pretty();
            let v = validate(Source::File(&text));
            (text, v.diagnostics, c.report)
        }
    };
    eprintln!(
        "\"{}\" revision {}: {} -> {}",
        args.type_name,
        rev.number,
        from.label(),
        to.label()
    );
    print_report(&report);
    if !diagnostics.is_empty() {
        print_text(Path::new("converted"), &diagnostics);
        eprintln!(
            "schemadesk: the converted schema is not valid for {}; nothing was written",
            to.label()
        );
        return Ok(exit::INVALID);
    }
    match &args.output {
        Some(path) => {
            crate::service::exchange::write_file(path, &text)?;
            eprintln!("wrote {} ({})", path.display(), to.as_str());
        }
        None => print!("{text}"),
    }
    Ok(exit::OK)
}

// ---------------------------------------------------------------------------------------
// Workspace mode.

/// Runs a command with `--workspace DIR`.
pub fn run_workspace(db: Option<PathBuf>, dir: &Path, command: Command) -> anyhow::Result<u8> {
    match command {
        Command::List(a) => ws_list(&Workspace::open(dir)?, a.format),
        Command::Show(a) => {
            if a.revision.is_some() {
                bail!(
                    "with --workspace, show prints the working copy; see older versions with `git log -p {SCHEMAS_DIR}/`"
                );
            }
            let ws = Workspace::open(dir)?;
            let file = ws.find(&a.type_name)?;
            eprintln!("{} (nextgen)", file.path.display());
            print!("{}", file.text);
            Ok(exit::OK)
        }
        Command::Validate(a) => ws_validate(&Workspace::open(dir)?, &a.files, a.format),
        Command::Compat(a) => ws_compat(&Workspace::open(dir)?, &a.type_name, &a.git_rev, a.format),
        Command::Import(a) => {
            let ws = Workspace::open(dir)?;
            let mut store = Store::open(&super::store_path(db)?)?;
            match &a.file {
                Some(file) => {
                    ws_import_file(&ws, &mut store, file, a.type_name.as_deref(), &a.message)
                }
                None => ws_import_all(&ws, &mut store, &a.message),
            }
        }
        Command::Export(a) => {
            let store = Store::open(&super::store_path(db)?)?;
            if a.all.is_some() {
                if a.all
                    .as_ref()
                    .is_some_and(|d| d.as_os_str() != super::NO_DIR)
                {
                    bail!("with --workspace DIR, --all takes no folder of its own");
                }
                return ws_export_all(dir, &store);
            }
            let type_name = a.type_name.context("export needs a TYPE or --all")?;
            let ws = Workspace::open(dir)?;
            ws_export_one(&ws, &store, &type_name, a.revision)
        }
        _ => bail!("--workspace works with list, show, validate, compat, import and export"),
    }
}

fn ws_list(ws: &Workspace, format: OutputFormat) -> anyhow::Result<u8> {
    let metas = ws.metas()?;
    let files = ws.schemas()?;
    let rows: Vec<(SchemaFile, NextgenValidation)> = files
        .into_iter()
        .map(|f| {
            let v = validate_document(&f.text, &metas);
            (f, v)
        })
        .collect();
    match format {
        OutputFormat::Json => {
            let out: Vec<_> = rows
                .iter()
                .map(|(f, v)| {
                    json!({"objectType": f.object_type, "file": f.rel, "target": "nextgen",
                           "valid": v.is_valid(), "problems": v.diagnostics.len()})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        OutputFormat::Text => {
            let mut out = std::io::stdout().lock();
            if rows.is_empty() {
                eprintln!("no schemas in {}", ws.root.join(SCHEMAS_DIR).display());
            }
            for (f, v) in &rows {
                let state = if v.is_valid() {
                    "valid".to_string()
                } else {
                    format!("{} problem(s)", v.diagnostics.len())
                };
                writeln!(out, "{}\tnextgen\t{}\t{state}", f.display_name(), f.rel)?;
            }
        }
    }
    Ok(exit::OK)
}

fn ws_validate(ws: &Workspace, files: &[PathBuf], format: OutputFormat) -> anyhow::Result<u8> {
    let metas = ws.metas()?;
    let targets: Vec<(PathBuf, String)> = if files.is_empty() {
        ws.schemas()?
            .into_iter()
            .map(|f| (f.path, f.text))
            .collect()
    } else {
        files
            .iter()
            .map(|p| {
                let path = if p.exists() {
                    p.clone()
                } else {
                    ws.root.join(p)
                };
                crate::files::read_bounded(&path, crate::files::MAX_SCHEMA_BYTES)
                    .map(|t| (path.clone(), t))
                    .with_context(|| format!("cannot read {}", path.display()))
            })
            .collect::<anyhow::Result<_>>()?
    };
    let mut worst = exit::OK;
    let mut reports = Vec::new();
    for (path, text) in &targets {
        let v = validate_document(text, &metas);
        if !v.is_valid() {
            worst = exit::INVALID;
        }
        match format {
            OutputFormat::Text => print_text(path, &v.diagnostics),
            OutputFormat::Json => reports.push(json!({
                "file": path.display().to_string(), "target": "nextgen", "valid": v.is_valid(),
                "meta": v.meta, "diagnostics": v.diagnostics})),
        }
    }
    match format {
        OutputFormat::Text => {
            let bad = worst != exit::OK;
            eprintln!(
                "{} file(s) checked against {}{}",
                targets.len(),
                metas.describe(),
                if bad {
                    "; some are invalid"
                } else {
                    "; all valid"
                }
            );
        }
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&reports)?),
    }
    Ok(worst)
}

fn ws_compat(ws: &Workspace, name: &str, rev: &str, format: OutputFormat) -> anyhow::Result<u8> {
    let file = ws.find(name)?;
    let old_text = ws.text_at(&file, rev)?;
    let parse = |text: &str, what: &str| -> anyhow::Result<Value> {
        serde_json::from_str(text)
            .map_err(|e| anyhow::anyhow!("{} ({what}) is not JSON: {e}", file.rel))
    };
    let old = parse(&old_text, rev)?;
    let new = parse(&file.text, "working copy")?;
    let title = format!("{}: {rev} -> working copy", file.rel);
    let code = super::compat::print_compat(&title, rev, "working copy", &old, &new, format)?;
    if format == OutputFormat::Text {
        println!(
            "this is what `zitadel apply` would register as a new revision of \"{}\"",
            file.display_name()
        );
    }
    Ok(code)
}

fn ws_error(e: WorkspaceError) -> anyhow::Error {
    if let WorkspaceError::Invalid { path, problems } = &e {
        print_text(path, problems);
    }
    e.into()
}

/// Writes a document into the workspace (the file of its objectType, or a new one), then
/// keeps a local revision.
fn save_into_workspace(
    ws: &Workspace,
    store: &mut Store,
    doc: Value,
    target_file: Option<SchemaFile>,
    message: &str,
) -> anyhow::Result<u8> {
    let object_type = dialect::object_type(&doc)
        .map(str::to_string)
        .context("the document has no objectType; a workspace file needs one")?;
    let file = match target_file {
        Some(f) => Some(f),
        None => ws.find_by_object_type(&object_type)?,
    };
    let placed = workspace::place(ws, &doc, &object_type, file).map_err(ws_error)?;
    match &placed {
        Placed::Unchanged(f) => eprintln!("{} already holds this document", f.rel),
        Placed::Updated(f) => eprintln!("wrote {} (only the change)", f.rel),
        Placed::Created(path) => eprintln!("wrote {}", path.display()),
    }
    let path = placed.path();
    let message = if message.is_empty() {
        format!("Saved to the workspace file {}", path.display())
    } else {
        message.to_string()
    };
    save_local(store, &object_type, doc, &message)?;
    eprintln!("{}", apply_hint(&ws.root));
    Ok(exit::OK)
}

fn ws_import_file(
    ws: &Workspace,
    store: &mut Store,
    file: &Path,
    name: Option<&str>,
    message: &str,
) -> anyhow::Result<u8> {
    let text = crate::files::read_bounded(file, crate::files::MAX_SCHEMA_BYTES)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let v = validate_document(&text, &ws.metas()?);
    if !v.is_valid() {
        print_text(file, &v.diagnostics);
        eprintln!(
            "schemadesk: {} was not saved: {} problem(s); nothing was written",
            file.display(),
            v.diagnostics.len()
        );
        return Ok(exit::INVALID);
    }
    let doc = v.document.context("the document is not an object")?;
    let target_file = match name {
        Some(n) => Some(ws.find(n)?),
        None => None,
    };
    save_into_workspace(ws, store, doc, target_file, message)
}

fn ws_import_all(ws: &Workspace, store: &mut Store, message: &str) -> anyhow::Result<u8> {
    let metas = ws.metas()?;
    let mut worst = exit::OK;
    for f in ws.schemas()? {
        let v = validate_document(&f.text, &metas);
        if !v.is_valid() {
            print_text(&f.path, &v.diagnostics);
            eprintln!("schemadesk: {} was not imported", f.rel);
            worst = exit::INVALID;
            continue;
        }
        let Some(doc) = v.document else { continue };
        let type_name = f.display_name().to_string();
        let message = if message.is_empty() {
            format!("Imported from the workspace file {}", f.rel)
        } else {
            message.to_string()
        };
        save_local(store, &type_name, doc, &message)?;
    }
    Ok(worst)
}

fn ws_export_one(
    ws: &Workspace,
    store: &Store,
    type_name: &str,
    number: Option<u32>,
) -> anyhow::Result<u8> {
    let (target, rev) = revision(store, type_name, number)?;
    if target != Target::Nextgen {
        bail!(
            "\"{type_name}\" is a {} schema; a workspace holds nextgen schemas: convert it first with `schemadesk convert {type_name} --to nextgen -o FILE` and import that",
            target.label()
        );
    }
    let doc = rev.draft.schema.clone();
    let object_type = dialect::object_type(&doc).unwrap_or(type_name).to_string();
    // The file of this objectType; else the file named after the store's type, whose
    // objectType must then match (a renamed objectType is refused there).
    let file = match ws.find_by_object_type(&object_type)? {
        Some(f) => Some(f),
        None => ws.find(type_name).ok(),
    };
    let placed = workspace::place(ws, &doc, &object_type, file).map_err(ws_error)?;
    match &placed {
        Placed::Unchanged(f) => eprintln!("{} already holds revision {}", f.rel, rev.number),
        Placed::Updated(f) => eprintln!(
            "wrote revision {} into {} (only the change)",
            rev.number, f.rel
        ),
        Placed::Created(_) => {}
    }
    eprintln!("{} (nextgen)", placed.path().display());
    eprintln!("{}", apply_hint(&ws.root));
    Ok(exit::OK)
}

fn ws_export_all(dir: &Path, store: &Store) -> anyhow::Result<u8> {
    let (ws, created) = Workspace::open_or_create(dir)?;
    if created {
        eprintln!(
            "created {} (empty: set it up as `zitadel` expects) and {SCHEMAS_DIR}/",
            dir.join(CONFIG_FILE).display()
        );
    }
    let targets = store.targets()?;
    let mut written = 0;
    let mut skipped = Vec::new();
    for s in store.list_schemas(ListFilter::default())? {
        if targets.get(&s.id).copied().unwrap_or_default() != Target::Nextgen {
            skipped.push(s.type_name);
            continue;
        }
        ws_export_one(&ws, store, &s.type_name, None)?;
        written += 1;
    }
    eprintln!(
        "exported {written} nextgen schema(s) to {}",
        ws.root.display()
    );
    if !skipped.is_empty() {
        eprintln!(
            "skipped {} v3alpha schema(s) ({}): convert each with `schemadesk convert TYPE --to nextgen -o FILE`, then `schemadesk import FILE --workspace {}`",
            skipped.len(),
            skipped.join(", "),
            dir.display()
        );
    }
    if !ws.root.join(META_DIR).is_dir() {
        eprintln!(
            "{META_DIR}/ is missing: schemadesk validated against its bundled meta-schema ({}); pin your server's with `zitadel` to follow its version",
            crate::nextgen::NEXTGEN_VERSION
        );
    }
    Ok(exit::OK)
}

// ---------------------------------------------------------------------------------------
// The experimental API commands.

fn client(server: &ServerArg) -> anyhow::Result<NextgenClient> {
    let url = url::Url::parse(server.url.trim())
        .with_context(|| format!("{} is not a URL", server.url))?;
    let (token, _) = crate::sync::Token::resolve(&api::keyring_user(&url))?;
    eprintln!("speaking the {} at {url}", api::API_VERSION);
    Ok(NextgenClient::new(
        &url,
        token,
        Duration::from_secs(server.timeout.max(1)),
    )?)
}

pub fn run_api(
    db: Option<PathBuf>,
    workspace: Option<&Path>,
    args: NextgenArgs,
) -> anyhow::Result<u8> {
    match args.command {
        NextgenCommand::Token(a) => {
            let url =
                url::Url::parse(a.url.trim()).with_context(|| format!("{} is not a URL", a.url))?;
            let user = api::keyring_user(&url);
            if a.forget {
                crate::sync::token::Token::forget(&user)?;
                println!("forgot the secret for {user}");
            } else {
                let mut secret = String::new();
                std::io::stdin()
                    .read_line(&mut secret)
                    .context("cannot read the secret from standard input")?;
                if secret.trim().is_empty() {
                    bail!("no secret on standard input");
                }
                crate::sync::token::Token::store_in_keyring(
                    &user,
                    &crate::sync::Token::new(secret),
                )?;
                println!("stored the secret for {user} in the OS keyring");
            }
            Ok(exit::OK)
        }
        NextgenCommand::Push(a) => {
            // The working copy is checked as the workspace pins it, with its own positions.
            let (doc, name, metas) = match workspace {
                Some(dir) => {
                    let ws = Workspace::open(dir)?;
                    let f = ws.find(&a.type_name)?;
                    let metas = ws.metas()?;
                    let v = validate_document(&f.text, &metas);
                    if !v.is_valid() {
                        print_text(&f.path, &v.diagnostics);
                        eprintln!("schemadesk: {} is not valid; nothing was sent", f.rel);
                        return Ok(exit::INVALID);
                    }
                    let doc = v.document.context("the document is not an object")?;
                    (doc, f.path.display().to_string(), metas)
                }
                None => {
                    let store = Store::open(&super::store_path(db)?)?;
                    let (target, rev) = revision(&store, &a.type_name, None)?;
                    if target != Target::Nextgen {
                        bail!(
                            "\"{}\" is a {} schema; convert it first with `schemadesk convert {} --to nextgen`",
                            a.type_name,
                            target.label(),
                            a.type_name
                        );
                    }
                    (
                        rev.draft.schema,
                        format!("{} revision {}", a.type_name, rev.number),
                        MetaSet::bundled(),
                    )
                }
            };
            let text = crate::schema::pretty(&doc);
            let v = validate_document(&text, &metas);
            if !v.is_valid() {
                print_text(Path::new(&name), &v.diagnostics);
                eprintln!("schemadesk: {name} is not valid; nothing was sent");
                return Ok(exit::INVALID);
            }
            let id = client(&a.server)?.create(&doc)?;
            println!("registered {name} as {id}");
            Ok(exit::OK)
        }
        NextgenCommand::List(a) => {
            let c = client(&a.server)?;
            let query = ListQuery {
                limit: Some(a.limit),
                page_token: None,
                object_type: a.object_type.clone(),
                revisions: Some(if a.all_revisions {
                    Revisions::All
                } else {
                    Revisions::Latest
                }),
            };
            let all = c.list_all(&query, &mut |n| {
                tracing::debug!(fetched = n, "nextgen list")
            })?;
            match a.format {
                OutputFormat::Json => {
                    let rows: Vec<_> = all
                        .iter()
                        .map(|r| json!({"id": r.id, "objectType": r.object_type(), "createdAt": r.created_at}))
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
                OutputFormat::Text => {
                    let mut out = std::io::stdout().lock();
                    for r in &all {
                        writeln!(
                            out,
                            "{}\t{}\t{}",
                            r.id,
                            r.object_type().unwrap_or("-"),
                            r.created_at.as_deref().unwrap_or("-")
                        )?;
                    }
                    eprintln!("{} schema(s)", all.len());
                }
            }
            Ok(exit::OK)
        }
        NextgenCommand::Get(a) => {
            let r = client(&a.server)?.get(&a.id)?;
            print!("{}", crate::schema::pretty(&r.schema));
            Ok(exit::OK)
        }
    }
}
