//! Maps a syntect scope stack to one short CSS class.
//!
//! Grammars name tokens with TextMate scopes (`keyword.control.flow.python`,
//! `punctuation.definition.string.begin.js`...). A theme with hundreds of scope selectors is more
//! than a blog needs; a dozen Pygments-like classes read well in every language and keep the
//! HTML small. The innermost scope that matches a rule wins, so `punctuation.definition.comment`
//! inside `comment.line` falls through to the comment's class.

use std::sync::OnceLock;

use syntect::parsing::{Scope, ScopeStack};

/// Scope prefix → class, most specific first (the first matching prefix wins for a scope).
pub const RULES: &[(&str, &str)] = &[
    ("comment", "c"),
    ("punctuation.definition.comment", "c"),
    ("constant.character.escape", "se"),
    ("string.regexp", "sr"),
    ("string", "s"),
    ("markup.raw", "s"),
    ("constant.numeric", "m"),
    ("constant.language", "kc"),
    ("support.constant", "kc"),
    ("constant.other.placeholder", "si"),
    ("keyword.operator.word", "k"),
    ("keyword.operator", "o"),
    ("keyword.control.import", "kn"),
    ("keyword", "k"),
    ("storage.type", "kt"),
    ("storage", "k"),
    ("entity.name.function", "nf"),
    ("variable.function", "nf"),
    ("support.function", "nb"),
    ("meta.function-call.name", "nf"),
    ("entity.name.class", "nc"),
    ("entity.name.type", "nc"),
    ("entity.name.struct", "nc"),
    ("entity.name.enum", "nc"),
    ("entity.other.inherited-class", "nc"),
    ("support.type", "nc"),
    ("support.class", "nc"),
    ("entity.name.tag", "nt"),
    ("entity.other.attribute-name", "na"),
    ("meta.mapping.key", "na"),
    ("entity.name.section", "gh"),
    ("markup.heading", "gh"),
    ("entity.name.constant", "kc"),
    ("entity.name", "nf"),
    ("variable.parameter", "nv"),
    ("variable.language", "bp"),
    ("variable.other.constant", "kc"),
    ("markup.bold", "gs"),
    ("markup.italic", "ge"),
    ("markup.underline.link", "lk"),
    ("markup.inserted", "gi"),
    ("markup.deleted", "gd"),
    ("invalid", "err"),
];

fn compiled() -> &'static [(Scope, &'static str)] {
    static TABLE: OnceLock<Vec<(Scope, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        RULES
            .iter()
            .filter_map(|(s, c)| Scope::new(s).ok().map(|scope| (scope, *c)))
            .collect()
    })
}

/// The class of a token whose scopes are `stack` (`None`: plain text).
pub fn class_of(stack: &ScopeStack) -> Option<&'static str> {
    let table = compiled();
    stack.as_slice().iter().rev().find_map(|scope| {
        table
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
            .map(|(_, c)| *c)
    })
}
