//! blogtrack: builds, checks and previews the site of a blog-post track.
//!
//! The pipeline, one module per stage:
//! [`load`] (read the track from disk) → [`model`]/[`meta`]/[`config`] (parse it into plain data)
//! → [`render`] (Liquid → Markdown → math, citations, footnotes, TOC, code, metadata)
//! → [`site`] (navigation, listings, feeds) → [`write`] (assemble aside, swap in).
//! [`build`] drives them; the stage crates live under `crates/`.

pub mod build;
pub mod check;
pub mod ci;
pub mod cmd;
pub mod config;
pub mod date;
pub mod decisions;
pub mod fields;
pub mod freeze;
pub mod html;
pub mod interrupt;
pub mod links;
pub mod load;
pub mod meta;
pub mod model;
pub mod nextyear;
pub mod preview;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod usage;
pub mod write;
