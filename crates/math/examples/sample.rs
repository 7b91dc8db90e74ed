//! Writes an HTML page with a sample of rendered expressions, to look at in a browser:
//! `cargo run -p blogtrack-math --example sample -- /tmp/math.html`.

use blogtrack_math::{css, fallback_html, MathContext};

#[path = "common/extract.rs"]
#[allow(dead_code)]
mod extract;

const SAMPLES: &[(&str, bool)] = &[
    (
        r"\newcommand{\R}{\mathbb{R}}\DeclareMathOperator*{\argmax}{arg\,max}\definecolor{cb}{RGB}{51,102,253}",
        false,
    ),
    (
        r"As shown in \eqref{eq:loss}, with $x \in \R^d$ and \text{a $\frac{1}{2}$ b}, see also \ref{eq:b}.",
        false,
    ),
    (
        r"\frac{\partial \mathcal{L}}{\partial \theta} = \sum_{i=1}^{N} \frac{1}{\sqrt{2\pi\sigma^2}} e^{-\frac{(x_i-\mu)^2}{2\sigma^2}}",
        true,
    ),
    (
        r"\begin{equation}\mathcal{L}(\theta) = \mathbb{E}_{x \sim p}\left[ \log \frac{p(x)}{q_\theta(x)} \right] \label{eq:loss}\end{equation}",
        true,
    ),
    (
        r"\begin{align} a &= b + c \label{eq:a} \\ &= d \nonumber \\ e &= \int_0^\infty f(t)\, dt \label{eq:b} \\ g &\le h \tag{$\star$} \end{align}",
        true,
    ),
    (
        r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \begin{pmatrix} a \\ b \end{pmatrix} = \begin{vmatrix} x & y \\ z & w \end{vmatrix} \begin{smallmatrix} a & b \\ c & d\end{smallmatrix}",
        true,
    ),
    (
        r"f(x) = \begin{cases} x^2 & \text{if } x \ge 0 \\ -x & \text{otherwise} \end{cases}",
        true,
    ),
    (
        r"\argmax_{\theta \in \Theta} \prod_{i=1}^n p_\theta(x_i) \quad \lim_{n \to \infty} \bigcup_{k} A_k \quad \min_{\substack{x \ge 0 \\ y \ge 0}} x+y",
        true,
    ),
    (
        r"\hat{x}, \tilde{y}, \bar{z}, \vec{v}, \dot{a}, \ddot{b}, \widehat{xyz}, \widetilde{abc}, \overline{AB}, \underbrace{a+b}_{n}, \overset{!}{=}",
        true,
    ),
    (
        r"{\color{red} x^2} + \textcolor{blue}{y^2} + \color{cb}{z^2}",
        true,
    ),
    (
        r"\begin{array}{c|cc} & a & b \\ \hline 1 & 2 & 3 \end{array} \qquad \boldsymbol{\beta}^\top \mathbf{X} \qquad \left\| \frac{a}{b} \right\|_2 \bigg( \Big[ x \Big] \bigg)",
        true,
    ),
    (
        r"\begin{equation*} x = y \tag{A.1} \label{eq:tagged} \end{equation*}",
        true,
    ),
    (r"See \eqref{eq:tagged} and \eqref{eq:missing}.", false),
    (r"\frac{1}{", true),
];

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/math.html".into());
    let mut ctx = MathContext::new();
    let mut body = String::new();
    if let Some(post) = std::env::args().nth(2) {
        let text = std::fs::read_to_string(&post).unwrap_or_default();
        for (tex, display) in extract::extract(&extract::body(&text)) {
            let html = ctx.render(&tex, display).unwrap_or_else(|e| {
                blogtrack_math::fallback_html_with_reason(&tex, display, e.message())
            });
            body.push_str(&html);
            body.push_str(if display { "\n" } else { " · \n" });
        }
    }
    for (tex, display) in SAMPLES {
        let html = if tex.contains(' ') && !display && tex.contains("As shown")
            || tex.starts_with("See")
        {
            prose(&mut ctx, tex)
        } else {
            ctx.render(tex, *display).unwrap_or_else(|e| {
                blogtrack_math::fallback_html_with_reason(tex, *display, e.message())
            })
        };
        body.push_str("<p>");
        body.push_str(&html);
        body.push_str("</p>\n");
    }
    let (body, diags) = ctx.finish(&body);
    for d in diags {
        eprintln!("{d}");
    }
    let page = format!(
        "<!doctype html><html><head><meta charset=utf-8><style>body{{font:18px/1.5 serif;max-width:860px;margin:1em auto}}{}</style></head><body>{body}{}</body></html>",
        css(),
        fallback_html("\\unknown{x}", false)
    );
    if let Err(e) = std::fs::write(&path, page) {
        eprintln!("failed to write `{path}`: {e}");
    }
}

/// Renders `$…$` and `\eqref`/`\ref` in a line of prose (a stand-in for the Markdown stage).
fn prose(ctx: &mut MathContext, line: &str) -> String {
    let mut out = String::new();
    for (i, part) in line.split('$').enumerate() {
        if i % 2 == 1 {
            out.push_str(
                &ctx.render(part, false)
                    .unwrap_or_else(|_| fallback_html(part, false)),
            );
        } else {
            for (j, w) in part.split(' ').enumerate() {
                if j > 0 {
                    out.push(' ');
                }
                if w.starts_with("\\eqref") || w.starts_with("\\ref") || w.starts_with("\\text") {
                    let tex = w.trim_end_matches(['.', ',']);
                    out.push_str(
                        &ctx.render(tex, false)
                            .unwrap_or_else(|_| fallback_html(tex, false)),
                    );
                    out.push_str(&w[tex.len()..]);
                } else {
                    out.push_str(w);
                }
            }
        }
    }
    out
}
