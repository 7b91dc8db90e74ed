-- Review part 2: the outbox becomes a queue that survives restarts. Requests only insert
-- rows; the server's mail worker claims a due row with a lease (claimed_until, claim_token),
-- sends it and marks it sent, or schedules the next attempt (next_attempt_at) and, after the
-- last one, gives up (failed_at) keeping the error. Same conventions as 0001 and 0002.

-- What the message is (the template it was made from: sign-in, invitation, assignment,
-- reminder, decision, or message for rows older than this migration).
ALTER TABLE mail_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
-- Not sent before this instant (the retry backoff, or a settling delay).
ALTER TABLE mail_outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
-- A sender holds the row until claimed_until; after that (it crashed) another may take it.
ALTER TABLE mail_outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE mail_outbox ADD COLUMN claim_token TEXT;
-- Given up: every attempt failed, or the message expired unsent (last_error says which).
ALTER TABLE mail_outbox ADD COLUMN failed_at BIGINT;
-- Not worth sending after this instant (a sign-in link that has expired).
ALTER TABLE mail_outbox ADD COLUMN expires_at BIGINT;
-- At most one message per key (e.g. one decision mail per author and decision version).
ALTER TABLE mail_outbox ADD COLUMN dedup_key TEXT;
-- Messages that are still gathering changes (one assignment mail per person after a burst
-- of changes): a new change rewrites the queued row with this key instead of adding one.
ALTER TABLE mail_outbox ADD COLUMN merge_key TEXT;

CREATE UNIQUE INDEX mail_outbox_dedup ON mail_outbox (dedup_key);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, failed_at, next_attempt_at);
CREATE INDEX mail_outbox_merge ON mail_outbox (merge_key);
