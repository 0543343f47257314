-- A card's messages, newest first (the console's card page, the cardholder's security centre
-- and alerts list, GET /v1/outbox?card_id=...): without it each read scanned the outbox back
-- from its newest row until it found the card's.
CREATE INDEX outbox_card ON outbox (card_id, id);
