-- Core schema: cardholders, accounts, cards, usage counters, authorizations, reversals,
-- postings, challenges, quick-payment agreements, audit trail, API keys, bank ceilings.
-- Times are ISO 8601 text in UTC; money is integer minor units; PANs only as keyed hashes.

CREATE TABLE cardholders (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    language TEXT NOT NULL,
    timezone TEXT NOT NULL,
    phone_verified INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX cardholders_phone ON cardholders (phone);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    cardholder_id TEXT NOT NULL REFERENCES cardholders (id),
    currency TEXT NOT NULL,
    balance INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE cards (
    id TEXT PRIMARY KEY,
    pan_hash TEXT NOT NULL UNIQUE,
    first6 TEXT NOT NULL,
    last4 TEXT NOT NULL,
    cardholder_id TEXT NOT NULL REFERENCES cardholders (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    product TEXT NOT NULL,
    status TEXT NOT NULL,
    controls TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cards_last4 ON cards (last4);
CREATE INDEX cards_cardholder ON cards (cardholder_id);

CREATE TABLE usage_counters (
    card_id TEXT NOT NULL,
    counter TEXT NOT NULL,
    period TEXT NOT NULL,
    amount INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (card_id, counter, period)
) WITHOUT ROWID;

CREATE TABLE authorizations (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards (id),
    acquirer_id TEXT NOT NULL,
    stan TEXT NOT NULL,
    transmission_time TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    received_at TEXT NOT NULL,
    request TEXT NOT NULL,
    outcome TEXT NOT NULL,
    response_code TEXT NOT NULL,
    verdicts TEXT NOT NULL,
    approval_code TEXT,
    balance_after INTEGER NOT NULL,
    day TEXT NOT NULL,
    month TEXT NOT NULL,
    counters TEXT NOT NULL,
    challenge_id TEXT,
    challenge_used TEXT,
    reversed_at TEXT,
    UNIQUE (acquirer_id, stan, transmission_time)
);
CREATE INDEX authorizations_card ON authorizations (card_id, received_at);

CREATE TABLE reversals (
    id TEXT PRIMARY KEY,
    acquirer_id TEXT NOT NULL,
    stan TEXT NOT NULL,
    transmission_time TEXT NOT NULL,
    original_acquirer_id TEXT NOT NULL,
    original_stan TEXT NOT NULL,
    original_transmission_time TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    card_id TEXT,
    authorization_id TEXT,
    amount INTEGER,
    applied_at TEXT,
    UNIQUE (original_acquirer_id, original_stan, original_transmission_time)
);

CREATE TABLE postings (
    posting_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    amount INTEGER NOT NULL,
    description TEXT NOT NULL,
    balance_after INTEGER NOT NULL,
    received_at TEXT NOT NULL
);

CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards (id),
    authorization_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    merchant_name TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX challenges_card ON challenges (card_id, status);

CREATE TABLE agreements (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards (id),
    payee TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    per_txn_limit INTEGER,
    daily_limit INTEGER,
    last_used_at TEXT
);
CREATE INDEX agreements_card ON agreements (card_id);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    channel TEXT NOT NULL,
    action TEXT NOT NULL,
    card_id TEXT,
    cardholder_id TEXT,
    old TEXT,
    new TEXT
);
CREATE INDEX audit_card ON audit (card_id, id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    cardholder_id TEXT,
    revoked_at TEXT
);

CREATE TABLE ceilings (
    product TEXT PRIMARY KEY,
    ceilings TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
