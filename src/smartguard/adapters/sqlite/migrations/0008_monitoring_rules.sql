-- The bank's monitoring rules (docs/rules.md). A rule is kept in every version: editing
-- makes a new one; its status moves draft -> shadow -> active -> retired.
CREATE TABLE monitoring_rules (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    expression TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    author TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    activation_requested_by TEXT,
    PRIMARY KEY (id, version)
);
CREATE INDEX monitoring_rules_status ON monitoring_rules (status);
-- Every match of a live rule (shadow or active), and every run-time failure
-- (result 'error'), written with the decision it was found on.
CREATE TABLE rule_hits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    authorization_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    at TEXT NOT NULL,
    result TEXT NOT NULL,
    enforced INTEGER NOT NULL,
    amount INTEGER NOT NULL
);
CREATE INDEX rule_hits_rule ON rule_hits (rule_id, at);
-- The places (provinces, countries) each card has used, with the first use: written only
-- when a place is new, in the transaction of the decision that used it.
CREATE TABLE card_places (
    card_id TEXT NOT NULL,
    place TEXT NOT NULL,
    first_at TEXT NOT NULL,
    PRIMARY KEY (card_id, place)
);
