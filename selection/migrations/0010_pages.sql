-- What the pages gather beyond the contract's facts: the organisation's
-- profile as a secretariat needs it, the call's eligibility conditions and
-- each proposal's check against them, the advisory meeting on record, and
-- the dated history of each donor's pledge.

-- the rest of the organisation profile (legal status, address, head, contact person, partners), as JSON
ALTER TABLE entities ADD COLUMN profile TEXT;

CREATE TABLE eligibility_conditions (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL CHECK (text <> '')
);
CREATE INDEX eligibility_conditions_by_call ON eligibility_conditions (call_id, position);

CREATE TABLE eligibility_checks (
    call_id INTEGER NOT NULL,
    proposal_id TEXT NOT NULL,
    condition_id INTEGER NOT NULL REFERENCES eligibility_conditions(id) ON DELETE CASCADE,
    met INTEGER NOT NULL CHECK (met IN (0, 1)),
    reason TEXT,
    checked_at TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    PRIMARY KEY (call_id, proposal_id, condition_id),
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);

CREATE TABLE meeting_records (
    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    -- the reviewers ids of the members present, as a JSON list
    present TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE TABLE meeting_minutes (
    call_id INTEGER NOT NULL,
    slot_id TEXT NOT NULL,
    text TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (call_id, slot_id),
    FOREIGN KEY (call_id, slot_id) REFERENCES slots(call_id, id) ON DELETE CASCADE
);

ALTER TABLE pledges ADD COLUMN note TEXT;

CREATE TABLE pledge_events (
    id INTEGER PRIMARY KEY,
    pledge_id INTEGER NOT NULL REFERENCES pledges(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('contacted', 'pledged', 'paid', 'declined')),
    on_date TEXT NOT NULL,
    amount REAL CHECK (amount IS NULL OR amount >= 0),
    currency TEXT,
    note TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX pledge_events_by_pledge ON pledge_events (pledge_id, id);
