//! A job on a thread of its own, for callers without a task runner: [`Worker::spawn`] runs
//! [`super::jobs::run`] on a new thread, reports progress and the result over a channel, and
//! stops within a fraction of a second when cancelled.
//!
//! ```no_run
//! # use schemadesk::service::{Job, JobRequest, Worker, WorkerMessage};
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

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::Duration;

use super::jobs::{JobOutput, JobRequest, run};
use crate::sync::SyncError;

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
        Worker::spawn_notifying(request, || {})
    }

    /// Like [`Worker::spawn`], calling `notify` after each message is sent (the GUI passes
    /// a repaint request, so it need not poll while the job runs).
    pub fn spawn_notifying(request: JobRequest, notify: impl Fn() + Send + 'static) -> Worker {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let flag = cancel.clone();
        let fallback = tx.clone();
        let handle = std::thread::Builder::new()
            .name("schemadesk-sync".into())
            .spawn(move || {
                let result = run(&request, &flag, |text| {
                    let _ = tx.send(WorkerMessage::Progress(text));
                    notify();
                });
                let _ = tx.send(WorkerMessage::Done(result));
                notify();
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
