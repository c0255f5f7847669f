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
    /**
     * The metadata has too many keys, a key or value that is too long, a null or empty key or a null
     * value; judged on the copy the runtime keeps, so a map changed while it is read is judged as copied.
     */
    METADATA_TOO_LARGE,
    /** The event time is ahead of the runtime's clock. */
    FUTURE_TIMESTAMP,
    /** The event time is older than the runtime's lateness limit. */
    TOO_LATE,
    /** The runtime has been closed (or the plugin stopped); nothing more is accepted. */
    CLOSED,
    /**
     * The value is finite and inside the KPI's declared range, but its magnitude is above
     * {@link MetricPublisher#MAX_MAGNITUDE} ({@code 1e130}): summing its square with others could
     * overflow to infinity, so it is refused rather than counted in some figures and not others.
     */
    MAGNITUDE_TOO_LARGE,
    /**
     * The series was bound with an attribute key its KPI does not declare, a null key, the same key
     * twice, or an attribute set that could not be read (its map threw).
     */
    UNKNOWN_ATTRIBUTE,
    /**
     * The series was bound with a value its KPI's attribute does not allow: not in the declared
     * list, or (for a key that allows any value) null, empty, longer than
     * {@link Kpi#MAX_ATTRIBUTE_VALUE_LENGTH} characters or holding a control character.
     */
    ATTRIBUTE_VALUE_NOT_ALLOWED
}
