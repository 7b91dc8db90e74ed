use super::*;

const SLUG: &str = "2025-04-28-my-post";

fn policy() -> PathPolicy {
    PathPolicy {
        post_date: Some("2025-04-28".to_string()),
    }
}

fn added(paths: &[&str]) -> Vec<Change> {
    paths.iter().map(|p| Change::added(*p)).collect()
}

/// Runs the rules with the PR title equal to the slug and returns the rule ids found.
fn codes(changes: &[Change]) -> Vec<&'static str> {
    let (_, diags) = check_paths(changes, Some(SLUG), &policy());
    diags.iter().map(|d| d.code).collect()
}

fn only(changes: &[Change]) -> Diagnostic {
    let (_, diags) = check_paths(changes, Some(SLUG), &policy());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    diags.into_iter().next().unwrap()
}

fn good_post() -> Vec<Change> {
    added(&[
        "_posts/2025-04-28-my-post.md",
        "assets/img/2025-04-28-my-post/fig1.png",
        "assets/img/2025-04-28-my-post/deep/er/fig2.svg",
        "assets/html/2025-04-28-my-post/plot.html",
        "assets/bibliography/2025-04-28-my-post.bib",
    ])
}

#[test]
fn a_complete_submission_passes() {
    let (slug, diags) = check_paths(&good_post(), Some(SLUG), &policy());
    assert_eq!(slug.as_deref(), Some(SLUG));
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn an_html_post_passes() {
    assert!(codes(&added(&["_posts/2025-04-28-my-post.html"])).is_empty());
}

#[test]
fn the_title_is_trimmed_and_must_equal_the_slug() {
    let ch = good_post();
    assert!(check_paths(&ch, Some("  2025-04-28-my-post \n"), &policy())
        .1
        .is_empty());
    let (_, diags) = check_paths(&ch, Some("My great post"), &policy());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "path-title-mismatch");
    assert!(diags[0]
        .hint
        .as_deref()
        .unwrap()
        .ends_with("exactly 2025-04-28-my-post"));
}

#[test]
fn no_title_means_no_title_check() {
    assert!(check_paths(&good_post(), None, &policy()).1.is_empty());
}

#[test]
fn prefix_hole_of_the_old_checker_is_closed() {
    let mut ch = good_post();
    ch.push(Change::added("assets/img/2025-04-28-my-post-other/x.png"));
    let d = only(&ch);
    assert_eq!(d.code, "path-outside-submission");
    assert!(
        d.message.contains("not this post's folder"),
        "{}",
        d.message
    );

    let mut ch = good_post();
    ch.push(Change::added("_posts/2025-04-28-my-post.md.bak"));
    let d = only(&ch);
    assert_eq!(d.code, "path-post-extension");
    assert!(d.message.contains("stray copy"));

    let mut ch = good_post();
    ch.push(Change::added(
        "assets/bibliography/2025-04-28-my-post.bib.old",
    ));
    assert_eq!(only(&ch).code, "path-asset-location");
}

#[test]
fn upper_case_post_name_gets_the_lowercase_fix() {
    let d = only(&added(&["_posts/2025-04-28-My-Post.md"]));
    // The title equals the slug as written, but the fix renames it: both are reported.
    assert_eq!(d.code, "path-post-name");
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .starts_with("use lowercase: 2025-04-28-my-post"));
}

#[test]
fn underscores_and_spaces_are_near_misses() {
    let (_, d) = check_paths(&added(&["_posts/2025-04-28-my_post.md"]), None, &policy());
    assert_eq!(d[0].code, "path-post-name");
    assert!(d[0]
        .hint
        .as_deref()
        .unwrap()
        .starts_with("use hyphens instead of underscores: 2025-04-28-my-post"));
    let (_, d) = check_paths(&added(&["_posts/2025-04-28-My post.md"]), None, &policy());
    assert!(
        d[0].message.contains("upper-case letters, spaces"),
        "{}",
        d[0].message
    );
}

#[test]
fn wrong_and_missing_dates_name_the_track_date() {
    let (_, d) = check_paths(&added(&["_posts/2024-01-01-my-post.md"]), None, &policy());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "path-post-date");
    assert!(d[0]
        .message
        .contains("the track's posts are dated 2025-04-28"));
    assert!(d[0].hint.as_deref().unwrap().contains("2025-04-28-my-post"));

    let (_, d) = check_paths(&added(&["_posts/my-post.md"]), None, &policy());
    assert_eq!(d[0].code, "path-post-name");
    assert!(d[0].hint.as_deref().unwrap().contains("2025-04-28-my-post"));
}

#[test]
fn any_valid_date_is_fine_without_a_track_date() {
    let (_, d) = check_paths(
        &added(&["_posts/2031-12-31-x.md"]),
        None,
        &PathPolicy::default(),
    );
    assert!(d.is_empty());
    let (_, d) = check_paths(
        &added(&["_posts/2031-13-31-x.md"]),
        None,
        &PathPolicy::default(),
    );
    assert_eq!(d[0].code, "path-post-name");
}

#[test]
fn near_miss_extensions_are_named() {
    for name in [
        "_posts/2025-04-28-my-post.markdown",
        "_posts/2025-04-28-my-post.MD",
    ] {
        let d = only(&added(&[name]));
        assert_eq!(d.code, "path-post-extension", "{name}");
        assert!(d
            .hint
            .as_deref()
            .unwrap()
            .contains("_posts/2025-04-28-my-post.md"));
    }
}

#[test]
fn nested_posts_folder_is_a_location_error() {
    let d = only(&added(&["_posts/_posts/2025-04-28-my-post.md"]));
    assert_eq!(d.code, "path-post-location");
    assert_eq!(
        d.hint.as_deref(),
        Some("move it to _posts/2025-04-28-my-post.md")
    );
    let mut ch = good_post();
    ch.push(Change::added("posts/notes.txt"));
    assert_eq!(only(&ch).code, "path-post-location");
}

#[test]
fn a_second_post_is_refused() {
    let mut ch = good_post();
    ch.push(Change::added("_posts/2025-04-28-another.md"));
    let d = only(&ch);
    assert_eq!(d.code, "path-second-post");
    let ch = added(&[
        "_posts/2025-04-28-my-post.md",
        "_posts/2025-04-28-my-post.html",
    ]);
    assert_eq!(codes(&ch), ["path-second-post"]);
}

#[test]
fn the_post_with_assets_wins_the_slug() {
    let ch = added(&[
        "_posts/2025-04-28-aaa.md",
        "_posts/2025-04-28-my-post.md",
        "assets/img/2025-04-28-my-post/a.png",
    ]);
    assert_eq!(infer_slug(&ch, &policy()).as_deref(), Some(SLUG));
}

#[test]
fn asset_near_misses_point_to_the_folder() {
    let cases = [
        (
            "assets/img/2025-04-28-my-post.png",
            "move it to assets/img/2025-04-28-my-post/2025-04-28-my-post.png",
        ),
        (
            "assets/images/2025-04-28-my-post/a.png",
            "move it to assets/img/2025-04-28-my-post/",
        ),
        (
            "assets/img/2025-04-28-My-Post/a.png",
            "rename the folder to assets/img/2025-04-28-my-post/ (same case, hyphens)",
        ),
        (
            "assets/bibliography/refs.bib",
            "keep one bibliography, named assets/bibliography/2025-04-28-my-post.bib",
        ),
    ];
    for (path, hint) in cases {
        let mut ch = good_post();
        ch.push(Change::added(path));
        let d = only(&ch);
        assert_eq!(d.code, "path-asset-location", "{path}");
        assert!(
            d.hint.as_deref().unwrap().starts_with(hint),
            "{path}: {:?}",
            d.hint
        );
        assert_eq!(d.file.as_deref(), Some(path));
    }
}

#[test]
fn organizer_files_are_off_limits() {
    for path in [
        "_config.yml",
        "_pages/about.md",
        ".github/workflows/x.yml",
        "Gemfile",
        "assets/js/x.js",
        "_layouts/post.html",
    ] {
        let mut ch = good_post();
        ch.push(Change::new(path, ChangeKind::Modified));
        let d = only(&ch);
        assert_eq!(d.code, "path-organizer-file", "{path}");
        assert!(d.message.contains("belongs to the organizers"));
    }
}

#[test]
fn other_posts_may_not_be_touched() {
    for (path, kind) in [
        ("_posts/2025-04-28-someone-else.md", ChangeKind::Modified),
        (
            "assets/img/2025-04-28-someone-else/a.png",
            ChangeKind::Deleted,
        ),
        (
            "assets/bibliography/2025-04-28-someone-else.bib",
            ChangeKind::Modified,
        ),
        ("assets/pdf/x.pdf", ChangeKind::Added),
    ] {
        let mut ch = good_post();
        ch.push(Change::new(path, kind));
        assert_eq!(only(&ch).code, "path-outside-submission", "{path}");
    }
}

#[test]
fn own_files_may_be_modified_deleted_and_renamed() {
    let ch = vec![
        Change::new("_posts/2025-04-28-my-post.md", ChangeKind::Modified),
        Change::new("assets/img/2025-04-28-my-post/old.png", ChangeKind::Deleted),
        Change::new(
            "assets/img/2025-04-28-my-post/new.png",
            ChangeKind::Renamed {
                from: "assets/img/2025-04-28-my-post/a/old.png".into(),
            },
        ),
    ];
    assert!(codes(&ch).is_empty());
}

#[test]
fn moving_someone_elses_file_in_is_reported() {
    let ch = vec![
        Change::added("_posts/2025-04-28-my-post.md"),
        Change::new(
            "assets/img/2025-04-28-my-post/a.png",
            ChangeKind::Renamed {
                from: "assets/img/2025-04-28-other/a.png".into(),
            },
        ),
    ];
    let d = only(&ch);
    assert_eq!(d.code, "path-outside-submission");
    assert!(d.message.contains("moves"));
}

#[test]
fn symlinks_and_submodules_are_refused() {
    let mut ch = good_post();
    ch.push(Change {
        path: "assets/html/2025-04-28-my-post/x".into(),
        kind: ChangeKind::Added,
        entry: EntryKind::Symlink,
    });
    ch.push(Change {
        path: "assets/html/2025-04-28-my-post/y".into(),
        kind: ChangeKind::Added,
        entry: EntryKind::Submodule,
    });
    assert_eq!(codes(&ch), ["path-symlink", "path-submodule"]);
}

#[test]
fn hostile_file_names_are_escaped_in_messages() {
    let mut ch = good_post();
    ch.push(Change::added(
        "assets/img/evil\u{202E}gnp.exe/x\n::error::pwned",
    ));
    let (_, diags) = check_paths(&ch, Some(SLUG), &policy());
    let all: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(all, ["path-bad-character", "path-outside-submission"]);
    for d in &diags {
        assert!(
            !d.message.contains('\n') && !d.message.contains('\u{202E}'),
            "{}",
            d.message
        );
    }
}

#[test]
fn junk_files_in_own_folder_are_warnings() {
    let mut ch = good_post();
    ch.push(Change::added("assets/img/2025-04-28-my-post/.DS_Store"));
    let d = only(&ch);
    assert_eq!(d.code, "path-junk-file");
    assert!(!d.is_error());
}

#[test]
fn dot_dot_in_a_files_list_is_outside() {
    let mut ch = good_post();
    ch.push(Change::added(
        "assets/img/2025-04-28-my-post/../../../etc/passwd",
    ));
    assert_eq!(only(&ch).code, "path-outside-submission");
}

#[test]
fn nothing_recognisable_is_reported_as_no_post() {
    let (slug, diags) = check_paths(&added(&["README.md"]), None, &policy());
    assert_eq!(slug, None);
    let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["path-no-post", "path-organizer-file"]);
    assert_eq!(
        check_paths(&[], None, &policy()).1[0].message,
        "the pull request changes no files"
    );
}

#[test]
fn an_asset_only_update_infers_the_slug_from_folders() {
    let ch = vec![Change::new(
        "assets/img/2025-04-28-my-post/a.png",
        ChangeKind::Modified,
    )];
    let (slug, diags) = check_paths(&ch, Some(SLUG), &policy());
    assert_eq!(slug.as_deref(), Some(SLUG));
    assert!(diags.is_empty());
}

#[test]
fn canonical_slug_repairs_common_mistakes() {
    assert_eq!(
        canonical_slug("2025-04-28-My_Post", &policy()),
        "2025-04-28-my-post"
    );
    assert_eq!(
        canonical_slug("2025_04_28_my post", &PathPolicy::default()),
        "2025-04-28-my-post"
    );
    assert_eq!(
        canonical_slug("my.post", &PathPolicy::default()),
        "YYYY-MM-DD-my-post"
    );
}

#[test]
fn a_post_at_the_root_is_moved_into_posts() {
    let d = only(&added(&["2025-04-28-my-post.md"]));
    assert_eq!(d.code, "path-post-location");
    assert_eq!(
        d.hint.as_deref(),
        Some("move it to _posts/2025-04-28-my-post.md")
    );
}

// ---- issue 13: verdicts and messages ----

#[test]
fn a_post_file_without_extension_says_so() {
    let d = only(&added(&[
        "_posts/2025-04-28-my-post",
        "assets/img/2025-04-28-my-post/fig1.png",
    ]));
    assert_eq!(d.code, "path-post-extension");
    assert!(d.message.contains("has no extension"), "{}", d.message);
    assert!(!d.message.contains("``"), "{}", d.message);
}

#[test]
fn deleting_another_authors_post_gets_its_own_message() {
    let mut changes = good_post();
    changes.push(Change::new(
        "_posts/2025-04-28-their-post.md",
        ChangeKind::Deleted,
    ));
    changes.push(Change::new(
        "assets/img/2025-04-28-their-post/a.png",
        ChangeKind::Deleted,
    ));
    let (_, diags) = check_paths(&changes, Some(SLUG), &policy());
    let got: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(got, ["path-other-post-deleted", "path-outside-submission"]);
    assert!(diags[0].message.contains("another author's post"));
    assert!(diags[1]
        .message
        .contains("a file of another post (2025-04-28-their-post)"));
}

#[test]
fn a_slug_problem_never_has_an_empty_file_name() {
    // The post is misplaced, so no changed file is the post or one of its folders' files.
    let (_, diags) = check_paths(&added(&["posts/2025_04_28-My-Post.md"]), None, &policy());
    assert!(!diags.is_empty());
    assert!(
        diags.iter().all(|d| d.file.as_deref() != Some("")),
        "{diags:#?}"
    );
}
