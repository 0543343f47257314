-- PostgreSQL version of sqlite/migrations/0006_worded_when_read.sql (keep the two in step).
-- A balance-change alert is stored without its text (body '') and worded when read, from
-- its payload in the cardholder's language and, kept here, time zone at the time of the
-- event: the authorization's transaction writes less (docs/performance.md).
ALTER TABLE outbox ADD COLUMN timezone TEXT;
