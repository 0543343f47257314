-- Two reads on the writer's hot path that scanned a whole table (found by EXPLAIN on the
-- lock phase's statements, docs/performance.md):
-- the keys of reversals still waiting for their original, read by every PostgreSQL batch
-- (and by SQLite's writer cache when it loads): the table grows with every reversal;
CREATE INDEX reversals_pending ON reversals (original_acquirer_id, original_stan,
                                             original_transmission_time)
    WHERE status = 'pending';
-- a holder's last change of phone number, read for each card of a batch while monitoring
-- rules are live: the audit trail grows with every change anyone makes.
CREATE INDEX audit_phone_changes ON audit (cardholder_id, at) WHERE action = 'change_phone';
