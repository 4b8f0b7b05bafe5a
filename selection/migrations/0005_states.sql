-- The states of each record and the corrections that move them (selection/states.py).
-- A correction never overwrites: it is a dated action with a reason, kept here and in the audit trail.

-- A selection recorded by mistake is cancelled, never deleted: it then counts for nothing.
ALTER TABLE selections ADD COLUMN cancelled_at TEXT;
ALTER TABLE selections ADD COLUMN cancel_reason TEXT;

-- The secretariat reopened a submitted (or locked) review: the member may change it until they submit again.
ALTER TABLE assignments ADD COLUMN reopened_at TEXT;

-- The Bureau's advice: one per slot, round of offers and author; an edit keeps the earlier text below.
ALTER TABLE bureau_advice ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE bureau_advice ADD COLUMN author_account_id INTEGER REFERENCES accounts(id);
ALTER TABLE bureau_advice ADD COLUMN updated_at TEXT;
CREATE UNIQUE INDEX bureau_advice_one_per_round ON bureau_advice (call_id, slot_id, round, author_account_id);

CREATE TABLE bureau_advice_history (
    id INTEGER PRIMARY KEY,
    advice_id INTEGER NOT NULL REFERENCES bureau_advice(id) ON DELETE CASCADE,
    advice TEXT NOT NULL,
    preferred_proposal_id TEXT,
    given_at TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX bureau_advice_history_by_advice ON bureau_advice_history (advice_id, id);
