-- A clarification round: the secretariat, for the panel, asks an applicant to clarify its
-- proposal (one or more questions, each optionally about one criterion) by a reply date; the
-- applicant answers in text, with one optional PDF. The proposal itself does not change.
CREATE TABLE clarifications (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    proposal_id TEXT NOT NULL,
    questions TEXT NOT NULL,          -- JSON list of {"criterion": id or null, "question": text}
    reply_by TEXT NOT NULL,           -- the last day an answer is accepted
    asked_by TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answers TEXT,                     -- JSON list of texts, one per question
    answered_by TEXT,
    answered_at TEXT,
    file_name TEXT,                   -- as the applicant named it (only ever displayed)
    stored_name TEXT,                 -- the generated name under the attachments folder
    file_size INTEGER,
    FOREIGN KEY (call_id, proposal_id) REFERENCES proposals(call_id, id) ON DELETE CASCADE
);
CREATE INDEX clarifications_by_proposal ON clarifications (call_id, proposal_id, id);
