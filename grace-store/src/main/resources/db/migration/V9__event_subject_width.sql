-- A readiness event's subject is a metric (at most 128 characters, BenchmarkSpec), a domain, or,
-- for a guard flag raised or cleared, a KPI as domain.kpi: two names of up to 64 characters and
-- the dot, 129. PostgreSQL widens a VARCHAR without rewriting the table.
ALTER TABLE saas_readiness_events ALTER COLUMN subject SET DATA TYPE VARCHAR(160);
