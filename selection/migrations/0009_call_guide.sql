-- What a call tells applicants before they register: the notification's own
-- words, and every amendment made after publishing with the notice sent.

ALTER TABLE calls ADD COLUMN notification_text TEXT;

CREATE TABLE call_amendments (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    amended_at TEXT NOT NULL,
    amended_by TEXT NOT NULL,
    notice TEXT NOT NULL CHECK (notice <> '')
);
CREATE INDEX call_amendments_by_call ON call_amendments (call_id, amended_at);
