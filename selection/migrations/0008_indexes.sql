-- Indexes for the pages' aggregate queries and the views' change counter.
-- Assignments and submitted reviews are counted per proposal (the proposals overview, the dashboard);
-- their primary keys start with the reviewer, so without these every count scanned the call's rows.
CREATE INDEX assignments_by_proposal ON assignments (call_id, proposal_id, conflict);
CREATE INDEX review_submissions_by_proposal ON review_submissions (call_id, proposal_id);
-- The call's last audit event is the change counter of its cached views (selection/views.py).
CREATE INDEX audit_by_call_id ON audit (call_reference, id);
-- Proposals are listed and counted per call and status.
CREATE INDEX proposals_by_status ON proposals (call_id, status);
