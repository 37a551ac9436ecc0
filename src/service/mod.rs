//! What the CLI and the GUI both do, written once: import, export and conversion of files
//! (`exchange`). Joins the store and the domain; no egui, no printing.

pub mod exchange;
