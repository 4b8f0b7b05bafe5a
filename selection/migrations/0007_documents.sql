-- Per-call settings of the documents that leave the system: the report's apparatus (symbol,
-- distribution, original language, masthead) and the letters' signatory and reference.
-- A missing row or a NULL column means the default (selection/report_queries.py).

CREATE TABLE document_settings (
    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
    symbol TEXT,
    distribution TEXT,
    original_language TEXT,
    convention TEXT,
    body TEXT,
    signatory_name TEXT,
    signatory_title TEXT,
    letter_reference TEXT,
    updated_at TEXT NOT NULL
);
