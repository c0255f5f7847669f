package dev.grace.store.internal;

/** The two databases Grace stores into; the few statements that differ are chosen by this. */
public enum Vendor {
    H2, POSTGRESQL
}
