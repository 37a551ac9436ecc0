//! One server job over a stored server, as a plain blocking call: [`run`] opens its own store
//! connection, resolves the token, talks to the server, records the outcome, and reports its
//! steps to a callback. Whoever runs it decides the thread: the GUI runs it on a background
//! task ([`super::runner::Worker`] is a ready-made one), the tests and the CLI may call it
//! directly. A set cancel flag stops it within a fraction of a second with
//! `Err(SyncError::Cancelled)`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::connect::{open_api, probe_server};
use super::pull::{ImportReport, RemoteRow, compare, import_by_id};
use super::push::{PushOptions, PushReport, connect_and_push};
use super::queue::{RetryReport, retry_queued};
use super::state::{StateReport, change_state};
use crate::store::{SchemaId, Store};
use crate::sync::{
    ClientOptions, Generation, ProbeReport, RemoteSchema, StateAction, SyncError, Token,
};

/// What to do on the server.
#[derive(Debug, Clone)]
pub enum Job {
    /// Find which API generation the server speaks, and record it.
    Probe,
    /// List the server's schemas (all pages) beside the local ones.
    List,
    /// Fetch one schema by id.
    Fetch { remote_id: String },
    /// Push the latest revision of a schema; `force` is keep-mine after a conflict.
    Push { schema: SchemaId, force: bool },
    /// Import a server's schema (take-theirs after a conflict).
    Import { remote_id: String },
    /// Deactivate, reactivate or delete the server's copy of a schema.
    ChangeState {
        schema: SchemaId,
        action: StateAction,
    },
    /// Retry the queued pushes to this server.
    RetryQueued,
}

/// A job with everything it needs to run on its own.
#[derive(Debug, Clone)]
pub struct JobRequest {
    /// The store file (the worker opens its own connection).
    pub db: PathBuf,
    /// The server's name in the store.
    pub server: String,
    pub job: Job,
    /// A token to use; `None` reads `ZITADEL_TOKEN` or the keyring.
    pub token: Option<Token>,
    pub options: ClientOptions,
}

impl JobRequest {
    pub fn new(db: PathBuf, server: impl Into<String>, job: Job) -> JobRequest {
        JobRequest {
            db,
            server: server.into(),
            job,
            token: None,
            options: ClientOptions::default(),
        }
    }
}

/// What a finished job produced.
#[derive(Debug)]
pub enum JobOutput {
    Probed {
        report: ProbeReport,
        generation: Generation,
    },
    Listed(Vec<RemoteRow>),
    Fetched(Box<RemoteSchema>),
    Pushed(PushReport),
    Imported(ImportReport),
    StateChanged(StateReport),
    Retried(RetryReport),
}

/// Runs `request` to the end on the calling thread, passing each step's text to `progress`
/// ("Listing schemas: 200 of 450"). A network failure after `cancel` was set is reported as
/// `SyncError::Cancelled`.
pub fn run(
    request: &JobRequest,
    cancel: &Arc<AtomicBool>,
    mut progress: impl FnMut(String),
) -> Result<JobOutput, SyncError> {
    let result = run_job(request, cancel, &mut progress);
    if let Err(e) = &result {
        tracing::info!(server = ?request.server, job = ?request.job, outcome = "failed", error = %e, "sync job");
    }
    match result {
        Err(e) if cancel.load(Ordering::Relaxed) && e.is_network() => Err(SyncError::Cancelled),
        other => other,
    }
}

fn run_job(
    request: &JobRequest,
    cancel: &Arc<AtomicBool>,
    progress: &mut dyn FnMut(String),
) -> Result<JobOutput, SyncError> {
    let mut say = |text: String| progress(text);
    let mut store = Store::open(&request.db)?;
    let server = store.server_by_name(&request.server)?;
    let token = match &request.token {
        Some(t) => t.clone(),
        None => Token::resolve(&server.name)?.0,
    };
    let cancel = Some(cancel.clone());
    let api = match &request.job {
        Job::Probe => {
            say(format!("Probing {}", server.base_url));
            let (report, generation) =
                probe_server(&mut store, &server, token, &request.options, cancel)?;
            return Ok(JobOutput::Probed { report, generation });
        }
        Job::Push { schema, force } => {
            // Connecting is part of the push: a server that cannot be reached queues it.
            say(format!("Pushing to {}", server.name));
            let rev = store.latest_revision(*schema)?;
            let options = PushOptions {
                force: *force,
                queue_on_network_error: true,
            };
            return Ok(JobOutput::Pushed(connect_and_push(
                &mut store,
                &server,
                token,
                &request.options,
                cancel,
                &rev,
                options,
            )?));
        }
        _ => {
            say(format!("Connecting to {}", server.name));
            open_api(&mut store, &server, token, &request.options, cancel)?
        }
    };
    let api = api.as_ref();
    match &request.job {
        Job::Probe => Err(SyncError::NoGeneration {
            url: server.base_url.clone(),
            tried: "nothing (a probe needs no client)".into(),
        }),
        Job::List => {
            say("Listing schemas".into());
            let remotes = api.list_all(&mut |fetched, total| {
                say(match total {
                    Some(t) => format!("Listing schemas: {fetched} of {t}"),
                    None => format!("Listing schemas: {fetched}"),
                });
            })?;
            Ok(JobOutput::Listed(compare(&store, &server, remotes)?))
        }
        Job::Fetch { remote_id } => {
            say(format!("Fetching {remote_id}"));
            Ok(JobOutput::Fetched(Box::new(api.get(remote_id)?)))
        }
        Job::Push { .. } => Err(SyncError::NoGeneration {
            url: server.base_url.clone(),
            tried: "nothing (a push connects on its own)".into(),
        }),
        Job::Import { remote_id } => {
            say(format!("Importing {remote_id}"));
            Ok(JobOutput::Imported(import_by_id(
                &mut store, api, &server, remote_id,
            )?))
        }
        Job::ChangeState { schema, action } => {
            say(format!("Asking the server to {}", action.verb()));
            Ok(JobOutput::StateChanged(change_state(
                &mut store, api, &server, *schema, *action,
            )?))
        }
        Job::RetryQueued => {
            say("Retrying queued pushes".into());
            Ok(JobOutput::Retried(retry_queued(
                &mut store, api, &server, false,
            )?))
        }
    }
}
