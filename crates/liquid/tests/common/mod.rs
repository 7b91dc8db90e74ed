//! A test host: renders Jekyll tags as short, visible markers.

use blogtrack_diag::Diagnostic;
use blogtrack_liquid::{Host, Value};

pub struct TestHost {
    pub baseurl: String,
}

impl Default for TestHost {
    fn default() -> Self {
        TestHost {
            baseurl: "/2024".into(),
        }
    }
}

impl Host for TestHost {
    fn include(
        &mut self,
        name: &str,
        params: &[(String, Value)],
        _line: u32,
    ) -> Result<String, Diagnostic> {
        let mut s = format!("<include {name}");
        for (k, v) in params {
            s.push_str(&format!(" {k}={}", v.inspect()));
        }
        s.push('>');
        Ok(s)
    }

    fn post_url(&mut self, name: &str, _line: u32) -> Result<String, Diagnostic> {
        match name.get(11..) {
            Some(slug) if name.as_bytes().get(10) == Some(&b'-') => {
                Ok(format!("{}/blog/{slug}/", self.baseurl))
            }
            _ => Err(Diagnostic::error(
                "liquid-post-url",
                format!("no post `{name}`"),
            )),
        }
    }

    fn highlight(&mut self, lang: &str, linenos: bool, code: &str, _line: u32) -> String {
        format!(
            "<pre {lang}{}>{code}</pre>",
            if linenos { " linenos" } else { "" }
        )
    }

    fn twitter(&mut self, url: &str, _line: u32) -> String {
        format!("<tweet {url}>")
    }

    fn mermaid(&mut self, source: &str, _line: u32) -> String {
        format!("<mermaid>{source}</mermaid>")
    }

    fn relative_url(&self, path: &str) -> String {
        let p = path.trim_start_matches('/');
        format!("{}/{p}", self.baseurl)
    }

    fn absolute_url(&self, path: &str) -> String {
        format!("https://example.org{}", self.relative_url(path))
    }
}
