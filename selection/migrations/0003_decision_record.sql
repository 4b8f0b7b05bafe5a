-- Carrying the decision through: the frozen record of what a selection
-- rested on, the host's budget need, and every message the program sent or
-- would have sent (kept even when mail is off).

CREATE TABLE decision_records (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    selection_id INTEGER REFERENCES selections(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE INDEX decision_records_by_call ON decision_records (call_id, id);

ALTER TABLE selections ADD COLUMN budget_need REAL CHECK (budget_need IS NULL OR budget_need >= 0);
ALTER TABLE selections ADD COLUMN budget_currency TEXT;
ALTER TABLE selections ADD COLUMN lapsed_on TEXT;
-- when the decline or lapse was recorded: the Bureau's advice on the next candidate must come after it
ALTER TABLE selections ADD COLUMN closed_at TEXT;

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    call_id INTEGER REFERENCES calls(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    to_address TEXT NOT NULL,
    to_name TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    error TEXT
);
CREATE INDEX messages_by_call ON messages (call_id, id);
