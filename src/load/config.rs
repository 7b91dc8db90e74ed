//! `_config.yml`: read (refusing a link out of the track), parsed, and turned into a
//! [`Config`]; a missing, unreadable or malformed file is a diagnostic and the defaults apply.

use super::read_inside;
use crate::config::Config;
use blogtrack_diag::Diagnostic;
use std::path::Path;

/// The track's settings; what is wrong with them goes to `diags`.
pub(super) fn load_config(root: &Path, diags: &mut Vec<Diagnostic>) -> Config {
    match read_inside(root, "_config.yml") {
        Ok(text) => parse_config(&text, diags),
        Err(_) if !root.join("_config.yml").exists() => {
            diags.push(
                Diagnostic::warning("config-missing", "no _config.yml: using default settings")
                    .in_file("_config.yml")
                    .with_hint("run `blogtrack init` to see a documented _config.yml"),
            );
            Config::default()
        }
        Err(d) => {
            diags.push(d);
            Config::default()
        }
    }
}

/// The settings of the text of `_config.yml`.
fn parse_config(text: &str, diags: &mut Vec<Diagnostic>) -> Config {
    let (node, warnings) = blogtrack_yaml::parse_with_warnings(text);
    diags.extend(warnings.into_iter().map(|d| d.in_file("_config.yml")));
    match node {
        Ok(node) => {
            if !matches!(
                node.value,
                blogtrack_yaml::Value::Map(_) | blogtrack_yaml::Value::Null
            ) {
                diags.push(
                    Diagnostic::error(
                        "config-type",
                        format!(
                            "_config.yml must be a map of `key: value` settings, found {}; the default settings are used",
                            node.type_name()
                        ),
                    )
                    .at(node.line, node.col)
                    .in_file("_config.yml")
                    .with_hint("write one `key: value` setting per line, e.g. `title: My track`"),
                );
            }
            let (c, d) = Config::from_yaml(&node);
            diags.extend(d.into_iter().map(|d| d.in_file("_config.yml")));
            c
        }
        Err(d) => {
            diags.push(d.in_file("_config.yml"));
            Config::default()
        }
    }
}
