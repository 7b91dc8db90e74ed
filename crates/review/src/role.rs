//! The four roles of a track. One person may hold several (a reviewer who also submits), but
//! never two on the same submission: that rule lives in [`crate::access`] and in assignment.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Organizer,
    AreaChair,
    Reviewer,
    Author,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Organizer,
        Role::AreaChair,
        Role::Reviewer,
        Role::Author,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organizer => "organizer",
            Role::AreaChair => "area-chair",
            Role::Reviewer => "reviewer",
            Role::Author => "author",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// How the role is named on a page.
    pub fn label(self) -> &'static str {
        match self {
            Role::Organizer => "Organizer",
            Role::AreaChair => "Area chair",
            Role::Reviewer => "Reviewer",
            Role::Author => "Author",
        }
    }
}

/// The roles one person holds across the track.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles(Vec<Role>);

impl Roles {
    pub fn new(mut roles: Vec<Role>) -> Roles {
        roles.sort();
        roles.dedup();
        Roles(roles)
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// Organizer, area chair or reviewer: someone who may read anonymized submissions.
    pub fn is_committee(&self) -> bool {
        self.has(Role::Organizer) || self.has(Role::AreaChair) || self.has(Role::Reviewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn roles_are_a_set() {
        let r = Roles::new(vec![Role::Reviewer, Role::Author, Role::Reviewer]);
        assert_eq!(
            r.iter().collect::<Vec<_>>(),
            vec![Role::Reviewer, Role::Author]
        );
        assert!(r.is_committee());
        assert!(!Roles::new(vec![Role::Author]).is_committee());
    }
}
