-- The sequence of the last raw-event batch each node committed. A batch insert can be reported as
-- failed although its transaction committed (H2 closed by its own JVM shutdown hook between the
-- commit and the connection's release); the writer retries it, and the retry finds its sequence here
-- and writes nothing, so that no raw event is stored twice. One row per node: it never grows.
CREATE TABLE raw_event_batches (
    node     VARCHAR(128) NOT NULL,
    last_seq BIGINT       NOT NULL,
    CONSTRAINT raw_event_batches_key PRIMARY KEY (node)
);
