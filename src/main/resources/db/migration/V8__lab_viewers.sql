-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Times are epoch milliseconds.
-- Who watches or assists in a lab's console or screen now (not its owner): one row per open stream
-- session, written by the replica that relays it, so every replica's live feed can tell the student.
-- seen_at is renewed at every stream recheck; a row not renewed for three rechecks is a replica that
-- died with the stream open, and readers ignore it.
CREATE TABLE lab_viewers (
    id         VARCHAR(36) PRIMARY KEY,
    lab_id     VARCHAR(36) NOT NULL REFERENCES labs (id) ON DELETE CASCADE,
    account_id VARCHAR(36) NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    username   VARCHAR(64) NOT NULL,
    capacity   VARCHAR(16) NOT NULL,
    mode       VARCHAR(16) NOT NULL,
    stream     VARCHAR(16) NOT NULL,
    since      BIGINT      NOT NULL,
    seen_at    BIGINT      NOT NULL
);
CREATE INDEX lab_viewers_lab ON lab_viewers (lab_id);
