//! Every `_config.yml` and every front matter of the real corpus parses, with known values.

use std::path::{Path, PathBuf};

use blogtrack_yaml::{parse_mapping, parse_page, Value};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_file());
    v.sort();
    v
}

#[test]
fn every_config_and_front_matter_parses() {
    let Some(root) = blogtrack_testcorpus::require("yaml::every_config_and_front_matter_parses")
    else {
        return;
    };
    let mut checked = 0;
    for track in ["iclr-2023", "iclr-2024"] {
        let dir = root.join(track);
        let text = std::fs::read_to_string(dir.join("_config.yml")).unwrap();
        let (config, warnings) = parse_mapping(&text);
        let config = config.unwrap_or_else(|d| panic!("{track}/_config.yml: {d}"));
        assert!(config.get("title").is_some());
        for w in warnings {
            eprintln!("{track}/_config.yml: {w}");
        }
        checked += 1;
        for sub in ["_posts", "_pages", "_news"] {
            for path in files(&dir.join(sub)) {
                let text = std::fs::read_to_string(&path).unwrap();
                let (page, warnings) = parse_page(&text);
                let page = page.unwrap_or_else(|d| panic!("{}: {d}", path.display()));
                assert!(page.data.as_map().is_some());
                for w in warnings {
                    eprintln!("{}: {w}", path.display());
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} files");
}

#[test]
fn known_values() {
    let Some(root) = blogtrack_testcorpus::require("yaml::known_values") else {
        return;
    };
    let text = std::fs::read_to_string(root.join("iclr-2024/_config.yml")).unwrap();
    let config = parse_mapping(&text).0.unwrap();
    assert_eq!(
        config.get("baseurl").and_then(|n| n.as_str()),
        Some("/2024")
    );
    assert_eq!(
        config.get("last_updated").and_then(|n| n.as_bool()),
        Some(false)
    );
    let desc = config.get("description").and_then(|n| n.as_str()).unwrap();
    assert_eq!(desc, "Home to the 2024 ICLR Blogposts track\n");

    let post = root.join("iclr-2024/_posts/2024-05-07-distill-example.md");
    let text = std::fs::read_to_string(post).unwrap();
    let page = parse_page(&text).0.unwrap();
    let date = page.data.get("date").unwrap();
    assert!(matches!(date.value, Value::Timestamp(_)), "{date:?}");
    let toc = page.data.get("toc").and_then(|n| n.as_seq()).unwrap();
    assert!(toc.iter().all(|e| e.as_map().is_some()));
    assert!(toc[0].get("name").and_then(|n| n.as_str()).is_some());
    let authors = page.data.get("authors").and_then(|n| n.as_seq()).unwrap();
    assert!(authors[0].get("name").is_some());
    // Node lines are file lines: the title is on line 3 of the file, after `---` and layout.
    let title_key = page.data.get_key("title").unwrap();
    assert_eq!(
        text.lines()
            .nth(title_key.line as usize - 1)
            .map(|l| l.starts_with("title:")),
        Some(true)
    );
}
