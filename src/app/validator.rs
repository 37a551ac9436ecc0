//! Live validation off the UI thread: the newest job wins, results carry a generation so a
//! stale answer is never shown.

use std::collections::BTreeSet;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use crate::nextgen::Target;
use crate::nextgen::validate::{MetaSet, validate_document};
use crate::schema::AuthenticatorType;
use crate::schema::validate::{Diagnostic, Source, validate};

/// One request to check the editor's parts.
pub struct Job {
    pub generation: u64,
    pub type_name: String,
    pub schema_text: String,
    pub authenticators: BTreeSet<AuthenticatorType>,
    /// A nextgen document is checked by nextgen's rules (the bundled meta-schema).
    pub target: Target,
}

/// The answer to a [`Job`].
pub struct Checked {
    pub generation: u64,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct Validator {
    jobs: Option<Sender<Job>>,
    results: Receiver<Checked>,
}

impl Validator {
    /// Starts the validation thread; `wake` is called whenever a result is ready.
    pub fn spawn(wake: impl Fn() + Send + 'static) -> Self {
        let (job_tx, job_rx) = channel::<Job>();
        let (res_tx, res_rx) = channel::<Checked>();
        let spawned = std::thread::Builder::new()
            .name("schemadesk-validate".into())
            .spawn(move || run(&job_rx, &res_tx, &wake));
        let jobs = match spawned {
            Ok(_) => Some(job_tx),
            Err(e) => {
                tracing::error!("cannot start the validation thread: {e}");
                None
            }
        };
        Validator {
            jobs,
            results: res_rx,
        }
    }

    /// Queues a job; false when the thread is gone.
    pub fn submit(&self, job: Job) -> bool {
        self.jobs.as_ref().is_some_and(|tx| tx.send(job).is_ok())
    }

    /// Results that arrived since the last poll.
    pub fn poll(&self) -> Vec<Checked> {
        let mut out = Vec::new();
        loop {
            match self.results.try_recv() {
                Ok(c) => out.push(c),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return out,
            }
        }
    }
}

fn run(jobs: &Receiver<Job>, results: &Sender<Checked>, wake: &dyn Fn()) {
    while let Ok(mut job) = jobs.recv() {
        // Newest wins: skip every job that was superseded while we were busy.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let diagnostics = match job.target {
            Target::V3alpha => {
                validate(Source::Parts {
                    type_name: &job.type_name,
                    schema_text: &job.schema_text,
                    authenticators: &job.authenticators,
                })
                .diagnostics
            }
            Target::Nextgen => validate_document(&job.schema_text, &MetaSet::bundled()).diagnostics,
        };
        let sent = results.send(Checked {
            generation: job.generation,
            diagnostics,
        });
        if sent.is_err() {
            return;
        }
        wake();
    }
}
