//! schemadesk: design, version and ship ZITADEL user schemas.
//!
//! Layers, data flowing down only: `ui` → `app` → (`sync`, `store`) → `schema`.
//! `cli` drives `store`, `schema` and `sync` without egui.

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
