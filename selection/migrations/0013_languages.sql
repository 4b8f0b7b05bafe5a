-- The language each person reads the tool in, and the one an entity's letters and evaluation summary
-- are written in: a code of selection.i18n.LANGUAGES ('ar', 'zh', 'en', 'fr', 'ru', 'es'); none means
-- "not chosen" (the account's choice, then the browser's language, then English, decide).
ALTER TABLE accounts ADD COLUMN language TEXT;
ALTER TABLE entities ADD COLUMN language TEXT;
