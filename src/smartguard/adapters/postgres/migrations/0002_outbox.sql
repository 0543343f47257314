-- PostgreSQL version of sqlite/migrations/0002_outbox.sql (keep the two in step).
-- Alerts: the transactional outbox, cardholders' alert preferences, and the log of inbound
-- SMS (each handled once, keyed by the SMS centre's message id; also the per-number rate
-- limit's window). Times are ISO 8601 text in UTC.

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    event TEXT NOT NULL,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    payload TEXT NOT NULL,
    card_id TEXT,
    cardholder_id TEXT,
    sealed TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    sent_at TEXT,
    provider_ref TEXT,
    receipt TEXT,
    receipt_at TEXT,
    claimed_by TEXT,
    lease_until TEXT
);
CREATE INDEX outbox_status ON outbox (status, id);
CREATE INDEX outbox_provider_ref ON outbox (provider_ref) WHERE provider_ref IS NOT NULL;

CREATE TABLE alert_preferences (
    card_id TEXT PRIMARY KEY REFERENCES cards (id),
    preferences TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE inbound_sms (
    key TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    received_at TEXT NOT NULL,
    command TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX inbound_sms_phone ON inbound_sms (phone, received_at);
