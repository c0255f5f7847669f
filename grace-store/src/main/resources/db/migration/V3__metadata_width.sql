-- Raw-event metadata as JSON, wide enough for every map the publisher accepts: 8 keys of 64
-- characters and values of 256, each character escaped by JSON to at most 6 (\u0000), is 15,409
-- characters (MetricEventDao.MAX_METADATA_JSON; StoreContract checks this width against it).
-- VARCHAR(4096) refused legal metadata such as values of 256 '"' (4,657 characters as JSON).
-- PostgreSQL widens a VARCHAR without rewriting the table.
ALTER TABLE metric_events ALTER COLUMN metadata SET DATA TYPE VARCHAR(16384);
