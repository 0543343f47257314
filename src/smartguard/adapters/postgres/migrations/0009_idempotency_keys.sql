-- Idempotency keys of the HTTP API (docs/api.md, "Idempotency keys"): the first answer to a
-- POST sent with an Idempotency-Key header, per API key, written in the transaction of its
-- effect. The body is sealed (AES-GCM, as one-time codes in the outbox: a key creation's
-- token is never stored in clear); the request is kept only as a keyed hash.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (scope, expires_at);
