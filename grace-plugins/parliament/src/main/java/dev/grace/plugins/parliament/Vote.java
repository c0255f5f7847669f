package dev.grace.plugins.parliament;

/** A voter's answer on a proposal. Only YES and NO count toward the quorum. */
public enum Vote {
    /** For. */
    YES,
    /** Against. */
    NO,
    /** The proposal is outside what the voter judges. */
    ABSTAIN
}
