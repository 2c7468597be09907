-- Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Rows that transactions update first to serialise a check across many rows (e.g. "at least one
-- admin remains"): on PostgreSQL the row lock queues them, on SQLite the write lock does.
CREATE TABLE locks (
    name    VARCHAR(32) PRIMARY KEY,
    version BIGINT      NOT NULL
);
INSERT INTO locks (name, version) VALUES ('admins', 0);
