-- Audit trail: every lab action and every stream session. Kept when labs and users go away.
CREATE TABLE audit_events (
    id          VARCHAR(36)   PRIMARY KEY,
    at          BIGINT        NOT NULL,
    actor_id    VARCHAR(36)   NOT NULL,
    actor       VARCHAR(64)   NOT NULL,
    action      VARCHAR(32)   NOT NULL,
    lab_id      VARCHAR(36),
    address     VARCHAR(64),
    started_at  BIGINT,
    bytes_in    BIGINT,
    bytes_out   BIGINT,
    detail      VARCHAR(500)
);
CREATE INDEX audit_lab ON audit_events (lab_id, id);
