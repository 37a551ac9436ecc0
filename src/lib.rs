//! schemadesk: design, version and ship ZITADEL user schemas.
//!
//! Layers, data flowing down only:
//!
//! ```text
//! ui → app ─┐
//!           ├→ service ─┬→ sync  ─┐
//! cli ──────┘           └→ store ─┴→ schema, nextgen, interchange
//! ```
//!
//! - `service` is the one layer that joins `store` and `sync` (push, pull, queue, jobs,
//!   nextgen import, the About facts); `cli` and the GUI both call it.
//! - `sync` is a pure client of servers (v3alpha generations 1 and 2, nextgen): no store,
//!   no settings, no workers.
//! - `logging`, `files`, `printable` and `icon` are leaves anyone may import.

pub mod app;
pub mod cli;
pub mod files;
pub mod icon;
pub mod interchange;
pub mod logging;
pub mod nextgen;
pub mod printable;
pub mod schema;
pub mod service;
pub mod settings;
pub mod store;
pub mod sync;
pub mod ui;
