//! schemadesk: design, version and ship ZITADEL user schemas.
//!
//! Layers, data flowing down only (ARCHITECTURE.md draws them; `tests/core/architecture.rs`
//! fails on an import against them):
//!
//! ```text
//! gui                       the eframe::App wrapper: draws through ui, runs Commands
//! ui                        egui panels and widgets; turns clicks into Commands
//! app          cli          GUI state + Commands | clap subcommands
//! service                   import, export, push, pull, the queue: joins store and sync
//! store  sync  settings     SQLite | the server clients (no store, no threads) | preferences
//! nextgen  interchange      the nextgen dialect | Keycloak, Ory, the review sheet
//! schema                    the domain
//! files  printable  icon  logging  when    leaves anyone may import
//! ```
pub mod app;
pub mod cli;
pub mod files;
pub mod gui;
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
pub mod when;
