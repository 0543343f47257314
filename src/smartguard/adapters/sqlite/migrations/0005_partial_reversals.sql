-- Partial reversals (ISO 8583 field 95): the amount that really took place, in the
-- original's transaction currency; NULL for a full reversal. `amount` of an applied
-- reversal is what was given back, in the card's currency.
ALTER TABLE reversals ADD COLUMN actual_amount INTEGER;
-- The page, the console and the API show each authorization's reversal; the advisor reads
-- a card's partial reversals.
CREATE INDEX reversals_partial ON reversals (card_id) WHERE actual_amount IS NOT NULL;
CREATE INDEX reversals_authorization ON reversals (authorization_id)
    WHERE authorization_id IS NOT NULL;
