-- Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- How a template's labs are judged ready (console pattern, guest agent, or none) and how long a
-- boot may take before the loop fails it; existing templates keep today's behaviour ('none').
ALTER TABLE templates ADD COLUMN readiness VARCHAR(16) NOT NULL DEFAULT 'none';
ALTER TABLE templates ADD COLUMN readiness_pattern VARCHAR(256);
ALTER TABLE templates ADD COLUMN readiness_timeout_seconds INTEGER NOT NULL DEFAULT 300;
-- The seeded QEMU demo waits for its busybox prompt (scripts/demo-image.sh), as a new one does.
UPDATE templates SET readiness = 'console', readiness_pattern = 'lab:~# '
    WHERE name = 'demo' AND kernel = 'demo/vmlinuz' AND initrd = 'demo/initrd.img';
-- When the loop last started or restarted a lab's machine: the readiness deadline counts from it,
-- and with started_at (when it became ready) it tells how long the start took.
ALTER TABLE labs ADD COLUMN boot_started_at BIGINT;
