-- Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Reset to template (issue 13): a request bumps reset_requested; the reconcile loop deletes the
-- lab's machine and disk and, once the runtime holds none, records the generation it carried out in
-- reset_applied. A reset asked for while one is carried out stays pending (requested > applied).
ALTER TABLE labs ADD COLUMN reset_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE labs ADD COLUMN reset_applied INTEGER NOT NULL DEFAULT 0;
