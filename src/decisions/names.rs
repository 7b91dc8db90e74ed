//! Comparing a camera-ready post's authors with the submission's (the names `review publish`
//! wrote into `_data/decisions.yml`). Two names are the same author when they are equal after
//! [`normalize`]: case, accents (`Zoë` = `Zoe`), punctuation between words (`J.-P.` = `J P`)
//! and runs of white space do not matter. Initials are not expanded (`J. Doe` is not `Jane
//! Doe`), and the order of the authors is not compared: an author who wants a different
//! spelling asks the organizers to change it in the review, which publishes it again.

/// The form two names are compared in: lowercase, accents removed (canonical decomposition
/// without the combining marks), every run of characters that are not letters or digits one
/// space, trimmed.
pub fn normalize(name: &str) -> String {
    let folded: String = blogtrack_bib::fold_accents(name)
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The difference between the submission's authors (`registered`) and the post's (`found`):
/// the registered names the post does not have, and the post's names that are not registered,
/// each as written. Both empty: the same authors.
pub fn difference<'a>(
    registered: &'a [String],
    found: &'a [String],
) -> (Vec<&'a str>, Vec<&'a str>) {
    let reg: Vec<String> = registered.iter().map(|n| normalize(n)).collect();
    let fnd: Vec<String> = found.iter().map(|n| normalize(n)).collect();
    let missing = registered
        .iter()
        .zip(&reg)
        .filter(|(_, n)| !fnd.contains(n))
        .map(|(r, _)| r.as_str())
        .collect();
    let extra = found
        .iter()
        .zip(&fnd)
        .filter(|(_, n)| !reg.contains(n))
        .map(|(f, _)| f.as_str())
        .collect();
    (missing, extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn case_accents_punctuation_and_spaces_do_not_matter() {
        assert_eq!(normalize("  Zoë   ÜNAL "), "zoe unal");
        assert_eq!(normalize("Jean-Pierre O'Neil"), "jean pierre o neil");
        assert_eq!(normalize("Ｊａｎｅ Doe"), "jane doe");
        assert_eq!(normalize("Jane\tDoe"), normalize("jane doe"));
    }

    #[test]
    fn initials_and_other_names_differ() {
        assert_ne!(normalize("J. Doe"), normalize("Jane Doe"));
        let registered = v(&["Jane Doe", "Ravi Rao"]);
        let found = v(&["ravi  rao", "J. Doe", "Mallory"]);
        let (missing, extra) = difference(&registered, &found);
        assert_eq!(missing, ["Jane Doe"]);
        assert_eq!(extra, ["J. Doe", "Mallory"]);
    }

    #[test]
    fn the_same_authors_in_another_order_match() {
        let registered = v(&["Zoë Ünal", "Ravi Rao"]);
        let found = v(&["Ravi Rao", "Zoe Unal"]);
        let (missing, extra) = difference(&registered, &found);
        assert!(missing.is_empty() && extra.is_empty());
    }
}
