-- Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- How many started, ready machines of a template the runtime keeps ahead of use (KubeVirt's warm
-- pool); 0, the default and every existing template's value, keeps none.
ALTER TABLE templates ADD COLUMN warm_pool INTEGER NOT NULL DEFAULT 0;
