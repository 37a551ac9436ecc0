//! Server calls off the UI thread: [`Worker::spawn`] runs one [`Job`] on its own thread with
//! its own store connection, reports progress and the result over a channel, and stops
//! within a fraction of a second when cancelled.
//!
//! ```no_run
//! # use schemadesk::sync::{Job, JobRequest, Worker, WorkerMessage};
//! # let db = std::path::PathBuf::from("schemadesk.db");
//! let worker = Worker::spawn(JobRequest::new(db, "prod", Job::List));
//! // each frame:
//! while let Some(message) = worker.try_recv() {
//!     match message {
//!         WorkerMessage::Progress(text) => { /* show text */ }
//!         WorkerMessage::Done(result) => { /* show the result or the error */ }
//!     }
//! }
//! // on the Cancel button: worker.cancel();
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use super::client::{ClientOptions, ProbeReport, StateAction, check_url, probe};
use super::error::SyncError;
use super::model::{Generation, RemoteSchema};
use super::ops::{
    self, ImportReport, PushOptions, PushReport, RemoteRow, RetryReport, StateReport,
};
use super::token::Token;
use crate::store::{SchemaId, Store};

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

/// A message from the worker.
#[derive(Debug)]
pub enum WorkerMessage {
    /// A step, for the status line ("Listing schemas: 200 of 450").
    Progress(String),
    /// The last message: the job's result. `Err(SyncError::Cancelled)` after a cancel.
    Done(Result<JobOutput, SyncError>),
}

/// A running job.
pub struct Worker {
    cancel: Arc<AtomicBool>,
    rx: Receiver<WorkerMessage>,
    handle: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts a job on a new thread.
    pub fn spawn(request: JobRequest) -> Worker {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let flag = cancel.clone();
        let fallback = tx.clone();
        let handle = std::thread::Builder::new()
            .name("schemadesk-sync".into())
            .spawn(move || {
                let result = run(&request, &flag, &tx);
                if let Err(e) = &result {
                    tracing::info!(server = ?request.server, job = ?request.job, outcome = "failed", error = %e, "sync job");
                }
                let result = match result {
                    Err(e) if flag.load(Ordering::Relaxed) && e.is_network() => {
                        Err(SyncError::Cancelled)
                    }
                    other => other,
                };
                let _ = tx.send(WorkerMessage::Done(result));
            });
        let handle = match handle {
            Ok(h) => Some(h),
            Err(e) => {
                let _ = fallback.send(WorkerMessage::Done(Err(SyncError::Connect(format!(
                    "cannot start the sync thread: {e}"
                )))));
                None
            }
        };
        Worker { cancel, rx, handle }
    }

    /// Asks the job to stop; a `Done(Err(Cancelled))` follows within a fraction of a second.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The cancel flag, to share with a button.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// The next message, if one is waiting (call it each frame).
    pub fn try_recv(&self) -> Option<WorkerMessage> {
        self.rx.try_recv().ok()
    }

    /// Waits up to `timeout` for the next message.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<WorkerMessage> {
        self.rx.recv_timeout(timeout).ok()
    }

    /// Waits for the result, passing progress texts to `progress`.
    pub fn wait(self, mut progress: impl FnMut(&str)) -> Result<JobOutput, SyncError> {
        loop {
            match self.rx.recv() {
                Ok(WorkerMessage::Progress(text)) => progress(&text),
                Ok(WorkerMessage::Done(result)) => return result,
                Err(_) => {
                    return Err(SyncError::ConnectionLost(
                        "the sync thread ended without a result".into(),
                    ));
                }
            }
        }
    }

    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

fn run(
    request: &JobRequest,
    cancel: &Arc<AtomicBool>,
    tx: &Sender<WorkerMessage>,
) -> Result<JobOutput, SyncError> {
    let say = |text: String| {
        let _ = tx.send(WorkerMessage::Progress(text));
    };
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
            return probe_job(&mut store, &server, token, &request.options, cancel);
        }
        Job::Push { schema, force } => {
            // Connecting is part of the push: a server that cannot be reached queues it.
            say(format!("Pushing to {}", server.name));
            let rev = store.latest_revision(*schema)?;
            let options = PushOptions {
                force: *force,
                queue_on_network_error: true,
            };
            return Ok(JobOutput::Pushed(ops::connect_and_push(
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
            ops::open_api(&mut store, &server, token, &request.options, cancel)?
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
            Ok(JobOutput::Listed(ops::compare(&store, &server, remotes)?))
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
            Ok(JobOutput::Imported(ops::import_by_id(
                &mut store, api, &server, remote_id,
            )?))
        }
        Job::ChangeState { schema, action } => {
            say(format!("Asking the server to {}", action.verb()));
            Ok(JobOutput::StateChanged(ops::change_state(
                &mut store, api, &server, *schema, *action,
            )?))
        }
        Job::RetryQueued => {
            say("Retrying queued pushes".into());
            Ok(JobOutput::Retried(ops::retry_queued(
                &mut store, api, &server, false,
            )?))
        }
    }
}

fn probe_job(
    store: &mut Store,
    server: &crate::store::Server,
    token: Token,
    options: &ClientOptions,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<JobOutput, SyncError> {
    let url = check_url(&server.base_url)?;
    let report = probe(&url, token, options, cancel)?;
    let generation = report.chosen().ok_or_else(|| SyncError::NoGeneration {
        url: server.base_url.clone(),
        tried: "both generations".into(),
    })?;
    store.set_server_generation(server.id, Some(generation.number()))?;
    Ok(JobOutput::Probed { report, generation })
}
