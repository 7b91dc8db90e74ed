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
    Value::Object(o)
}

/// The read-only inputs of rendering, built once per run from the loaded track.
pub struct RenderInputs {
    assets: AssetIndex,
    highlighter: Highlighter,
    pub(crate) post_urls: HashMap<String, String>,
    pub(crate) site: Value,
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
        }
    }
}
