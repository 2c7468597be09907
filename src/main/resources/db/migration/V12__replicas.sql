-- Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- The controller replicas alive now and where their peers reach them: a lab's streams are served by
-- one replica chosen from this set, and the others relay to it (replica/Replicas).
CREATE TABLE replicas (
    id VARCHAR(64) PRIMARY KEY,
    address VARCHAR(255) NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
