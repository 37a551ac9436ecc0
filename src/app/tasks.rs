//! Background work for the GUI, one way for all of it: a job runs on a thread, its answer
//! comes back over a channel, and every answer asks the UI for a repaint so the next frame
//! picks it up. The frame never waits: it takes whatever has arrived.
//!
//! - [`Queue`]: a long-lived thread that works through requests in order (the store, live
//!   validation, the kept drafts).
//! - [`Jobs`]: one short-lived thread per job, answers in the order they finish (sync's store
//!   and keyring reads, the About dialog's facts, the settings file, compatibility reports).
//! - [`Latest`]: one job at a time on [`Jobs`], where a newer start drops the earlier answer
//!   (the conversion window, the workspace, the nextgen server's list and push).

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;

/// Asks the UI for a repaint (in tests: anything, or nothing).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// A [`Wake`] that repaints `ctx`.
pub fn repaint(ctx: &egui::Context) -> Wake {
    let ctx = ctx.clone();
    Arc::new(move || ctx.request_repaint())
}

/// The answering half a background thread holds: each answer wakes the UI.
pub struct Replies<T> {
    tx: Sender<T>,
    wake: Wake,
}

impl<T> Replies<T> {
    /// Sends `answer` and wakes the UI; false once the app is gone (the thread should stop).
    pub fn send(&self, answer: T) -> bool {
        let sent = self.tx.send(answer).is_ok();
        if sent {
            (self.wake)();
        }
        sent
    }
}

/// What a poll found: the answers that arrived, and whether the thread has stopped.
pub struct Polled<T> {
    pub answers: Vec<T>,
    pub stopped: bool,
}

/// A long-lived background thread serving requests in order.
pub struct Queue<Req, Rep> {
    requests: Option<Sender<Req>>,
    replies: Receiver<Rep>,
    thread: Option<JoinHandle<()>>,
}

impl<Req: Send + 'static, Rep: Send + 'static> Queue<Req, Rep> {
    /// Starts `serve` on a thread named `name`. It reads requests until the queue is dropped
    /// and answers through [`Replies`]. A thread that cannot start is logged; every later
    /// [`Queue::send`] then returns false.
    pub fn spawn(
        name: &str,
        wake: Wake,
        serve: impl FnOnce(Receiver<Req>, Replies<Rep>) + Send + 'static,
    ) -> Self {
        let (req_tx, req_rx) = channel::<Req>();
        let (rep_tx, rep_rx) = channel::<Rep>();
        let replies = Replies { tx: rep_tx, wake };
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || serve(req_rx, replies));
        let (requests, thread) = match spawned {
            Ok(handle) => (Some(req_tx), Some(handle)),
            Err(e) => {
                tracing::error!("cannot start the thread {name}: {e}");
                (None, None)
            }
        };
        Queue {
            requests,
            replies: rep_rx,
            thread,
        }
    }

    /// Queues a request; false when the thread is gone.
    pub fn send(&self, request: Req) -> bool {
        self.requests
            .as_ref()
            .is_some_and(|tx| tx.send(request).is_ok())
    }

    /// The answers that arrived since the last poll, in order.
    pub fn poll(&self) -> Polled<Rep> {
        let mut answers = Vec::new();
        loop {
            match self.replies.try_recv() {
                Ok(answer) => answers.push(answer),
                Err(TryRecvError::Empty) => {
                    return Polled {
                        answers,
                        stopped: false,
                    };
                }
                Err(TryRecvError::Disconnected) => {
                    return Polled {
                        answers,
                        stopped: true,
                    };
                }
            }
        }
    }

    /// Closes the queue and waits until the thread has finished what it was asked.
    pub fn finish(&mut self) {
        self.requests = None;
        if let Some(handle) = self.thread.take() {
            let _ = handle.join();
        }
    }
}

/// One-shot background jobs, each on its own short-lived thread, answering through one
/// channel.
pub struct Jobs<T> {
    tx: Sender<T>,
    rx: Receiver<T>,
    wake: Wake,
    running: usize,
}

impl<T: Send + 'static> Jobs<T> {
    pub fn new(wake: Wake) -> Self {
        let (tx, rx) = channel();
        Jobs {
            tx,
            rx,
            wake,
            running: 0,
        }
    }

    /// Runs `work` on a thread named `name`; its answer arrives at a later [`Jobs::poll`].
    /// When no thread can start, or `work` panics, `failed` makes the answer from the reason
    /// instead, so every job answers.
    pub fn spawn(
        &mut self,
        name: &str,
        work: impl FnOnce() -> T + Send + 'static,
        failed: impl Fn(String) -> T + Send + Sync + 'static,
    ) {
        let replies = Replies {
            tx: self.tx.clone(),
            wake: self.wake.clone(),
        };
        let failed = Arc::new(failed);
        let failed_inside = Arc::clone(&failed);
        self.running += 1;
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // The panic itself is reported by the panic hook; the job still answers.
                let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                    .unwrap_or_else(|_| failed_inside("the job stopped unexpectedly".into()));
                replies.send(answer);
            });
        if let Err(e) = spawned {
            let _ = self.tx.send(failed(format!("cannot start a thread: {e}")));
        }
    }

    /// The answers that arrived since the last poll.
    pub fn poll(&mut self) -> Vec<T> {
        let answers: Vec<T> = self.rx.try_iter().collect();
        self.running = self.running.saturating_sub(answers.len());
        answers
    }

    /// Jobs started and not yet answered.
    pub fn running(&self) -> usize {
        self.running
    }
}

impl<T> std::fmt::Debug for Jobs<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("running", &self.running)
            .finish()
    }
}

/// One job at a time: starting another drops the earlier one's answer (a window whose
/// inputs changed wants the newest result only; a closed window wants none).
pub struct Latest<T> {
    jobs: Option<Jobs<T>>,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Latest { jobs: None }
    }
}

impl<T> std::fmt::Debug for Latest<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Latest")
            .field("running", &self.is_running())
            .finish()
    }
}

impl<T: Send + 'static> Latest<T> {
    /// Runs `work` as [`Jobs::spawn`] does, in place of any job still running.
    pub fn start(
        &mut self,
        wake: Wake,
        name: &str,
        work: impl FnOnce() -> T + Send + 'static,
        failed: impl Fn(String) -> T + Send + Sync + 'static,
    ) {
        let mut jobs = Jobs::new(wake);
        jobs.spawn(name, work, failed);
        self.jobs = Some(jobs);
    }

    /// The answer, once it has arrived; then nothing is running.
    pub fn poll(&mut self) -> Option<T> {
        let answer = self.jobs.as_mut()?.poll().pop();
        if answer.is_some() {
            self.jobs = None;
        }
        answer
    }
}

impl<T> Latest<T> {
    /// A job was started and has not answered yet.
    pub fn is_running(&self) -> bool {
        self.jobs.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    fn counting() -> (Wake, Arc<AtomicUsize>) {
        let count = Arc::new(AtomicUsize::new(0));
        let c = count.clone();
        (
            Arc::new(move || {
                c.fetch_add(1, Ordering::SeqCst);
            }),
            count,
        )
    }

    fn wait_for<T>(mut poll: impl FnMut() -> Vec<T>, n: usize) -> Vec<T> {
        let start = Instant::now();
        let mut out = Vec::new();
        while out.len() < n {
            out.extend(poll());
            assert!(start.elapsed() < Duration::from_secs(10), "no answer");
            std::thread::yield_now();
        }
        out
    }

    #[test]
    fn a_queue_answers_in_order_and_wakes_once_per_answer() {
        let (wake, woken) = counting();
        let mut queue = Queue::spawn("test-queue", wake, |requests, replies| {
            for n in requests {
                if !replies.send(n * 2) {
                    return;
                }
            }
        });
        for n in 1..=5 {
            assert!(queue.send(n));
        }
        let answers = wait_for(|| queue.poll().answers, 5);
        assert_eq!(answers, vec![2, 4, 6, 8, 10]);
        assert_eq!(woken.load(Ordering::SeqCst), 5);
        queue.finish();
        assert!(!queue.send(6), "a finished queue takes nothing");
    }

    #[test]
    fn a_queue_whose_thread_ended_says_so() {
        let (wake, _) = counting();
        let queue: Queue<u8, u8> = Queue::spawn("test-stop", wake, |_requests, replies| {
            replies.send(1);
        });
        let start = Instant::now();
        let mut answers = Vec::new();
        loop {
            let polled = queue.poll();
            answers.extend(polled.answers);
            if polled.stopped {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10));
            std::thread::yield_now();
        }
        assert_eq!(answers, vec![1]);
    }

    #[test]
    fn jobs_count_what_is_running_until_answered() {
        let (wake, woken) = counting();
        let mut jobs = Jobs::new(wake);
        jobs.spawn("test-a", || "a".to_string(), |e| e);
        jobs.spawn("test-b", || "b".to_string(), |e| e);
        assert_eq!(jobs.running(), 2);
        let mut answers = wait_for(|| jobs.poll(), 2);
        answers.sort();
        assert_eq!(answers, vec!["a", "b"]);
        assert_eq!(jobs.running(), 0);
        assert_eq!(woken.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_job_that_panics_still_answers() {
        let (wake, woken) = counting();
        let mut jobs: Jobs<String> = Jobs::new(wake);
        jobs.spawn(
            "test-panic",
            || panic!("on purpose"),
            |why| format!("failed: {why}"),
        );
        let answers = wait_for(|| jobs.poll(), 1);
        assert_eq!(answers, vec!["failed: the job stopped unexpectedly"]);
        assert_eq!(jobs.running(), 0);
        assert_eq!(woken.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn the_latest_job_drops_the_answer_of_the_one_it_replaced() {
        let (wake, woken) = counting();
        let mut latest = Latest::default();
        assert!(!latest.is_running());
        latest.start(wake.clone(), "test-old", || "old", |_| "failed");
        // The first answer has arrived (a wake means it was sent) but is not taken yet.
        let start = Instant::now();
        while woken.load(Ordering::SeqCst) == 0 {
            assert!(start.elapsed() < Duration::from_secs(10), "no answer");
            std::thread::yield_now();
        }
        let (release, held) = channel::<()>();
        latest.start(
            wake,
            "test-new",
            move || {
                let _ = held.recv();
                "new"
            },
            |_| "failed",
        );
        assert!(latest.is_running());
        assert_eq!(latest.poll(), None, "the replaced job's answer is dropped");
        let _ = release.send(());
        let start = Instant::now();
        let answer = loop {
            if let Some(a) = latest.poll() {
                break a;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no answer");
            std::thread::yield_now();
        };
        assert_eq!(answer, "new");
        assert!(!latest.is_running());
        assert_eq!(latest.poll(), None);
    }
}
