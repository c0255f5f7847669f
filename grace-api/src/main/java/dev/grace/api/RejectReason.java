package dev.grace.api;

/** Why a publisher refused a value. Every rejection is counted per plugin under one of these. */
public enum RejectReason {
    /** The KPI is not one the plugin declared (which includes every KPI of another domain). */
    UNKNOWN_KPI,
    /** The value was NaN. */
    NOT_A_NUMBER,
    /** The value was positive or negative infinity. */
    INFINITE,
    /** The value lies outside the KPI's declared valid range. */
    OUT_OF_RANGE,
    /** The metadata has too many keys, a key or value that is too long, or a null key or value. */
    METADATA_TOO_LARGE,
    /** The event time is ahead of the runtime's clock. */
    FUTURE_TIMESTAMP,
    /** The event time is older than the runtime's lateness limit. */
    TOO_LATE,
    /** The runtime has been closed (or the plugin stopped); nothing more is accepted. */
    CLOSED
}
