//! Server commands: `push`, `pull` and `remote list|add|remove|probe|token|deactivate|reactivate|delete`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use super::no_echo::NoEcho;
use super::{OutputFormat, exit};
use crate::printable::printable;
use crate::service::{self, PushKind, PushOptions, PushReport};
use crate::store::{Server, Store};
use crate::sync::{self, ClientOptions, Generation, StateAction, SyncError, Token, UserSchemaApi};

/// The longest `--timeout`, in seconds (an hour).
const MAX_TIMEOUT_SECS: u64 = 3600;

/// Connection settings shared by the server commands.
#[derive(Debug, Args, Clone)]
pub struct NetArgs {
    /// Give up on a call after this many seconds (1 to 3600).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS)
    )]
    pub timeout: u64,
}

impl NetArgs {
    fn options(&self) -> ClientOptions {
        let timeout = Duration::from_secs(self.timeout.clamp(1, MAX_TIMEOUT_SECS));
        ClientOptions {
            timeout,
            connect_timeout: timeout.min(Duration::from_secs(10)),
            ..ClientOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The schema to push (its latest revision).
    #[arg(
        value_name = "TYPE",
        required_unless_present = "retry_queued",
        conflicts_with = "retry_queued"
    )]
    pub type_name: Option<String>,
    /// The server: a name from `remote list`, or a URL.
    #[arg(
        long,
        short = 's',
        value_name = "NAME|URL",
        required_unless_present = "retry_queued"
    )]
    pub server: Option<String>,
    /// Keep mine: update even if the server's copy changed since the last push or pull.
    #[arg(long)]
    pub force: bool,
    /// Retry the pushes that were queued for lack of network (all servers unless --server).
    #[arg(long)]
    pub retry_queued: bool,
    #[command(flatten)]
    pub net: NetArgs,
    /// Output as text or JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The server: a name from `remote list`, or a URL.
    #[arg(long, short = 's', value_name = "NAME|URL")]
    pub server: String,
    /// Import this server schema (by type) as a local schema or a new local revision (take theirs).
    #[arg(long = "import", value_name = "TYPE", conflicts_with = "all")]
    pub import: Vec<String>,
    /// Import every schema of the server.
    #[arg(long)]
    pub all: bool,
    /// Import the server schema with this id.
    #[arg(long, value_name = "ID", conflicts_with = "all")]
    pub id: Vec<String>,
    #[command(flatten)]
    pub net: NetArgs,
    /// Output as text or JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct RemoteArgs {
    #[command(subcommand)]
    pub command: RemoteCommand,
}

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// List the servers, with their API generation.
    List {
        /// Output as text or JSON.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// Add a server. The API generation is probed unless given.
    Add {
        /// A short name for the server, used with --server.
        name: String,
        /// https://…, or http:// for this computer only.
        url: String,
        /// The API generation: 1 (/v3alpha/user_schemas) or 2 (/resources/v3alpha/user_schemas).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
        generation: Option<u8>,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Remove a server with its bindings and queued pushes (local schemas stay).
    Remove {
        /// The server's name.
        name: String,
    },
    /// Find (again) which API generation a server speaks.
    Probe {
        /// The server's name.
        name: String,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Store a server's token in the OS keyring, read from standard input.
    Token {
        /// The server's name (the keyring entry is service "schemadesk", user NAME).
        name: String,
        /// Remove the stored token instead.
        #[arg(long)]
        forget: bool,
    },
    /// Deactivate a schema on the server (asks first unless --yes).
    Deactivate(StateArgs),
    /// Reactivate a deactivated schema on the server (asks first unless --yes).
    Reactivate(StateArgs),
    /// Delete a schema on the server; the local schema stays (asks first unless --yes).
    Delete(StateArgs),
}

#[derive(Debug, Args)]
pub struct StateArgs {
    /// The local schema whose server copy to change.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// The server: a name from `remote list`, or a URL.
    #[arg(long, short = 's', value_name = "NAME|URL")]
    pub server: String,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub net: NetArgs,
}

pub fn push(db: &Path, args: PushArgs) -> anyhow::Result<u8> {
    let mut store = Store::open(db)?;
    if args.retry_queued {
        return retry(&mut store, &args);
    }
    let (Some(type_name), Some(server_arg)) = (&args.type_name, &args.server) else {
        bail!("push needs a TYPE and --server (or --retry-queued)");
    };
    let schema = store.by_type(type_name)?;
    if store.target(schema.id)? == crate::nextgen::Target::Nextgen {
        bail!(
            "\"{type_name}\" is a ZITADEL nextgen schema, which the v3alpha API cannot take: register it with `zitadel apply` from a workspace, or `schemadesk nextgen push {type_name} --url URL` (experimental)"
        );
    }
    let rev = store.latest_revision(schema.id)?;
    if let Err(SyncError::Invalid(diags)) = sync::check_draft(&rev.draft) {
        let name = format!("{type_name} revision {}", rev.number);
        super::validate::print_text(Path::new(&name), &diags);
        eprintln!(
            "schemadesk: \"{type_name}\" revision {} is not valid; nothing was sent ({} problem(s))",
            rev.number,
            diags.len()
        );
        return Ok(exit::INVALID);
    }
    let (server, added) = resolve_server(&mut store, server_arg)?;
    let result = push_to(&mut store, &server, &rev, &args, type_name);
    keep_or_forget(&mut store, &server, added);
    result
}

fn push_to(
    store: &mut Store,
    server: &Server,
    rev: &crate::store::Revision,
    args: &PushArgs,
    type_name: &str,
) -> anyhow::Result<u8> {
    let (token, _) = Token::resolve(&server.name).map_err(|e| explain(e, type_name, server))?;
    let options = PushOptions {
        force: args.force,
        queue_on_network_error: true,
    };
    match service::connect_and_push(
        store,
        server,
        token,
        &args.net.options(),
        None,
        rev,
        options,
    ) {
        Ok(report) => {
            print_push(server, &report, args.format)?;
            Ok(exit::OK)
        }
        Err(SyncError::Conflict(c)) => {
            let server_word = shell_word(&server.name);
            let type_word = shell_word(type_name);
            eprintln!(
                "schemadesk: \"{type_name}\" changed on server \"{}\" since the last push or pull (server revision {}, last known {}); nothing was sent.",
                server.name,
                c.remote_revision.map_or("?".into(), |r| r.to_string()),
                c.known_remote_revision
                    .map_or("none".into(), |r| r.to_string()),
            );
            print!("{}", c.unified_diff());
            eprintln!("Choose one:");
            eprintln!(
                "  schemadesk push {type_word} --server {server_word} --force       # keep mine: overwrite the server's copy"
            );
            eprintln!(
                "  schemadesk pull --server {server_word} --import {type_word}      # take theirs: import the server's copy as a new local revision"
            );
            Ok(exit::INVALID)
        }
        Err(e) => Err(explain(e, type_name, server)),
    }
}

fn retry(store: &mut Store, args: &PushArgs) -> anyhow::Result<u8> {
    let servers: Vec<Server> = match &args.server {
        Some(s) => {
            let (server, added) = resolve_server(store, s)?;
            // A server only now added has nothing queued.
            keep_or_forget(store, &server, added);
            if added {
                eprintln!("no pushes are queued");
                return Ok(exit::OK);
            }
            vec![server]
        }
        None => {
            let mut ids: Vec<_> = store
                .queued_pushes(None)?
                .iter()
                .map(|q| q.server_id)
                .collect();
            ids.sort();
            ids.dedup();
            ids.into_iter()
                .map(|id| store.server(id))
                .collect::<Result<_, _>>()?
        }
    };
    let mut worst = exit::OK;
    let mut total = 0;
    for server in servers {
        let queued = store.queued_pushes(Some(server.id))?.len();
        if queued == 0 {
            continue;
        }
        total += queued;
        let api = match open(store, &server, &args.net) {
            Ok(api) => api,
            Err(e) => {
                eprintln!("schemadesk: {}: {e:#}", server.name);
                worst = exit::USAGE;
                continue;
            }
        };
        let report = service::retry_queued(store, api.as_ref(), &server, args.force)?;
        for r in &report.pushed {
            print_push(&server, r, args.format)?;
        }
        for (type_name, e) in &report.failed {
            eprintln!(
                "schemadesk: \"{type_name}\" to {}: {e} (still queued)",
                server.name
            );
            worst = exit::USAGE;
        }
    }
    if total == 0 {
        eprintln!("no pushes are queued");
    }
    Ok(worst)
}

fn print_push(server: &Server, r: &PushReport, format: OutputFormat) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "server": server.name, "type": r.type_name, "revision": r.local_revision,
                "result": r.kind, "remoteId": r.remote_id, "remoteRevision": r.remote_revision,
                "generation": r.generation.number(), "details": r.details,
            }))?
        ),
        OutputFormat::Text => {
            let what = match r.kind {
                PushKind::Created => "created on the server",
                PushKind::Updated => "updated on the server",
                PushKind::AlreadyThere => "the server already had this content; recorded",
            };
            println!(
                "pushed \"{}\" revision {} to {}: {what} as {} (server revision {}; {})",
                r.type_name,
                r.local_revision,
                server.name,
                r.remote_id,
                r.remote_revision.map_or("?".into(), |n| n.to_string()),
                r.generation
            );
            for note in &r.notes {
                eprintln!("note: {note}");
            }
        }
    }
    Ok(())
}

pub fn pull(db: &Path, args: PullArgs) -> anyhow::Result<u8> {
    let mut store = Store::open(db)?;
    let (server, added) = resolve_server(&mut store, &args.server)?;
    let result = pull_from(&mut store, &server, &args);
    keep_or_forget(&mut store, &server, added);
    result
}

fn pull_from(store: &mut Store, server: &Server, args: &PullArgs) -> anyhow::Result<u8> {
    let api = open(store, server, &args.net)?;
    let api = api.as_ref();
    let wants_import = args.all || !args.import.is_empty() || !args.id.is_empty();
    let mut imported = Vec::new();
    // Server schemas that do not validate here: listed with their reason, never imported.
    let mut refused: Vec<SyncError> = Vec::new();
    let mut take =
        |result: Result<service::ImportReport, SyncError>, subject: &str| -> anyhow::Result<()> {
            match result {
                Ok(report) => imported.push(report),
                Err(e @ SyncError::NotImported { .. }) => refused.push(e),
                Err(e) => return Err(explain(e, subject, server)),
            }
            Ok(())
        };
    for id in &args.id {
        take(service::import_by_id(store, api, server, id), id)?;
    }
    let needs_list = args.all || !args.import.is_empty() || !wants_import;
    let mut remotes = Vec::new();
    if needs_list {
        remotes = api
            .list_all(&mut |fetched, total| {
                if std::io::stderr().is_terminal() {
                    eprint!(
                        "\rlisting: {fetched}{}",
                        total.map_or(String::new(), |t| format!(" of {t}"))
                    );
                }
            })
            .map_err(|e| explain(e, "the list", server))?;
        if std::io::stderr().is_terminal() {
            eprintln!();
        }
    }
    if args.all {
        for r in &remotes {
            take(service::import(store, server, r), &r.type_name)?;
        }
    }
    for type_name in &args.import {
        // The bound copy first (its type may have changed on the server), then by type.
        let bound = match store.find_by_type(type_name)? {
            Some(s) => store
                .binding(s.id, server.id)?
                .filter(|b| b.remote_state.as_deref() != Some(service::DELETED)),
            None => None,
        };
        let remote = match bound {
            Some(b) => match remotes.iter().find(|r| r.id == b.remote_id) {
                Some(r) => r.clone(),
                None => api
                    .get(&b.remote_id)
                    .map_err(|e| explain(e, type_name, server))?,
            },
            None => remotes
                .iter()
                .find(|r| &r.type_name == type_name)
                .cloned()
                .with_context(|| {
                    format!(
                        "server \"{}\" has no schema of type \"{type_name}\"",
                        server.name
                    )
                })?,
        };
        take(service::import(store, server, &remote), type_name)?;
    }
    if !wants_import {
        for r in &remotes {
            if let Err(SyncError::NotImported {
                type_name,
                remote_id,
                reason,
            }) = sync::check_remote(r)
            {
                eprintln!(
                    "note: the server's schema \"{type_name}\" ({remote_id}) cannot be imported: {reason}"
                );
            }
        }
        let rows = service::compare(store, server, remotes)?;
        print_rows(server, api.generation(), &rows, args.format)?;
        return Ok(exit::OK);
    }
    match args.format {
        OutputFormat::Json => {
            let not_imported: Vec<_> = refused
                .iter()
                .filter_map(|e| match e {
                    SyncError::NotImported {
                        type_name,
                        remote_id,
                        reason,
                    } => Some(json!({"type": type_name, "remoteId": remote_id, "reason": reason})),
                    _ => None,
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({
                    "server": server.name, "url": server.base_url,
                    "imported": imported, "notImported": not_imported,
                }))?
            );
        }
        OutputFormat::Text => {
            for i in &imported {
                for note in &i.notes {
                    eprintln!("note: \"{}\": {}", printable(&i.type_name), printable(note));
                }
                if i.changed {
                    println!(
                        "imported \"{}\" from {} as revision {} (server {} revision {})",
                        printable(&i.type_name),
                        printable(&server.name),
                        i.revision,
                        printable(&i.remote_id),
                        i.remote_revision.map_or("?".into(), |n| n.to_string())
                    );
                } else {
                    println!(
                        "\"{}\" already holds the server's content (revision {}); bound to {}",
                        printable(&i.type_name),
                        i.revision,
                        printable(&i.remote_id)
                    );
                }
            }
        }
    }
    for e in &refused {
        eprintln!("schemadesk: {e}");
    }
    Ok(if refused.is_empty() {
        exit::OK
    } else {
        exit::INVALID
    })
}

fn print_rows(
    server: &Server,
    generation: Generation,
    rows: &[service::RemoteRow],
    format: OutputFormat,
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json => {
            let items: Vec<_> = rows
                .iter()
                .map(|r| {
                    // The same check and words as the text mode's notes on standard error.
                    let refusal = r.remote.as_ref().map(|x| match sync::check_remote(x) {
                        Err(SyncError::NotImported { reason, .. }) => Some(reason),
                        _ => None,
                    });
                    json!({
                        "type": r.type_name(),
                        "importable": refusal.as_ref().map(Option::is_none),
                        "notImportableReason": refusal.flatten(),
                        "remoteId": r.remote.as_ref().map(|x| x.id.clone()),
                        "state": r.remote.as_ref().map(|x| x.state.as_str()),
                        "remoteRevision": r.remote.as_ref().and_then(|x| x.revision),
                        "localRevision": r.local.as_ref().map(|l| l.latest_revision),
                        "status": r.status,
                        "statusText": r.status.label(),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({
                    "server": server.name, "url": server.base_url,
                    "generation": generation.number(), "schemas": items,
                }))?
            );
        }
        OutputFormat::Text => {
            let mut out = std::io::stdout().lock();
            let on_server = rows.iter().filter(|r| r.remote.is_some()).count();
            writeln!(
                out,
                "server \"{}\" ({}, {}): {on_server} schema(s)",
                server.name, server.base_url, generation
            )?;
            writeln!(out, "TYPE\tSERVER ID\tSTATE\tSERVER REV\tLOCAL REV\tSTATUS")?;
            for r in rows {
                let dash = || "-".to_string();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    printable(r.type_name()),
                    r.remote
                        .as_ref()
                        .map_or_else(dash, |x| printable(&x.id).into_owned()),
                    r.remote.as_ref().map_or_else(
                        || r.binding
                            .as_ref()
                            .and_then(|b| b.remote_state.clone())
                            .unwrap_or_else(dash),
                        |x| x.state.as_str().to_string()
                    ),
                    r.remote
                        .as_ref()
                        .and_then(|x| x.revision)
                        .map_or_else(dash, |n| n.to_string()),
                    r.local
                        .as_ref()
                        .map_or_else(dash, |l| l.latest_revision.to_string()),
                    r.status.label()
                )?;
            }
        }
    }
    Ok(())
}

pub fn remote(db: &Path, args: RemoteArgs) -> anyhow::Result<u8> {
    let mut store = Store::open(db)?;
    match args.command {
        RemoteCommand::List { format } => {
            let servers = store.list_servers()?;
            let queued = store.queued_pushes(None)?;
            match format {
                OutputFormat::Json => {
                    let rows: Vec<_> = servers
                        .iter()
                        .map(|s| {
                            json!({"name": s.name, "url": s.base_url, "generation": s.generation,
                                   "queued": queued.iter().filter(|q| q.server_id == s.id).count()})
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
                OutputFormat::Text => {
                    if servers.is_empty() {
                        eprintln!("no servers yet; add one with `schemadesk remote add NAME URL`");
                    }
                    for s in &servers {
                        let n = queued.iter().filter(|q| q.server_id == s.id).count();
                        println!(
                            "{}\t{}\t{}{}",
                            s.name,
                            s.base_url,
                            s.generation
                                .and_then(Generation::from_number)
                                .map_or("generation not yet known".into(), |g| g.to_string()),
                            if n > 0 {
                                format!("\t{n} push(es) queued")
                            } else {
                                String::new()
                            }
                        );
                    }
                }
            }
            Ok(exit::OK)
        }
        RemoteCommand::Add {
            name,
            url,
            generation,
            net,
        } => {
            if name.trim().is_empty() || name.contains("://") {
                bail!("a server name must not be empty or look like a URL");
            }
            let parsed = sync::check_url(&url)?;
            let server = store.add_server(&name, parsed.as_str(), generation)?;
            match generation.and_then(Generation::from_number) {
                Some(g) => println!("added {name} ({}, {g})", server.base_url),
                None => match probe_and_record(&mut store, &server, &net) {
                    Ok(g) => println!("added {name} ({}, answers {g})", server.base_url),
                    Err(e) => println!(
                        "added {name} ({}); the API generation will be probed on first use ({e:#})",
                        server.base_url
                    ),
                },
            }
            Ok(exit::OK)
        }
        RemoteCommand::Remove { name } => {
            let server = store.server_by_name(&name)?;
            store.remove_server(server.id)?;
            println!(
                "removed {name}; its bindings and queued pushes are gone, the local schemas stay (a keyring token stays until `schemadesk remote token {} --forget`)",
                shell_word(&name)
            );
            Ok(exit::OK)
        }
        RemoteCommand::Probe { name, net } => {
            let server = store.server_by_name(&name)?;
            let g = probe_and_record(&mut store, &server, &net)?;
            println!("{name} answers {g}");
            Ok(exit::OK)
        }
        RemoteCommand::Token { name, forget } => {
            let server = store.server_by_name(&name)?;
            if forget {
                Token::forget(&server.name)?;
                println!("removed the keyring token of {name}");
                return Ok(exit::OK);
            }
            let line = read_secret_line(&format!(
                "token for {name} (not shown as you type; end with Enter): "
            ))?;
            let token = Token::new(line);
            if token == Token::new("") {
                bail!("no token was given");
            }
            token.check_sendable()?;
            Token::store_in_keyring(&server.name, &token)?;
            println!("stored the token of {name} in the keyring");
            Ok(exit::OK)
        }
        RemoteCommand::Deactivate(a) => state(&mut store, a, StateAction::Deactivate),
        RemoteCommand::Reactivate(a) => state(&mut store, a, StateAction::Reactivate),
        RemoteCommand::Delete(a) => state(&mut store, a, StateAction::Delete),
    }
}

/// Reads one line from standard input; from a terminal with its echo turned off, so a
/// token typed there is never shown (nor left in the terminal's scrollback).
fn read_secret_line(prompt: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let mut line = String::new();
    if stdin.is_terminal() {
        let echo_off = NoEcho::new()?;
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        let read = stdin.lock().read_line(&mut line);
        drop(echo_off);
        eprintln!();
        read.context("cannot read the token from the terminal")?;
    } else {
        stdin
            .lock()
            .read_line(&mut line)
            .context("cannot read the token from standard input")?;
    }
    Ok(line)
}

fn state(store: &mut Store, args: StateArgs, action: StateAction) -> anyhow::Result<u8> {
    let schema = store.by_type(&args.type_name)?;
    let (server, added) = resolve_server(store, &args.server)?;
    let result = change_state_on(store, &server, &schema, &args, action);
    keep_or_forget(store, &server, added);
    result
}

fn change_state_on(
    store: &mut Store,
    server: &Server,
    schema: &crate::store::SchemaSummary,
    args: &StateArgs,
    action: StateAction,
) -> anyhow::Result<u8> {
    let binding = store
        .binding(schema.id, server.id)?
        .filter(|b| b.remote_state.as_deref() != Some(service::DELETED));
    let Some(binding) = binding else {
        bail!(
            "\"{}\" is not on server \"{}\" (never pushed there, or deleted); nothing was done",
            args.type_name,
            server.name
        );
    };
    if !args.yes
        && !confirm(&format!(
            "{} \"{}\" (server id {}) on {}?",
            capitalised(action.verb()),
            args.type_name,
            binding.remote_id,
            server.name
        ))?
    {
        eprintln!("nothing was done");
        return Ok(exit::INVALID);
    }
    let api = open(store, server, &args.net)?;
    let report = service::change_state(store, api.as_ref(), server, schema.id, action)
        .map_err(|e| explain(e, &args.type_name, server))?;
    println!(
        "{} \"{}\" on {} (server id {}); state now {}",
        action.past(),
        report.type_name,
        server.name,
        report.remote_id,
        report.state
    );
    Ok(exit::OK)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn confirm(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the answer")?;
    if n == 0 {
        eprintln!();
        eprintln!("no answer (pass --yes to skip the question)");
        return Ok(false);
    }
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

fn probe_and_record(
    store: &mut Store,
    server: &Server,
    net: &NetArgs,
) -> anyhow::Result<Generation> {
    let url = sync::check_url(&server.base_url)?;
    let (token, _) = Token::resolve(&server.name)?;
    let report = sync::probe(&url, token, &net.options(), None)?;
    let g = report
        .chosen()
        .context("no API generation of user schemas answers")?;
    store.set_server_generation(server.id, Some(g.number()))?;
    if report.v1 && report.v2 {
        eprintln!("{} answers both generations; using {g}", server.name);
    }
    Ok(g)
}

/// A server by name, or by URL. A URL not yet known is added under its host name, and
/// `true` says so: [`keep_or_forget`] removes it again unless the command left something
/// that needs it (a binding or a queued push), so one-off URLs leave no entries behind.
fn resolve_server(store: &mut Store, arg: &str) -> anyhow::Result<(Server, bool)> {
    if !arg.contains("://") {
        return Ok((store.server_by_name(arg)?, false));
    }
    let url = sync::check_url(arg)?;
    if let Some(s) = store.find_server_by_url(url.as_str())? {
        return Ok((s, false));
    }
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("server")),
        None => url.host_str().unwrap_or("server").to_string(),
    };
    let mut name = host.clone();
    let mut n = 2;
    while store.find_server(&name)?.is_some() {
        name = format!("{host}-{n}");
        n += 1;
    }
    let server = store.add_server(&name, url.as_str(), None)?;
    Ok((server, true))
}

/// Keeps a server that `resolve_server` added only if something now refers to it.
fn keep_or_forget(store: &mut Store, server: &Server, added: bool) {
    if !added {
        return;
    }
    let used = store
        .bindings_for_server(server.id)
        .map(|b| !b.is_empty())
        .unwrap_or(true)
        || store
            .queued_pushes(Some(server.id))
            .map(|q| !q.is_empty())
            .unwrap_or(true);
    if used {
        eprintln!(
            "added server \"{}\" for {} (it holds what was pushed, pulled or queued; `--server {}` next time)",
            server.name,
            server.base_url,
            shell_word(&server.name)
        );
    } else if let Err(e) = store.remove_server(server.id) {
        tracing::warn!("cannot remove the one-off server {}: {e}", server.name);
    }
}

fn open(
    store: &mut Store,
    server: &Server,
    net: &NetArgs,
) -> anyhow::Result<Box<dyn UserSchemaApi>> {
    let (token, _) = Token::resolve(&server.name)?;
    service::open_api(store, server, token, &net.options(), None)
        .map_err(|e| anyhow::anyhow!("{}: {e}", server.name))
}

/// Adds what to do next to an error, without the token (which errors never hold).
fn explain(e: SyncError, subject: &str, server: &Server) -> anyhow::Error {
    let hint = match &e {
        SyncError::AlreadyExists(_) => format!(
            "; import it with `schemadesk pull --server {} --import {}` or rename the local schema",
            shell_word(&server.name),
            shell_word(subject)
        ),
        SyncError::RemoteGone { .. } => String::new(),
        SyncError::Unauthenticated(_) => {
            " (set ZITADEL_TOKEN or `schemadesk remote token NAME`)".to_string()
        }
        _ => String::new(),
    };
    anyhow::anyhow!("{} on {}: {e}{hint}", subject, server.name)
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
