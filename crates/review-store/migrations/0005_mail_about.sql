-- Which submissions a queued message concerns: the list of an assignment mail, the reviews a
-- reminder asks for, the submission of a decision mail. The organizers' outbox leaves out a
-- message about a submission the reader has a conflict with or wrote, as every other page
-- does. A message queued before this migration concerns none. Same conventions as 0001-0004.
CREATE TABLE mail_about (
    mail_id TEXT NOT NULL REFERENCES mail_outbox (id),
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    PRIMARY KEY (mail_id, submission_id)
);
CREATE INDEX mail_about_submission ON mail_about (submission_id);
