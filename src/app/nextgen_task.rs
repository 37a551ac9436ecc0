//! A short-lived background thread whose one result the frame polls: the conversion and
//! workspace windows read, convert and write off the UI thread with it.

use std::sync::mpsc::{self, Receiver, TryRecvError};

pub struct Task<T> {
    rx: Receiver<T>,
}

impl<T> std::fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Task")
    }
}

/// The thread ended without a result (it could not start, or it panicked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lost;

impl<T: Send + 'static> Task<T> {
    /// Runs `work` on a new thread; the frame is repainted when it is done.
    pub fn spawn(
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        // If the thread cannot start, the sender is dropped with the closure and
        // `poll` answers `Lost`.
        let _ = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let _ = tx.send(work());
                ctx.request_repaint();
            });
        Task { rx }
    }

    /// The result once there is one.
    pub fn poll(&self) -> Option<Result<T, Lost>> {
        match self.rx.try_recv() {
            Ok(v) => Some(Ok(v)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(Lost)),
        }
    }
}
