-- Accounts the secretariat manages, invitations that expire, sessions that survive a reload.

-- Failures before this moment no longer count towards a pause (a secretariat unlock or a reset).
ALTER TABLE accounts ADD COLUMN unlocked_at TEXT;

-- Invitations made before this version get 14 days from now; revoked ones can no longer be used.
ALTER TABLE invitations ADD COLUMN expires_at TEXT;
ALTER TABLE invitations ADD COLUMN revoked_at TEXT;
ALTER TABLE invitations ADD COLUMN revoked_by TEXT;
UPDATE invitations SET expires_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '+14 days') WHERE expires_at IS NULL;

-- A sign-in attempt is written before its password is checked, so concurrent guesses queue on the
-- write lock and each one sees the others; ok = 1 once the password proved right. browser is the
-- hash of the known-browser token the attempt came with, when that browser belongs to the account.
ALTER TABLE sign_in_failures ADD COLUMN ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sign_in_failures ADD COLUMN browser TEXT;

-- One-time codes the secretariat issues so that a person can set a new password.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT
);

-- A signed-in browser: only the SHA-256 of its random token is kept.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    ended_at TEXT,
    ended_why TEXT
);
CREATE INDEX sessions_by_account ON sessions (account_id, ended_at);

-- Browsers an account signed in from: a correct password from one of them is not held up by a
-- pause that someone else's guessing caused.
CREATE TABLE known_browsers (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL
);
