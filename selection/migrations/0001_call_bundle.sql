-- The facts a call bundle carries, one table per list, keyed by (call, id)
-- so that ids only need to be unique within a call. Deleting a call removes
-- all of its rows; the audit table keeps the story.

CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    scale_min REAL NOT NULL DEFAULT 0,
    scale_max REAL NOT NULL DEFAULT 5,
    scale_step REAL NOT NULL DEFAULT 0.5 CHECK (scale_step > 0),
    min_reviews INTEGER NOT NULL DEFAULT 3 CHECK (min_reviews >= 1),
    overall_threshold REAL CHECK (overall_threshold BETWEEN 0 AND 100),
    notified_on TEXT,
    inquiry_deadline TEXT,
    submission_deadline TEXT,
    advisory_meeting_on TEXT,
    decided_on TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE slots (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    id TEXT NOT NULL CHECK (id <> ''),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('global', 'regional', 'subregional')),
    region TEXT,
    PRIMARY KEY (call_id, id)
);

CREATE TABLE criteria (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    id TEXT NOT NULL CHECK (id <> ''),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    weight REAL NOT NULL CHECK (weight > 0),
    threshold REAL,
    priority INTEGER NOT NULL CHECK (priority >= 1),
    PRIMARY KEY (call_id, id),
    UNIQUE (call_id, priority)
);

CREATE TABLE entities (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    id TEXT NOT NULL CHECK (id <> ''),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    acronym TEXT,
    country TEXT,
    kind TEXT,
    website TEXT,
    contact_email TEXT,
    PRIMARY KEY (call_id, id)
);

CREATE TABLE proposals (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    id TEXT NOT NULL CHECK (id <> ''),
    position INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    -- 'draft' is an applicant's unsent proposal: never ranked, never exported
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'eligible', 'ineligible', 'withdrawn')),
    submitted_at TEXT,
    summary TEXT,
    PRIMARY KEY (call_id, id),
    FOREIGN KEY (call_id, entity_id) REFERENCES entities(call_id, id) ON DELETE CASCADE
);

CREATE TABLE proposal_slots (
    call_id INTEGER NOT NULL,
    proposal_id TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (call_id, proposal_id, slot_id),
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, slot_id) REFERENCES slots(call_id, id) ON DELETE CASCADE
);

CREATE TABLE sections (
    call_id INTEGER NOT NULL,
    proposal_id TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (call_id, proposal_id, criterion_id),
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, criterion_id) REFERENCES criteria(call_id, id) ON DELETE CASCADE
);

CREATE TABLE reviewers (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    id TEXT NOT NULL CHECK (id <> ''),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    affiliation TEXT,
    country TEXT,
    PRIMARY KEY (call_id, id)
);

CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL,
    reviewer_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    reason TEXT,
    declared_at TEXT,
    FOREIGN KEY (call_id, reviewer_id) REFERENCES reviewers(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);
CREATE INDEX conflicts_by_proposal ON conflicts (call_id, proposal_id, reviewer_id);

CREATE TABLE scores (
    call_id INTEGER NOT NULL,
    reviewer_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    score REAL NOT NULL,
    justification TEXT,
    updated_at TEXT,
    PRIMARY KEY (call_id, reviewer_id, proposal_id, criterion_id),
    FOREIGN KEY (call_id, reviewer_id) REFERENCES reviewers(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, criterion_id) REFERENCES criteria(call_id, id) ON DELETE CASCADE
);
CREATE INDEX scores_by_proposal ON scores (call_id, proposal_id);

CREATE TABLE consensus (
    call_id INTEGER NOT NULL,
    proposal_id TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    score REAL NOT NULL,
    note TEXT,
    PRIMARY KEY (call_id, proposal_id, criterion_id),
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, criterion_id) REFERENCES criteria(call_id, id) ON DELETE CASCADE
);

-- Append-only: who did what, when, with the old and the new value (JSON).
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    call_reference TEXT,
    action TEXT NOT NULL,
    target TEXT,
    old TEXT,
    new TEXT,
    reason TEXT
);
CREATE INDEX audit_by_call ON audit (call_reference, at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
