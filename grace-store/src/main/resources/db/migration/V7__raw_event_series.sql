-- Raw events name their series (issue 19, docs/attributes.md): the canonical key of the attribute set
-- the value was recorded on, '' for a value recorded without attributes (the KPI's total alone). Rows
-- stored before this version were all stored without their series and keep '', so they count in their
-- KPI's total and in no series, which is what a reader could tell of them. The widest key the
-- publisher binds is 4 keys of 32 characters and values of 64, each escaped to at most 2 characters,
-- with '=' and ',' between: 4 * (32 + 1 + 128) + 3 = 647 characters, within 1024.
-- Adding a column with a constant default rewrites no row on PostgreSQL (11 and later) nor on H2.
ALTER TABLE metric_events ADD COLUMN series VARCHAR(1024) DEFAULT '' NOT NULL;
