-- The reconcile loop's fencing token: the replica that leads bumps the epoch when it takes over,
-- and every write of the loop only applies while its epoch is still the current one, so a replica
-- that lost its lease (and does not know yet) cannot overwrite the new leader's writes.
CREATE TABLE controller_fence (
    id    INTEGER PRIMARY KEY,
    epoch BIGINT  NOT NULL
);
INSERT INTO controller_fence (id, epoch) VALUES (1, 0);

-- The epoch of the leader that last wrote a lab's observed state.
ALTER TABLE labs ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
