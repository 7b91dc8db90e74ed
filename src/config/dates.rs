//! The track's key dates (`blogtrack.dates:` in `_config.yml`). The parser and the types live in
//! the `blogtrack-dates` crate, which the review server uses too, so the gate, the pages and the
//! review's phases read one section the same way; this module re-exports them.

pub use blogtrack_dates::*;
