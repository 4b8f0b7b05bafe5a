-- The rest of the procedure: what the secretariat publishes and guides with,
-- who may sign in, the applicants' drafts and files, assignments and
-- submitted reviews, inquiries, the Bureau's advice, the decision and its
-- follow-up (notification, acceptance, donors, host agreement).

ALTER TABLE calls ADD COLUMN secretariat_name TEXT;
ALTER TABLE calls ADD COLUMN published_at TEXT;
ALTER TABLE calls ADD COLUMN anonymous_conflicts INTEGER NOT NULL DEFAULT 0;

ALTER TABLE criteria ADD COLUMN applicant_guidance TEXT;
ALTER TABLE criteria ADD COLUMN reviewer_guidance TEXT;
ALTER TABLE criteria ADD COLUMN anchors TEXT;

ALTER TABLE proposals ADD COLUMN status_reason TEXT;
ALTER TABLE proposals ADD COLUMN statement TEXT;
ALTER TABLE proposals ADD COLUMN updated_at TEXT;
ALTER TABLE proposals ADD COLUMN receipt TEXT;

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('secretariat', 'member', 'bureau', 'applicant')),
    email TEXT,
    password_hash TEXT,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE entities ADD COLUMN account_id INTEGER REFERENCES accounts(id);
ALTER TABLE reviewers ADD COLUMN account_id INTEGER REFERENCES accounts(id);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('secretariat', 'member', 'bureau')),
    display_name TEXT NOT NULL,
    email TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT,
    account_id INTEGER REFERENCES accounts(id)
);

CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL COLLATE NOCASE,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_user ON sign_in_failures (username, at);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL,
    proposal_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);

CREATE TABLE assignments (
    call_id INTEGER NOT NULL,
    reviewer_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    -- the member's declaration, required before scoring: NULL = not yet declared
    declared_at TEXT,
    conflict INTEGER,
    PRIMARY KEY (call_id, reviewer_id, proposal_id),
    FOREIGN KEY (call_id, reviewer_id) REFERENCES reviewers(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);

CREATE TABLE review_submissions (
    call_id INTEGER NOT NULL,
    reviewer_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (call_id, reviewer_id, proposal_id),
    FOREIGN KEY (call_id, reviewer_id) REFERENCES reviewers(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);

CREATE TABLE inquiries (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    asked_by TEXT NOT NULL,
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer TEXT,
    answered_at TEXT,
    published INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE bureau_advice (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL,
    slot_id TEXT NOT NULL,
    member TEXT NOT NULL,
    advice TEXT NOT NULL,
    preferred_proposal_id TEXT,
    given_at TEXT NOT NULL,
    FOREIGN KEY (call_id, slot_id) REFERENCES slots(call_id, id) ON DELETE CASCADE
);

CREATE TABLE selections (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL,
    slot_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    rationale TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    notified_on TEXT,
    acceptance TEXT NOT NULL DEFAULT 'pending'
        CHECK (acceptance IN ('pending', 'accepted', 'declined', 'lapsed')),
    answered_on TEXT,
    agreement_signed_on TEXT,
    FOREIGN KEY (call_id, slot_id) REFERENCES slots(call_id, id) ON DELETE CASCADE,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);

CREATE TABLE pledges (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL,
    slot_id TEXT NOT NULL,
    donor TEXT NOT NULL,
    contacted_on TEXT,
    amount REAL CHECK (amount IS NULL OR amount >= 0),
    currency TEXT,
    pledged_on TEXT,
    status TEXT NOT NULL DEFAULT 'contacted'
        CHECK (status IN ('contacted', 'pledged', 'paid', 'declined')),
    FOREIGN KEY (call_id, slot_id) REFERENCES slots(call_id, id) ON DELETE CASCADE
);
