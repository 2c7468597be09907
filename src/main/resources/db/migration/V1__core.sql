-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Times are epoch milliseconds.
CREATE TABLE accounts (
    id            VARCHAR(36)  PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL UNIQUE,
    password_hash VARCHAR(100) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);

CREATE TABLE sessions (
    token_hash VARCHAR(64) PRIMARY KEY,
    account_id VARCHAR(36) NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id           VARCHAR(36)  PRIMARY KEY,
    account_id   VARCHAR(36)  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    prefix       VARCHAR(16)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_account ON api_tokens (account_id, id);

CREATE TABLE templates (
    id                   VARCHAR(36)   PRIMARY KEY,
    name                 VARCHAR(64)   NOT NULL UNIQUE,
    description          VARCHAR(2000) NOT NULL,
    owner_id             VARCHAR(36)   NOT NULL REFERENCES accounts (id),
    kernel               VARCHAR(512),
    initrd               VARCHAR(512),
    disk                 VARCHAR(512),
    cmdline              VARCHAR(1024),
    container_disk       VARCHAR(512),
    cpus                 INTEGER       NOT NULL,
    memory_mb            INTEGER       NOT NULL,
    console              BOOLEAN       NOT NULL,
    vnc                  BOOLEAN       NOT NULL,
    cloud_init           TEXT,
    max_lifetime_minutes INTEGER       NOT NULL,
    offered              BOOLEAN       NOT NULL,
    created_at           BIGINT        NOT NULL,
    updated_at           BIGINT        NOT NULL
);
CREATE INDEX templates_owner ON templates (owner_id, id);

CREATE TABLE labs (
    id                 VARCHAR(36)   PRIMARY KEY,
    owner_id           VARCHAR(36)   NOT NULL REFERENCES accounts (id),
    template_id        VARCHAR(36)   NOT NULL REFERENCES templates (id),
    desired            VARCHAR(16)   NOT NULL,
    desired_version    INTEGER       NOT NULL,
    restart_generation INTEGER       NOT NULL,
    restart_observed   INTEGER       NOT NULL,
    state              VARCHAR(16)   NOT NULL,
    state_reason       VARCHAR(2000),
    state_changed_at   BIGINT        NOT NULL,
    created_at         BIGINT        NOT NULL,
    started_at         BIGINT,
    expires_at         BIGINT        NOT NULL
);
CREATE INDEX labs_owner ON labs (owner_id, id);
CREATE INDEX labs_template ON labs (template_id, id);
