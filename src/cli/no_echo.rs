//! The terminal's echo, off while a token is typed, and back on however the program ends:
//! a normal return or an error (the guard's `Drop`), or Ctrl-C, `kill`, a closed terminal
//! (a signal handler that turns the echo back on, then lets the signal end the program as
//! it would have: the shell shows exit 130 after Ctrl-C).

/// Echo off on the terminal that is standard input while this lives.
pub struct NoEcho {
    #[cfg(unix)]
    inner: unix::Guard,
}

impl NoEcho {
    pub fn new() -> anyhow::Result<NoEcho> {
        #[cfg(unix)]
        {
            let inner = unix::Guard::new().map_err(|e| {
                anyhow::anyhow!(
                    "cannot turn off this terminal's echo to read the token unseen ({e}); pipe it in instead, e.g. `schemadesk remote token NAME < token.txt`"
                )
            })?;
            Ok(NoEcho { inner })
        }
        #[cfg(not(unix))]
        anyhow::bail!(
            "a token is not read from the console here, where it would be shown; pipe it in (`Get-Content token.txt | schemadesk remote token NAME`) or type it into the editor's Servers window"
        )
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        #[cfg(unix)]
        self.inner.restore();
    }
}

// The only unsafe code of the crate: termios and signal handlers have no safe std API, and
// `libc` is their thinnest binding. Each block says why it is sound.
#[cfg(unix)]
#[allow(unsafe_code)]
mod unix {
    use std::io;
    use std::mem::MaybeUninit;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// The signals that end the program while it waits at the prompt (each one's default
    /// is to terminate, which would skip every `Drop`).
    const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    /// Whether the handler should turn the echo on: only while a guard lives, and only when
    /// the echo was on before (a terminal the user had set to `-echo` stays so).
    static RESTORE_ECHO: AtomicBool = AtomicBool::new(false);

    pub struct Guard {
        saved: libc::termios,
        /// The dispositions the handler replaced, put back when the guard ends.
        previous: Vec<(libc::c_int, libc::sigaction)>,
        restored: bool,
    }

    fn get_attr() -> io::Result<libc::termios> {
        let mut t = MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr fills the whole struct when it returns 0; it is read only then.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, t.as_mut_ptr()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: initialised by the successful call above.
        Ok(unsafe { t.assume_init() })
    }

    fn set_attr(t: &libc::termios) -> io::Result<()> {
        // SAFETY: `t` is a valid termios read from this terminal.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Runs in the signal's context: only async-signal-safe calls (tcgetattr, tcsetattr,
    /// write, sigaction, raise, pthread_sigmask, _exit), no allocation, no locks.
    extern "C" fn on_signal(signal: libc::c_int) {
        // SAFETY: each call is async-signal-safe; the termios lives on this stack.
        unsafe {
            if RESTORE_ECHO.load(Ordering::SeqCst) {
                let mut t = MaybeUninit::<libc::termios>::uninit();
                if libc::tcgetattr(libc::STDIN_FILENO, t.as_mut_ptr()) == 0 {
                    let mut t = t.assume_init();
                    t.c_lflag |= libc::ECHO;
                    libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t);
                }
            }
            // The prompt's line is left open; end it so the shell's prompt starts clean.
            libc::write(libc::STDERR_FILENO, b"\n".as_ptr().cast(), 1);
            // End by the signal itself, so a calling shell or script sees "killed by
            // SIGINT" (and stops too, as it should on Ctrl-C), not an ordinary exit.
            let mut default: libc::sigaction = std::mem::zeroed();
            default.sa_sigaction = libc::SIG_DFL;
            libc::sigemptyset(&mut default.sa_mask);
            libc::sigaction(signal, &default, std::ptr::null_mut());
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, signal);
            libc::raise(signal);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::_exit(128 + signal);
        }
    }

    impl Guard {
        pub fn new() -> io::Result<Guard> {
            let saved = get_attr()?;
            let mut quiet = saved;
            quiet.c_lflag &= !libc::ECHO;
            RESTORE_ECHO.store(saved.c_lflag & libc::ECHO != 0, Ordering::SeqCst);
            let mut previous = Vec::new();
            for signal in SIGNALS {
                // SAFETY: a zeroed sigaction is a valid value for the kernel to fill in.
                let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
                // SAFETY: reading the current disposition (a null new action changes nothing).
                if unsafe { libc::sigaction(signal, std::ptr::null(), &mut old) } != 0 {
                    continue;
                }
                if old.sa_sigaction == libc::SIG_IGN {
                    continue; // ignored (e.g. under nohup): it cannot end the program
                }
                // SAFETY: zeroed then filled: a plain handler, no flags, an empty mask.
                let mut new: libc::sigaction = unsafe { std::mem::zeroed() };
                new.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                // SAFETY: `new` is fully initialised; the handler is async-signal-safe.
                unsafe {
                    libc::sigemptyset(&mut new.sa_mask);
                    if libc::sigaction(signal, &new, std::ptr::null_mut()) == 0 {
                        previous.push((signal, old));
                    }
                }
            }
            let mut guard = Guard {
                saved,
                previous,
                restored: false,
            };
            if let Err(e) = set_attr(&quiet) {
                guard.restore();
                return Err(e);
            }
            Ok(guard)
        }

        /// The terminal as it was, then the signals' old dispositions (in that order, so a
        /// signal in between still finds a handler or an echo already on).
        pub fn restore(&mut self) {
            if self.restored {
                return;
            }
            self.restored = true;
            let _ = set_attr(&self.saved);
            RESTORE_ECHO.store(false, Ordering::SeqCst);
            for (signal, old) in self.previous.drain(..) {
                // SAFETY: `old` was filled in by the kernel for this very signal.
                unsafe {
                    libc::sigaction(signal, &old, std::ptr::null_mut());
                }
            }
        }
    }
}
