//! schemadesk: design, version and ship ZITADEL user schemas.
//!
//! Layers, data flowing down only: `gui` (the window) → `ui` → `app` → (`sync`, `store`) →
//! `schema`; `gui` also drives `app` directly, and nothing in `app` imports `ui` or `gui`.
//! `cli` drives `store`, `schema` and `sync` without egui.

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
pub mod settings;
pub mod store;
pub mod sync;
pub mod ui;
