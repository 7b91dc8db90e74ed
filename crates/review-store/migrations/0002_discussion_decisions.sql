-- Review part 2: the discussion of each submission, area chairs' meta-reviews and organizers'
-- decisions. Same conventions as 0001 (TEXT ids, BIGINT Unix seconds, 0/1 flags, JSON as
-- TEXT). Nothing is deleted: a message or meta-review is withdrawn (withdrawn_at), a decision
-- is superseded by the next one or withdrawn, and every edit keeps its version.

-- One message of a submission's discussion. `readers` is who may read it: 'committee'
-- (assigned reviewers, the area chair, organizers) or 'authors' (the committee and the
-- submission's authors, who read it from the author response period on). `kind` is
-- 'comment' or 'author-response' (written by an author during the response period).
-- `author_role` is the role the writer held on the submission when writing it
-- ('reviewer', 'area-chair', 'organizer', 'author'): pages show a pseudonym from it.
CREATE TABLE discussion_messages (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    thread_id TEXT NOT NULL,
    parent_id TEXT,
    author_id TEXT NOT NULL REFERENCES people (id),
    author_role TEXT NOT NULL,
    kind TEXT NOT NULL,
    readers TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX discussion_messages_submission ON discussion_messages (submission_id, created_at);

-- Every saved version of a message (its edit history).
CREATE TABLE discussion_message_versions (
    message_id TEXT NOT NULL REFERENCES discussion_messages (id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    readers TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, version)
);

-- The area chair's meta-review of a submission: answers to the meta-review form (JSON), a
-- draft until submitted.
CREATE TABLE meta_reviews (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    area_chair_id TEXT NOT NULL REFERENCES people (id),
    answers TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    withdrawn_at BIGINT,
    UNIQUE (submission_id, area_chair_id)
);

CREATE TABLE meta_review_versions (
    meta_review_id TEXT NOT NULL REFERENCES meta_reviews (id),
    version BIGINT NOT NULL,
    answers TEXT NOT NULL,
    state TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (meta_review_id, version)
);

-- Organizers' decisions. The current decision of a submission is its row with neither
-- superseded_at nor withdrawn_at; deciding again supersedes the previous row.
-- `accepted` is copied from the decision option (config) at decision time, so that
-- `review publish` reads it without the config.
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    outcome TEXT NOT NULL,
    accepted BIGINT NOT NULL,
    award TEXT,
    poster BIGINT NOT NULL,
    note TEXT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES people (id),
    decided_at BIGINT NOT NULL,
    superseded_at BIGINT,
    superseded_by TEXT,
    withdrawn_at BIGINT
);
CREATE INDEX decisions_submission ON decisions (submission_id, decided_at);
