-- PostgreSQL version of sqlite/migrations/0004_web.sql (keep the two in step).
-- The web page and the operator console: sign-in codes, sessions, attempt counters, and an
-- index for the console's "decisions in the last 24 hours" chart.
-- Only hashes of session tokens, codes, phones and IP addresses are stored.

CREATE TABLE signin_codes (
    id TEXT PRIMARY KEY,
    cardholder_id TEXT NOT NULL REFERENCES cardholders (id),
    card_id TEXT NOT NULL REFERENCES cards (id),
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used_at TEXT
);

CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);

CREATE TABLE attempts (
    scope TEXT NOT NULL,
    subject TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX attempts_subject ON attempts (scope, subject, at);

CREATE INDEX authorizations_received ON authorizations (received_at);
