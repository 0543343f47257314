-- Advisor: travel exceptions (出行例外). Times are ISO 8601 text in UTC, so text order is
-- time order. ends_at is the real end (moved earlier on cancel); planned_end what was asked.

CREATE TABLE travel_exceptions (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards (id),
    place TEXT NOT NULL,
    kind TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    planned_end TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    cancelled_at TEXT,
    start_announced_at TEXT,
    end_announced_at TEXT
);
CREATE INDEX travel_card ON travel_exceptions (card_id, ends_at);
CREATE INDEX travel_start_due ON travel_exceptions (starts_at) WHERE start_announced_at IS NULL;
CREATE INDEX travel_end_due ON travel_exceptions (ends_at) WHERE end_announced_at IS NULL;
