-- Timed unlocks (SPEC 3.12). The open unlocks of a card live in its controls (cards.controls,
-- read with the card: the engine needs no query); this table is their schedule, so the
-- announcer finds the ones that have ended without reading every card.
CREATE TABLE control_unlocks (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards (id),
    target TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    end_announced_at TEXT
);
CREATE INDEX control_unlocks_card ON control_unlocks (card_id, ends_at);
CREATE INDEX control_unlocks_due ON control_unlocks (ends_at) WHERE end_announced_at IS NULL;
