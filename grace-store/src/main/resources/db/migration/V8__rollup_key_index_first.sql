-- H2 plans a prepared statement when it is first run, and on a table without statistics (a new store's
-- first flush) every index whose columns the key lookup names costs the same, so it takes the oldest:
-- metrics_rollups_hour (period, period_start), created in V2 before V6 recreated the key. Each upsert of
-- a flush then walked every row of its period (10,000 KPIs: 12-17 s a flush, growing with the square of
-- the KPIs; docs/benchmarks.md), and H2 kept that plan for the session. Recreated after the key, the
-- hour index loses the tie. PostgreSQL plans each lookup by the key whatever the order; it only
-- rebuilds the index. (V8: V7 is taken by the raw events' series on another branch.)
DROP INDEX metrics_rollups_hour;
CREATE INDEX metrics_rollups_hour ON metrics_rollups (period, period_start);
