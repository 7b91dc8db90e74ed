-- The review's schema, portable between SQLite and PostgreSQL: TEXT ids made by the
-- application, BIGINT Unix seconds for instants, 0/1 BIGINT for flags, JSON kept as TEXT.
-- Nothing a person wrote is ever deleted: withdrawn, removed and ended rows keep a timestamp.

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    institution TEXT NOT NULL,
    -- Declared for conflicts: other recent institutions and co-authors, one per line.
    other_institutions TEXT NOT NULL,
    coauthors TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE person_roles (
    person_id TEXT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, role)
);

CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE sign_in_requests (
    id TEXT PRIMARY KEY,
    rate_key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_requests_key_at ON sign_in_requests (rate_key, at);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ended_at BIGINT
);

-- Every message the server sends; the dev mailer's outbox page reads it, and part 2's
-- notification worker sends from it (sent_at, attempts) so a restart loses nothing.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts BIGINT NOT NULL,
    last_error TEXT
);

CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    pr_number BIGINT,
    head_commit TEXT,
    preview_url TEXT,
    conflict_declaration TEXT NOT NULL,
    extra TEXT NOT NULL,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE submission_authors (
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    institution TEXT NOT NULL,
    PRIMARY KEY (submission_id, position)
);
CREATE INDEX submission_authors_email ON submission_authors (email);

-- Declared (source 'declared') and derived ('institution', 'domain', 'coauthor', 'author')
-- conflicts. Queries for a person's view of a submission exclude every submission with a row here.
CREATE TABLE conflicts (
    person_id TEXT NOT NULL REFERENCES people (id),
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, submission_id, source)
);

CREATE TABLE bids (
    person_id TEXT NOT NULL REFERENCES people (id),
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    bid TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, submission_id)
);

-- One row per person and submission: a person holds one role on a submission at most.
CREATE TABLE assignments (
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    removed_at BIGINT,
    PRIMARY KEY (submission_id, person_id)
);

CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    reviewer_id TEXT NOT NULL REFERENCES people (id),
    answers TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    -- An organizer's reopening: the reviewer may submit until this instant.
    reopened_until BIGINT,
    UNIQUE (submission_id, reviewer_id)
);

-- Every saved version of a review (edit history; nothing overwritten is lost).
CREATE TABLE review_versions (
    review_id TEXT NOT NULL REFERENCES reviews (id),
    version BIGINT NOT NULL,
    answers TEXT NOT NULL,
    state TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (review_id, version)
);

-- Every state change: who, when, what, before and after (JSON).
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id);
