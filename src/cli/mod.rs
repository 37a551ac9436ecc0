//! The command line: clap definitions and dispatch. No egui here.

pub mod compat;
mod import;
pub mod interchange;
#[cfg(test)]
mod layering;
mod local;
pub mod meta;
pub mod nextgen;
mod no_echo;
mod print;
mod remote;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// `--format` of export and show: the one type the app's Export uses as well.
pub use crate::service::exchange::ExportFormat;
use crate::store::{DB_ENV, Store};

/// Exit codes shared by every subcommand.
pub mod exit {
    pub const OK: u8 = 0;
    /// Content is invalid (validate, import) or a check failed.
    pub const INVALID: u8 = 1;
    /// Usage or I/O error.
    pub const USAGE: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "schemadesk",
    version,
    about = "Design, version and ship ZITADEL user schemas",
    long_about = "Design, version and ship ZITADEL user schemas.\n\nWith no command, opens the desktop editor. \
                  Every command works on the same local SQLite store as the editor."
)]
pub struct Cli {
    /// The store file (default: schemadesk.db in the platform's data folder; an empty value
    /// means the default, so that `SCHEMADESK_DB=""` does not make every command fail).
    #[arg(long, global = true, env = DB_ENV, value_name = "PATH", value_parser = clap::builder::OsStringValueParser::new().map(PathBuf::from))]
    pub db: Option<PathBuf>,

    /// A ZITADEL nextgen workspace (zitadel.json + .zitadel/schemas/) to work on instead of the
    /// store, for list, show, validate, compat, import and export.
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    /// Log more (debug level) to the log file and standard error.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check schema files (bare JSON Schemas or request bodies) without touching the store.
    Validate(ValidateArgs),
    /// Import a schema file as a new schema or a new revision.
    Import(ImportArgs),
    /// List the schemas in the store.
    List(ListArgs),
    /// Show the revisions of a schema.
    History(TypeArgs),
    /// Print a revision of a schema.
    Show(ShowArgs),
    /// Show a unified diff between two revisions.
    Diff(DiffArgs),
    /// Write a schema, or all schemas, to files.
    Export(ExportArgs),
    /// Append an old revision's content as a new revision.
    Restore(RestoreArgs),
    /// Give a schema a new type (a new revision).
    Rename(RenameArgs),
    /// Hide a schema from the list without deleting it (--undo to bring it back).
    Archive(ArchiveArgs),
    /// Delete a schema: first marks it deleted (revisions kept); --purge confirms and removes it.
    Delete(DeleteArgs),
    /// Take back a delete that was not yet purged.
    Undelete(TypeArgs),
    /// Classify the changes between two revisions; check sample users against the newer one.
    Compat(compat::CompatArgs),
    /// Push a schema's latest revision to a server (create, or update after a conflict check).
    Push(remote::PushArgs),
    /// List a server's schemas beside the local ones, or import them (--import TYPE, --all, --id).
    Pull(remote::PullArgs),
    /// Manage servers, and deactivate, reactivate or delete schemas on a server.
    Remote(remote::RemoteArgs),
    /// Convert a schema to the other target (v3alpha or nextgen), reporting what did not map.
    Convert(nextgen::ConvertArgs),
    /// EXPERIMENTAL: ZITADEL nextgen's schema API: push, list, get.
    Nextgen(nextgen::NextgenArgs),
    /// Print shell completions for bash, zsh, fish, elvish or PowerShell.
    Completions(meta::CompletionsArgs),
    /// Print the man page, or write one page per command into a folder.
    Man(meta::ManArgs),
}

impl Command {
    /// The subcommand's name, for the log.
    fn name(&self) -> &'static str {
        match self {
            Command::Validate(_) => "validate",
            Command::Import(_) => "import",
            Command::List(_) => "list",
            Command::History(_) => "history",
            Command::Show(_) => "show",
            Command::Diff(_) => "diff",
            Command::Export(_) => "export",
            Command::Restore(_) => "restore",
            Command::Rename(_) => "rename",
            Command::Archive(_) => "archive",
            Command::Delete(_) => "delete",
            Command::Undelete(_) => "undelete",
            Command::Compat(_) => "compat",
            Command::Push(_) => "push",
            Command::Pull(_) => "pull",
            Command::Remote(_) => "remote",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
            Command::Convert(_) => "convert",
            Command::Nextgen(_) => "nextgen",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Lines for people to read.
    #[default]
    Text,
    /// One JSON document, for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files to check (`-` reads standard input; with --workspace: default every schema
    /// file of the workspace).
    #[arg(required_unless_present = "workspace", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Validate for this target instead of telling by the file ("kind": "user-schema" is nextgen).
    #[arg(long, value_enum, value_name = "TARGET")]
    pub target: Option<nextgen::TargetArg>,
    /// Sample user data (JSON) to check against the one schema FILE given.
    #[arg(long = "sample", value_name = "USER.json")]
    pub samples: Vec<PathBuf>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A bare JSON Schema file, a request body {type, schema, possibleAuthenticators}, or a
    /// nextgen document (`-` reads standard input; then give --type unless the body names
    /// one; with --workspace: omit to import every workspace file).
    #[arg(value_name = "FILE", required_unless_present = "workspace")]
    pub file: Option<PathBuf>,
    /// The schema's type (default: the body's type, else the file name without .json).
    #[arg(long = "type", value_name = "NAME")]
    pub type_name: Option<String>,
    /// Comma-separated authenticators: username, password, webauthn, totp, otp-email, otp-sms,
    /// authentication-key, identity-provider (default: the body's, else the previous revision's).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub authenticators: Option<Vec<String>>,
    /// A short message for the revision.
    #[arg(short, long, default_value = "")]
    pub message: String,
    /// Save only if the type's latest revision is N (0: the type is new); otherwise exit 1
    /// and write nothing, so a script never overwrites a revision saved meanwhile.
    #[arg(long, value_name = "N")]
    pub if_latest: Option<u32>,
    /// The file's format when it is not a ZITADEL schema: a Keycloak user profile or an Ory
    /// identity schema (default: detected, and said).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Option<interchange::FromFormat>,
    /// Also write the import report of a Keycloak or Ory import as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include archived and deleted (awaiting purge) schemas.
    #[arg(long)]
    pub all: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct TypeArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// The revision number (default: the latest).
    #[arg(long, short = 'r')]
    pub revision: Option<u32>,
    /// What to print: the JSON Schema alone, or the request body.
    #[arg(long, value_enum, default_value_t = ExportFormat::Schema)]
    pub format: ExportFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// The older revision.
    pub a: u32,
    /// The newer revision.
    pub b: u32,
}

/// What `--all` holds when given without a folder (clap refuses an empty path).
pub const NO_DIR: &str = "-";

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The schema to export (omit with --all).
    #[arg(
        value_name = "TYPE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub type_name: Option<String>,
    /// Export every schema's latest revision into this folder, one file each (with
    /// --workspace: every nextgen schema into the workspace, and no DIR).
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = NO_DIR)]
    pub all: Option<PathBuf>,
    /// The revision number (default: the latest).
    #[arg(long, short = 'r', conflicts_with = "all")]
    pub revision: Option<u32>,
    /// What to write: the JSON Schema alone, or the request body.
    #[arg(long, value_enum, default_value_t)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output (`-` is standard output).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "all")]
    pub output: Option<PathBuf>,
    /// With --format review: compare with this revision and mark the changed fields.
    #[arg(long, value_name = "M", conflicts_with_all = ["all", "against_server"])]
    pub against: Option<u32>,
    /// With --format review: compare with the server's copy of the schema.
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    pub against_server: Option<String>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// The revision whose content becomes the new revision.
    pub revision: u32,
    /// A short message for the new revision.
    #[arg(short, long, default_value = "")]
    pub message: String,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// The schema's new type.
    #[arg(value_name = "NEW_TYPE")]
    pub new_type: String,
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// Bring an archived schema back.
    #[arg(long)]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// Confirm the delete: remove the schema and all its revisions for good.
    #[arg(long)]
    pub purge: bool,
}

/// The store path the user chose (an empty one counts as none), or the platform default.
pub fn store_path(cli_db: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    cli_db
        .filter(|p| !p.as_os_str().is_empty())
        .or_else(Store::default_path)
        .ok_or_else(|| anyhow::anyhow!("no data folder is known for this platform; pass --db PATH"))
}

/// Runs a subcommand and turns its outcome into an exit code; errors are printed once, here.
pub fn run(cli: Cli, command: Command) -> ExitCode {
    let name = command.name();
    if let Some(dir) = cli.workspace.clone() {
        if let Command::Nextgen(args) = command {
            return finish(name, nextgen::run_api(cli.db, Some(&dir), args));
        }
        return finish(
            name,
            nextgen::run_workspace(cli.db.clone(), &dir, command).map_err(|e| match &cli.db {
                Some(p) => local::name_store(p, e),
                None => e,
            }),
        );
    }
    let result = match command {
        Command::Validate(args) => validate::run(&args),
        Command::Nextgen(args) => nextgen::run_api(cli.db, None, args),
        Command::Convert(args) => store_path(cli.db)
            .and_then(|p| nextgen::convert(&p, &args).map_err(|e| local::name_store(&p, e))),
        Command::Completions(args) => meta::completions(&args),
        Command::Man(args) => meta::man(&args),
        Command::Push(args) => store_path(cli.db)
            .and_then(|p| remote::push(&p, args).map_err(|e| local::name_store(&p, e))),
        Command::Pull(args) => store_path(cli.db)
            .and_then(|p| remote::pull(&p, args).map_err(|e| local::name_store(&p, e))),
        Command::Remote(args) => store_path(cli.db)
            .and_then(|p| remote::remote(&p, args).map_err(|e| local::name_store(&p, e))),
        other => store_path(cli.db).and_then(|path| local::run(&path, other)),
    };
    finish(name, result)
}

fn finish(name: &str, result: anyhow::Result<u8>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            tracing::info!(command = name, outcome = "failed", error = %format!("{e:#}"), "command");
            eprintln!(
                "schemadesk: {}",
                crate::printable::printable(&format!("{e:#}"))
            );
            ExitCode::from(exit::USAGE)
        }
    }
}
