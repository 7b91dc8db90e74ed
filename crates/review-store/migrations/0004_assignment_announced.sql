-- Assignment mails: when the holder of an assignment was told of it by mail (the organizers'
-- "tell reviewers and area chairs about their new assignments" action sets it in the same
-- transaction as it queues the mail). NULL: not told yet. Assignments made before this
-- migration count as not told; the /mail page shows how many people that concerns before
-- anyone clicks. Same conventions as 0001-0003.
ALTER TABLE assignments ADD COLUMN announced_at BIGINT;
