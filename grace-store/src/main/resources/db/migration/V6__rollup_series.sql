-- Rollups per series (docs/attributes.md): a KPI with attributes keeps one row per node, series and
-- period beside its total. series is the canonical series key (dev.grace.api.SeriesKey): '' for the
-- KPI's total, 'key=value,...' for one attribute set, '_overflow' for the overflow series. Every row
-- stored before is a total, so the default keeps it one: nothing is rewritten or lost. 1,024 holds
-- the longest key the publisher admits (4 keys of 32 characters, values of 64, each character of a
-- value escaped to at most 2, the separators: 4 × (32 + 1 + 128) + 3 = 647).
ALTER TABLE metrics_rollups ADD COLUMN series VARCHAR(1024) DEFAULT '' NOT NULL;

-- One row per (node, domain, KPI, series, period, period start): the key the writer's MERGE (H2) and
-- ON CONFLICT (PostgreSQL) name.
ALTER TABLE metrics_rollups DROP CONSTRAINT metrics_rollups_key;
ALTER TABLE metrics_rollups ADD CONSTRAINT metrics_rollups_key
    UNIQUE (node, domain, kpi, series, period, period_start);

-- Readers ask for one KPI's totals (series = '') or its series, of one period kind, from a start on.
DROP INDEX metrics_rollups_read;
CREATE INDEX metrics_rollups_read ON metrics_rollups (domain, kpi, period, series, period_start);
