-- A call's own texts in other languages than the one it is written in: the title, the notification text,
-- the slots' names and, per criterion, its name, definition, guidance and anchored scale's words (JSON).
-- kind: 'call' (target ''), 'slot' or 'criterion' (target = its id).
CREATE TABLE call_texts (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'slot', 'criterion')),
    target TEXT NOT NULL,
    field TEXT NOT NULL,
    text TEXT NOT NULL CHECK (text <> ''),
    PRIMARY KEY (call_id, language, kind, target, field)
);
