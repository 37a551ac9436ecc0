//! Live validation off the UI thread: the newest job wins, results carry a generation so a
//! stale answer is never shown.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use super::tasks::{Queue, Replies, Wake};
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
    /// A nextgen document is checked by nextgen's rules.
    pub target: Target,
    /// The meta-schemas of the workspace the schema was opened from (None: the bundled one).
    pub metas: Option<Arc<MetaSet>>,
}

/// The answer to a [`Job`].
pub struct Checked {
    pub generation: u64,
    pub diagnostics: Vec<Diagnostic>,
}

/// The live validation thread (a [`Queue`] whose newest job wins).
pub struct Validator {
    queue: Queue<Job, Checked>,
}

impl Validator {
    /// Starts the validation thread; `wake` is called whenever a result is ready.
    pub fn spawn(wake: Wake) -> Self {
        Validator {
            queue: Queue::spawn("schemadesk-validate", wake, |jobs, results| {
                run(&jobs, &results)
            }),
        }
    }

    /// Queues a job; false when the thread is gone.
    pub fn submit(&self, job: Job) -> bool {
        self.queue.send(job)
    }

    /// Results that arrived since the last poll.
    pub fn poll(&self) -> Vec<Checked> {
        self.queue.poll().answers
    }
}

fn run(jobs: &Receiver<Job>, results: &Replies<Checked>) {
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
            Target::Nextgen => match &job.metas {
                Some(metas) => validate_document(&job.schema_text, metas).diagnostics,
                None => validate_document(&job.schema_text, &MetaSet::bundled()).diagnostics,
            },
        };
        let sent = results.send(Checked {
            generation: job.generation,
            diagnostics,
        });
        if !sent {
            return;
        }
    }
}
