//! Live validation off the UI thread: the newest job wins, results carry a generation so a
//! stale answer is never shown.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;

use serde_json::Value;

use super::tasks::{Queue, Replies, Wake};
use crate::nextgen::Target;
use crate::nextgen::validate::{MetaSet, validate_document};
use crate::schema::AuthenticatorType;
use crate::schema::validate::{Diagnostic, Source, validate, validate_parsed_parts};

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
    /// What `schema_text` parses to, when the caller has it already (a schema just opened:
    /// the store thread parsed it), so a large text is not parsed a second time.
    pub parsed: Option<Arc<Value>>,
}

/// The answer to a [`Job`].
pub struct Checked {
    pub generation: u64,
    pub diagnostics: Vec<Diagnostic>,
}

/// The live validation thread (a [`Queue`] whose newest job wins).
pub struct Validator {
    queue: Queue<Job, Checked>,
    /// How many texts the thread parsed itself (tests read it).
    parsed_texts: Arc<AtomicUsize>,
}

impl Validator {
    /// Starts the validation thread; `wake` is called whenever a result is ready.
    pub fn spawn(wake: Wake) -> Self {
        let parsed_texts = Arc::new(AtomicUsize::new(0));
        let counting = Arc::clone(&parsed_texts);
        Validator {
            queue: Queue::spawn("schemadesk-validate", wake, move |jobs, results| {
                run(&jobs, &results, &counting);
            }),
            parsed_texts,
        }
    }

    /// How many of the checked texts the thread had to parse itself.
    pub fn parsed_texts(&self) -> usize {
        self.parsed_texts.load(Ordering::Relaxed)
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

fn run(jobs: &Receiver<Job>, results: &Replies<Checked>, parsed_texts: &AtomicUsize) {
    while let Ok(mut job) = jobs.recv() {
        // Newest wins: skip every job that was superseded while we were busy.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let diagnostics = match (job.target, job.parsed.take()) {
            (Target::V3alpha, Some(schema)) => {
                validate_parsed_parts(&job.type_name, &job.schema_text, &schema)
            }
            (Target::V3alpha, None) => {
                parsed_texts.fetch_add(1, Ordering::Relaxed);
                validate(Source::Parts {
                    type_name: &job.type_name,
                    schema_text: &job.schema_text,
                    authenticators: &job.authenticators,
                })
                .diagnostics
            }
            (Target::Nextgen, _) => {
                parsed_texts.fetch_add(1, Ordering::Relaxed);
                match &job.metas {
                    Some(metas) => validate_document(&job.schema_text, metas).diagnostics,
                    None => validate_document(&job.schema_text, &MetaSet::bundled()).diagnostics,
                }
            }
        };
        // The text and the value go before the answer: nothing large waits for the next job.
        drop(job.schema_text);
        let sent = results.send(Checked {
            generation: job.generation,
            diagnostics,
        });
        if !sent {
            return;
        }
    }
}
