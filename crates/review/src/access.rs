//! Who may see and do what with one submission, from the viewer's roles and their relation to
//! it. The storage crate enforces the same rules in its queries (a conflicted person's query
//! returns no row); this module decides what a loaded row may show and which actions a page
//! offers, and the server checks it at the top of every handler.

use crate::role::{Role, Roles};
use serde::{Deserialize, Serialize};

/// How a person stands to one submission. A person has exactly one relation to a submission:
/// an author is never also its reviewer, and a conflict hides everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Listed among its authors.
    Author,
    /// A declared or derived conflict of interest (other than authorship).
    Conflicted,
    /// Assigned to review it; `submitted` once their own review is submitted.
    Reviewer { submitted: bool },
    /// Assigned as its area chair.
    AreaChair,
    /// None of the above.
    Unrelated,
}

/// What the viewer may do with the submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Access {
    /// Title, abstract, preview link (the anonymized view).
    pub read: bool,
    /// Names, e-mails and institutions of the authors, their conflict declaration.
    pub read_authors: bool,
    /// Change title, abstract, authors (the phase decides whether now).
    pub edit: bool,
    /// Bid on it (title and abstract only).
    pub bid: bool,
    /// Write and submit a review of it.
    pub review: bool,
    /// Read all its reviews (under pseudonyms).
    pub read_reviews: bool,
    /// Assign reviewers and area chairs, reopen reviews.
    pub manage: bool,
    /// Read and write the committee's discussion (reviewers once their review is submitted,
    /// the area chair, organizers).
    pub discuss: bool,
    /// Read the messages addressed to the authors and answer them (the phase decides when).
    pub respond: bool,
    /// Write the meta-review (the submission's area chair).
    pub meta_review: bool,
}

impl Access {
    pub fn of(roles: &Roles, relation: Relation) -> Access {
        let organizer = roles.has(Role::Organizer);
        match relation {
            Relation::Conflicted => Access::default(),
            Relation::Author => Access {
                read: true,
                read_authors: true,
                edit: true,
                respond: true,
                ..Access::default()
            },
            Relation::Reviewer { submitted } => Access {
                read: true,
                review: true,
                read_reviews: submitted,
                read_authors: organizer,
                manage: organizer,
                discuss: submitted || organizer,
                ..Access::default()
            },
            Relation::AreaChair => Access {
                read: true,
                read_reviews: true,
                read_authors: organizer,
                manage: organizer,
                discuss: true,
                meta_review: true,
                ..Access::default()
            },
            Relation::Unrelated => Access {
                read: organizer,
                read_authors: organizer,
                read_reviews: organizer,
                manage: organizer,
                discuss: organizer,
                bid: roles.has(Role::Reviewer) || roles.has(Role::AreaChair),
                ..Access::default()
            },
        }
    }

    /// May the viewer learn that the submission exists at all (list it, bid on it)?
    pub fn visible(&self) -> bool {
        self.read || self.bid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(r: &[Role]) -> Roles {
        Roles::new(r.to_vec())
    }

    #[test]
    fn a_conflict_hides_everything_even_from_an_organizer() {
        let a = Access::of(
            &roles(&[Role::Organizer, Role::Reviewer]),
            Relation::Conflicted,
        );
        assert_eq!(a, Access::default());
        assert!(!a.visible());
    }

    #[test]
    fn reviewers_never_see_authors_and_see_reviews_after_their_own() {
        let r = roles(&[Role::Reviewer]);
        let before = Access::of(&r, Relation::Reviewer { submitted: false });
        let after = Access::of(&r, Relation::Reviewer { submitted: true });
        assert!(before.read && before.review && !before.read_reviews && !before.read_authors);
        assert!(after.read_reviews && !after.read_authors);
    }

    #[test]
    fn unassigned_reviewers_may_only_bid() {
        let a = Access::of(&roles(&[Role::Reviewer]), Relation::Unrelated);
        assert!(a.bid && !a.read && !a.review && a.visible());
        let author = Access::of(&roles(&[Role::Author]), Relation::Unrelated);
        assert!(!author.visible());
    }

    #[test]
    fn an_author_reviewer_cannot_bid_on_or_review_their_own_submission() {
        let a = Access::of(&roles(&[Role::Reviewer, Role::Author]), Relation::Author);
        assert!(a.edit && a.read_authors && !a.bid && !a.review && !a.read_reviews);
    }

    #[test]
    fn area_chairs_read_reviews_but_not_authors() {
        let a = Access::of(&roles(&[Role::AreaChair]), Relation::AreaChair);
        assert!(a.read && a.read_reviews && !a.read_authors && !a.manage);
        assert!(a.discuss && a.meta_review && !a.respond);
    }

    #[test]
    fn reviewers_discuss_after_their_review_and_authors_only_respond() {
        let r = roles(&[Role::Reviewer]);
        assert!(!Access::of(&r, Relation::Reviewer { submitted: false }).discuss);
        assert!(Access::of(&r, Relation::Reviewer { submitted: true }).discuss);
        let author = Access::of(&roles(&[Role::Author]), Relation::Author);
        assert!(author.respond && !author.discuss && !author.meta_review);
        let org = Access::of(&roles(&[Role::Organizer]), Relation::Unrelated);
        assert!(org.discuss && !org.meta_review && !org.respond);
        assert!(!Access::of(&r, Relation::Unrelated).discuss);
    }
}
