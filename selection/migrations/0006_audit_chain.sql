-- A tamper-evident audit trail: each event carries the SHA-256 of the event before it
-- (prev_hash) and its own (hash), computed by selection/audit.py as it writes. Events written
-- before this migration carry none: the first sealed event's prev_hash covers all of them.
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;
