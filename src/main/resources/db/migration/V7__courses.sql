-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Times are epoch milliseconds.
-- Courses: a schedule window (NULL = open on that side) and quotas (NULL = no limit).
CREATE TABLE courses (
    id                        VARCHAR(36)  PRIMARY KEY,
    name                      VARCHAR(200) NOT NULL,
    code                      VARCHAR(32)  NOT NULL UNIQUE,
    opens_at                  BIGINT,
    closes_at                 BIGINT,
    max_labs_per_student      INTEGER,
    max_vcpus                 INTEGER,
    max_memory_mb             INTEGER,
    max_lab_hours_per_student INTEGER,
    created_at                BIGINT       NOT NULL,
    updated_at                BIGINT       NOT NULL
);

-- Who is in a course and as what (INSTRUCTOR or STUDENT); one role per account and course.
CREATE TABLE course_members (
    course_id  VARCHAR(36) NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    account_id VARCHAR(36) NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       VARCHAR(16) NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (course_id, account_id)
);
CREATE INDEX course_members_account ON course_members (account_id, course_id);

-- The templates a course offers to its students.
CREATE TABLE course_templates (
    course_id   VARCHAR(36) NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    template_id VARCHAR(36) NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, template_id)
);

-- A lab started in a course carries it, so the course's quotas are counted in the database.
ALTER TABLE labs ADD COLUMN course_id VARCHAR(36) REFERENCES courses (id);
CREATE INDEX labs_course ON labs (course_id, owner_id);

-- The lifetime of every lab, kept after the lab row is gone: lab-hours are summed from it.
-- ended_at is when deletion was asked for (NULL while the lab exists; expiry ends it at expires_at).
CREATE TABLE lab_usage (
    lab_id     VARCHAR(36) PRIMARY KEY,
    owner_id   VARCHAR(36) NOT NULL,
    course_id  VARCHAR(36),
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    ended_at   BIGINT
);
CREATE INDEX lab_usage_course ON lab_usage (course_id, owner_id);

-- Accounts made from a roster carry the roster's name and email.
ALTER TABLE accounts ADD COLUMN display_name VARCHAR(200);
ALTER TABLE accounts ADD COLUMN email VARCHAR(254);

-- One-time set-password links: only the SHA-256 of the token is stored; used once, then deleted.
CREATE TABLE password_links (
    token_hash VARCHAR(64) PRIMARY KEY,
    account_id VARCHAR(36) NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX password_links_account ON password_links (account_id);
