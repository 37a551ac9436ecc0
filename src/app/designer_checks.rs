//! The designer's heavy work, off the UI thread: reading the field tree from the JSON text,
//! compiling the schema and checking the typed sample user against it, and checking the saved
//! samples against the saved revision and the draft. One [`Queue`] thread; only the answer to
//! the newest job of each kind is passed on (and none after [`DesignerChecks::forget`]), and
//! it carries the key it was asked for, which the designer keeps only while still current:
//! a late answer for an older draft is never shown.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use super::tasks::{Queue, Replies, Wake};
use crate::schema::compat::{SampleInput, SampleOutcome, check_samples};
use crate::schema::fields::FieldTree;
use crate::schema::validate::{Diagnostic, SampleChecker};
use crate::store::SchemaId;

/// Which draft a tree was read for: the schema and its validation generation.
pub type TreeKey = (SchemaId, u64);
/// Which schema and typed sample were checked: (schema serial, sample serial).
pub type SampleKey = (u64, u64);
/// Which outcomes were computed: (schema serial, samples serial, saved revision).
pub type OutcomesKey = (u64, u64, u32);

/// The kinds of job; only the newest of each kind is answered to the designer.
#[derive(Clone, Copy)]
enum Kind {
    Parse = 0,
    Sample = 1,
    Outcomes = 2,
}

enum CheckJob {
    /// Reads the field tree from the JSON text.
    Parse { key: TreeKey, text: String },
    /// Checks the typed sample; `schema` is sent when it changed since the last sample job
    /// (the thread keeps the compiled checker).
    Sample {
        key: SampleKey,
        schema: Option<Arc<Value>>,
        text: String,
    },
    /// Drops the compiled checker (the preview closed); not answered.
    DropChecker,
    /// Checks the saved samples against the saved revision's schema and the draft's (shared
    /// with the designer, not copied: a large schema's value is several times its text).
    Outcomes {
        key: OutcomesKey,
        saved_text: String,
        draft: Arc<Value>,
        inputs: Vec<SampleInput>,
    },
}

/// What the thread found, for the designer to keep while its key is current.
pub enum CheckDone {
    Parsed {
        key: TreeKey,
        result: Result<(Value, FieldTree), String>,
    },
    Sample {
        key: SampleKey,
        diagnostics: Vec<Diagnostic>,
    },
    Outcomes {
        key: OutcomesKey,
        outcomes: Vec<SampleOutcome>,
    },
}

/// How much heavy work the thread has done, by kind (tests read it: each is costly for a
/// large schema, so the designer asks for it only when something shows its result).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Field trees read from the draft's text.
    pub trees_read: usize,
    /// Schemas compiled for checking the typed sample.
    pub checkers_compiled: usize,
    /// Saved revisions parsed to check the saved samples against.
    pub saved_parsed: usize,
}

#[derive(Default)]
struct Counters {
    trees_read: AtomicUsize,
    checkers_compiled: AtomicUsize,
    saved_parsed: AtomicUsize,
}

impl Counters {
    fn bump(counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// The designer's check thread and its count of unanswered jobs.
pub struct DesignerChecks {
    queue: Queue<(u64, CheckJob), (u64, CheckDone)>,
    counters: Arc<Counters>,
    pending: usize,
    /// The (schema, serial) the thread's checker was compiled for.
    checker_for: Option<(SchemaId, u64)>,
    /// The ticket of the last job sent, and of the newest job of each kind.
    tickets: u64,
    newest: [Option<u64>; 3],
}

impl DesignerChecks {
    pub fn spawn(wake: Wake) -> Self {
        let counters = Arc::new(Counters::default());
        let counting = Arc::clone(&counters);
        DesignerChecks {
            queue: Queue::spawn("schemadesk-designer", wake, move |jobs, done| {
                serve(jobs, &done, &counting);
            }),
            counters,
            pending: 0,
            checker_for: None,
            tickets: 0,
            newest: [None; 3],
        }
    }

    /// Drops every answer still to come (the designer switched to another schema).
    pub fn forget(&mut self) {
        self.newest = [None; 3];
    }

    pub fn parse(&mut self, key: TreeKey, text: String) {
        self.send(Kind::Parse, CheckJob::Parse { key, text });
    }

    /// Lets the thread drop its compiled checker (a large schema's is several times its
    /// text): the preview is not shown. The next sample job compiles it again.
    pub fn drop_checker(&mut self) {
        if self.checker_for.take().is_some() {
            self.tickets += 1;
            // Not answered, so not pending.
            let _ = self.queue.send((self.tickets, CheckJob::DropChecker));
        }
    }

    /// The heavy work done so far.
    pub fn work(&self) -> Work {
        let c = &self.counters;
        Work {
            trees_read: c.trees_read.load(Ordering::Relaxed),
            checkers_compiled: c.checkers_compiled.load(Ordering::Relaxed),
            saved_parsed: c.saved_parsed.load(Ordering::Relaxed),
        }
    }

    /// Checks `text` against `schema` of schema `id` (the schema is sent only when it changed
    /// since the last sample job).
    pub fn sample(&mut self, id: SchemaId, key: SampleKey, schema: &Arc<Value>, text: String) {
        let schema = (self.checker_for != Some((id, key.0))).then(|| Arc::clone(schema));
        self.checker_for = Some((id, key.0));
        self.send(Kind::Sample, CheckJob::Sample { key, schema, text });
    }

    pub fn outcomes(
        &mut self,
        key: OutcomesKey,
        saved_text: String,
        draft: Arc<Value>,
        inputs: Vec<SampleInput>,
    ) {
        let job = CheckJob::Outcomes {
            key,
            saved_text,
            draft,
            inputs,
        };
        self.send(Kind::Outcomes, job);
    }

    fn send(&mut self, kind: Kind, job: CheckJob) {
        self.tickets += 1;
        if self.queue.send((self.tickets, job)) {
            self.pending += 1;
            self.newest[kind as usize] = Some(self.tickets);
        } else {
            tracing::error!("the designer's check thread is gone");
        }
    }

    /// The answers to the newest jobs that arrived since the last poll.
    pub fn poll(&mut self) -> Vec<CheckDone> {
        let answers = self.queue.poll().answers;
        self.pending = self.pending.saturating_sub(answers.len());
        answers
            .into_iter()
            .filter(|(ticket, done)| {
                let kind = match done {
                    CheckDone::Parsed { .. } => Kind::Parse,
                    CheckDone::Sample { .. } => Kind::Sample,
                    CheckDone::Outcomes { .. } => Kind::Outcomes,
                };
                self.newest[kind as usize] == Some(*ticket)
            })
            .map(|(_, done)| done)
            .collect()
    }

    pub fn is_idle(&self) -> bool {
        self.pending == 0
    }
}

fn serve(
    jobs: std::sync::mpsc::Receiver<(u64, CheckJob)>,
    done: &Replies<(u64, CheckDone)>,
    counters: &Counters,
) {
    let mut checker: Option<SampleChecker> = None;
    for (ticket, job) in jobs {
        let answer = match job {
            CheckJob::DropChecker => {
                checker = None;
                continue;
            }
            CheckJob::Parse { key, text } => {
                Counters::bump(&counters.trees_read);
                CheckDone::Parsed {
                    key,
                    result: FieldTree::parse(&text).map_err(|e| e.to_string()),
                }
            }
            CheckJob::Sample { key, schema, text } => {
                if let Some(schema) = schema {
                    // The old checker goes first: two compiled large schemas at once are
                    // a peak of their own.
                    drop(checker.take());
                    Counters::bump(&counters.checkers_compiled);
                    checker = Some(SampleChecker::new(&schema));
                }
                let diagnostics = match (&checker, text.trim().is_empty()) {
                    (Some(c), false) => c.check(&text),
                    _ => Vec::new(),
                };
                CheckDone::Sample { key, diagnostics }
            }
            CheckJob::Outcomes {
                key,
                saved_text,
                draft,
                inputs,
            } => {
                let outcomes = if inputs.is_empty() {
                    Vec::new()
                } else {
                    Counters::bump(&counters.saved_parsed);
                    let saved =
                        serde_json::from_str::<Value>(&saved_text).unwrap_or_else(|_| json!({}));
                    check_samples(&saved, &draft, &inputs)
                };
                CheckDone::Outcomes { key, outcomes }
            }
        };
        if !done.send((ticket, answer)) {
            return;
        }
    }
}
