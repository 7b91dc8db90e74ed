//! The read-only inputs of rendering, built once per run from the loaded track: the asset
//! index, the highlighter, the post URL table and the Liquid `site` object. `build`, `check`
//! and `serve` make one [`RenderInputs`] and hand its [`RenderContext`] to every post.

use super::assets::AssetIndex;
use super::RenderContext;
use crate::config::Config;
use crate::model::Track;
use blogtrack_highlight::Highlighter;
use blogtrack_liquid::{Object, Value};
use std::collections::HashMap;

/// The Liquid `site` object.
pub fn site_value(config: &Config, track: &Track) -> Value {
    let mut o = Object::new();
    o.insert("title".into(), Value::Str(config.title.clone()));
    o.insert("description".into(), Value::Str(config.description.clone()));
    o.insert("url".into(), Value::Str(config.url.clone()));
    o.insert("baseurl".into(), Value::Str(config.baseurl.clone()));
    o.insert("lang".into(), Value::Str(config.lang.clone()));
    o.insert("blog_name".into(), Value::Str(config.blog_name.clone()));
    let posts: Vec<Value> = track
        .posts
        .iter()
        .filter(|p| p.listed())
        .map(|p| {
            let mut po = Object::new();
            po.insert("title".into(), Value::Str(p.meta.title.clone()));
            po.insert("url".into(), Value::Str(p.url.clone()));
            po.insert("date".into(), Value::Str(p.date.iso()));
            po.insert("description".into(), Value::Str(p.meta.description.clone()));
            po.insert("slug".into(), Value::Str(p.name.clone()));
            Value::Object(po)
        })
        .collect();
    o.insert("posts".into(), Value::Array(posts));
    o.insert("blogtrack".into(), track_value(config));
    if let Some(d) = &track.decisions {
        // Only with the file: a track without it keeps the `site` its pages always saw.
        let mut data = Object::new();
        data.insert(
            "decisions".into(),
            crate::decisions::highlights::Shown::new(d, track).liquid_value(),
        );
        o.insert("data".into(), Value::Object(data));
    }
    Value::Object(o)
}

/// `site.blogtrack` for pages: the conference name, the post date and the key dates, each as
/// written with its UTC equivalent (`dates.submission_deadline`), in UTC alone (`dates_utc.…`)
/// and as written (`dates_written.…`). A date not configured is absent (prints nothing).
fn track_value(config: &Config) -> Value {
    let mut t = Object::new();
    t.insert(
        "conference".into(),
        Value::Str(config.track.conference.clone()),
    );
    if let Some(d) = config.track.post_date {
        t.insert("post_date".into(), Value::Str(d.iso()));
    }
    let (mut shown, mut utc, mut written) = (Object::new(), Object::new(), Object::new());
    for d in &config.track.dates.dates {
        let key = d.milestone.key().to_string();
        shown.insert(key.clone(), Value::Str(d.at.display()));
        utc.insert(key.clone(), Value::Str(d.at.utc()));
        written.insert(key, Value::Str(d.at.written()));
    }
    t.insert("dates".into(), Value::Object(shown));
    t.insert("dates_utc".into(), Value::Object(utc));
    t.insert("dates_written".into(), Value::Object(written));
    Value::Object(t)
}

/// The read-only inputs of rendering, built once per run from the loaded track.
pub struct RenderInputs {
    assets: AssetIndex,
    highlighter: Highlighter,
    pub(crate) post_urls: HashMap<String, String>,
    pub(crate) site: Value,
    /// The HTML of the decisions' includes (empty without `_data/decisions.yml`).
    decision_includes: Vec<(&'static str, String)>,
}

impl RenderInputs {
    pub fn new(track: &Track) -> Self {
        RenderInputs {
            assets: AssetIndex::new(&track.static_files),
            highlighter: Highlighter::new(),
            post_urls: track
                .posts
                .iter()
                .map(|p| (p.file_stem.clone(), p.url.clone()))
                .collect(),
            site: site_value(&track.config, track),
            decision_includes: track
                .decisions
                .as_ref()
                .map(|d| {
                    let shown = crate::decisions::highlights::Shown::new(d, track);
                    crate::decisions::highlights::INCLUDES
                        .iter()
                        .filter_map(|name| Some((*name, shown.include(name)?)))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn context<'a>(&'a self, track: &'a Track) -> RenderContext<'a> {
        RenderContext {
            config: &track.config,
            assets: &self.assets,
            post_urls: &self.post_urls,
            highlighter: &self.highlighter,
            site: &self.site,
            bibs: &track.bibs,
            decision_includes: &self.decision_includes,
            decisions: track.decisions.as_ref(),
        }
    }
}
