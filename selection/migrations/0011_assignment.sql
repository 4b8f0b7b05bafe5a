-- Assignment by optimisation: what members know and prefer, and the call's country rule.

-- the regions a member knows (JSON list of region names, matched against slots.region)
ALTER TABLE reviewers ADD COLUMN regions TEXT;

-- 1: a member of an applicant's country is a detected potential conflict (the call may switch it off)
ALTER TABLE calls ADD COLUMN same_country_rule INTEGER NOT NULL DEFAULT 1 CHECK (same_country_rule IN (0, 1));

-- a member's word on a proposal before assignment; "can review" is the default and has no row
CREATE TABLE review_preferences (
    call_id INTEGER NOT NULL,
    reviewer_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    preference TEXT NOT NULL CHECK (preference IN ('prefer', 'cannot')),
    reason TEXT,
    stated_at TEXT NOT NULL,
    PRIMARY KEY (call_id, reviewer_id, proposal_id),
    FOREIGN KEY (call_id, reviewer_id) REFERENCES reviewers(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);
