package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A declared KPI: what a plugin measures, in which unit, and which way is better.
 *
 * <p>Declare KPIs once, as constants, and publish through them with
 * {@link MetricPublisher#record(Kpi, double)}: the declaration is checked once, here, and the
 * runtime resolves the constant to its hourly accumulator without looking anything up by name.
 *
 * <pre>{@code
 * static final Kpi SCAN_TIME = Kpi.builder("scan_time", Kpi.Unit.SECONDS)
 *         .lowerIsBetter().target(2.0).healthBearing()
 *         .description("Wall time of one scan of the configured paths")
 *         .build();
 * }</pre>
 *
 * <p><b>Attributes.</b> A KPI may declare up to {@value #MAX_ATTRIBUTES} attribute keys (a
 * connector, a model version), each with an optional list of allowed values, and a bound on how
 * many distinct series it may hold ({@link Builder#maxSeries(int)}, default
 * {@value #DEFAULT_MAX_SERIES}). A plugin binds a series once with
 * {@link MetricPublisher#series(Kpi, String, String)} and records on the returned {@link Series}
 * with the same guarantees as {@link MetricPublisher#record(Kpi, double)}. Rollups are kept per
 * series and for the KPI's total; health reads the total.
 *
 * <pre>{@code
 * static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS)
 *         .lowerIsBetter().healthBearing()
 *         .attribute("connector")                      // any value
 *         .attribute("region", "eu", "us")             // only these
 *         .maxSeries(50)
 *         .build();
 * }</pre>
 *
 * @param name          {@code [a-z][a-z0-9_]{0,63}}, unique within its domain
 * @param unit          the unit values are in; it also gives the default valid range
 * @param direction     whether higher or lower values are better
 * @param healthBearing whether the KPI counts toward its domain's health score
 * @param target        the value that counts as fully healthy, if any (for lower-is-better KPIs and
 *                      counts, health is judged against it); null is taken as empty
 * @param min           the smallest valid value (inclusive); smaller values are rejected
 * @param max           the largest valid value (inclusive); larger values are rejected
 * @param description   what is measured and how, for people; null is taken as empty
 * @param mayBeConstant whether a value that never changes is legitimate for this KPI (uptime at 1.0,
 *                      a configured size): cognition's guard then raises no {@code constant} or
 *                      {@code pinned} flag on it
 * @param attributes    the attribute keys series of this KPI may carry, in declaration order; empty
 *                      (the default) for a KPI with only its total; null is taken as empty
 * @param maxSeries     how many distinct attribute sets (series) the KPI may hold across its
 *                      domain, not counting its total and its one overflow series; a new series
 *                      past it goes to the overflow series
 */
public record Kpi(String name, Unit unit, Direction direction, boolean healthBearing, OptionalDouble target,
                  double min, double max, String description, boolean mayBeConstant, List<Attribute> attributes,
                  int maxSeries) {

    /** The most attribute keys a KPI may declare. */
    public static final int MAX_ATTRIBUTES = 4;
    /** The series bound of a KPI that does not set one with {@link Builder#maxSeries(int)}. */
    public static final int DEFAULT_MAX_SERIES = 200;
    /** The largest series bound a KPI may set. */
    public static final int MAX_SERIES_LIMIT = 10_000;
    /** The most characters an attribute value may have. */
    public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    /**
     * Validates the declaration; a bad one fails here with the KPI's name and the rule it breaks.
     * Written out rather than compact so that {@code target} and {@code description} may be null
     * here while their accessors never return null.
     */
    public Kpi(String name, Unit unit, Direction direction, boolean healthBearing, @Nullable OptionalDouble target,
               double min, double max, @Nullable String description, boolean mayBeConstant,
               @Nullable List<Attribute> attributes, int maxSeries) {
        Objects.requireNonNull(name, "KPI name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("KPI name '" + name + "' must match " + NAME.pattern());
        }
        Objects.requireNonNull(unit, () -> "unit of KPI " + name);
        Objects.requireNonNull(direction, () -> "direction of KPI " + name);
        target = target == null ? OptionalDouble.empty() : target;
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException(
                    "valid range of KPI " + name + " must be min <= max, got [" + min + ", " + max + "]");
        }
        if (target.isPresent()) {
            double t = target.getAsDouble();
            if (!(t >= min && t <= max) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("target " + t + " of KPI " + name
                        + " must be a finite value inside its valid range [" + min + ", " + max + "]");
            }
        }
        this.name = name;
        this.unit = unit;
        this.direction = direction;
        this.healthBearing = healthBearing;
        this.target = target;
        this.min = min;
        this.max = max;
        this.description = description == null ? "" : description;
        this.mayBeConstant = mayBeConstant;
        this.attributes = checkedAttributes(name, attributes);
        if (maxSeries < 1 || maxSeries > MAX_SERIES_LIMIT) {
            throw new IllegalArgumentException("maxSeries of KPI " + name + " must be within [1, " + MAX_SERIES_LIMIT
                    + "], got " + maxSeries);
        }
        this.maxSeries = maxSeries;
    }

    /** A declaration without attributes (the form before attributes). */
    public Kpi(String name, Unit unit, Direction direction, boolean healthBearing, @Nullable OptionalDouble target,
               double min, double max, @Nullable String description, boolean mayBeConstant) {
        this(name, unit, direction, healthBearing, target, min, max, description, mayBeConstant, List.of(),
                DEFAULT_MAX_SERIES);
    }

    private static List<Attribute> checkedAttributes(String kpi, @Nullable List<Attribute> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return List.of();
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("KPI " + kpi + " declares " + attributes.size()
                    + " attribute keys; at most " + MAX_ATTRIBUTES + " are allowed");
        }
        Set<String> keys = new HashSet<>();
        for (Attribute a : attributes) {
            Objects.requireNonNull(a, () -> "attribute of KPI " + kpi);
            if (!keys.add(a.key())) {
                throw new IllegalArgumentException("KPI " + kpi + " declares attribute '" + a.key() + "' twice");
            }
        }
        return List.copyOf(attributes);
    }

    /** The declared attribute with this key, or null. */
    public @Nullable Attribute attribute(String key) {
        for (Attribute a : attributes) {
            if (a.key().equals(key)) {
                return a;
            }
        }
        return null;
    }

    /** Whether the KPI declares attribute keys, and so may hold series besides its total. */
    public boolean hasAttributes() {
        return !attributes.isEmpty();
    }

    /**
     * Why {@code value} is not a valid attribute value, or null when it is: 1 to
     * {@value #MAX_ATTRIBUTE_VALUE_LENGTH} characters, none of them a control character.
     */
    public static @Nullable String invalidAttributeValue(@Nullable String value) {
        if (value == null) {
            return "is null";
        }
        if (value.isEmpty()) {
            return "is empty";
        }
        if (value.length() > MAX_ATTRIBUTE_VALUE_LENGTH) {
            return "is longer than " + MAX_ATTRIBUTE_VALUE_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "holds a control character at index " + i;
            }
        }
        return null;
    }

    /**
     * One attribute key a KPI declares.
     *
     * @param key     {@code [a-z][a-z0-9_]{0,31}}
     * @param allowed the values a series may carry under this key; empty means any valid value
     *                (see {@link #invalidAttributeValue(String)})
     */
    public record Attribute(String key, List<String> allowed) {

        public Attribute {
            Objects.requireNonNull(key, "attribute key");
            if (!ATTRIBUTE_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("attribute key '" + key + "' must match " + ATTRIBUTE_KEY.pattern());
            }
            if (allowed == null) {
                allowed = List.of();
            }
            Set<String> seen = new HashSet<>();
            for (String v : allowed) {
                String why = invalidAttributeValue(v);
                if (why != null) {
                    throw new IllegalArgumentException("allowed value '" + v + "' of attribute " + key + " " + why);
                }
                if (!seen.add(v)) {
                    throw new IllegalArgumentException("allowed value '" + v + "' of attribute " + key + " is listed twice");
                }
            }
            allowed = List.copyOf(allowed);
        }

        /** Whether a series may carry {@code value} under this key. */
        public boolean allows(String value) {
            return allowed.isEmpty() ? invalidAttributeValue(value) == null : allowed.contains(value);
        }
    }

    /**
     * One series of a KPI, bound once to an attribute set with {@link MetricPublisher#series}: the
     * hot path for a KPI with attributes. {@link #record(double)} costs what
     * {@link MetricPublisher#record(Kpi, double)} costs: it allocates nothing, takes no lock shared
     * with other series, never throws and never blocks. A series bound with an undeclared key or a
     * disallowed value rejects every value (each rejection counted); one bound past the KPI's
     * {@link Kpi#maxSeries()} records into the KPI's overflow series (each value accepted and
     * counted as an overflow).
     */
    public interface Series {

        /**
         * Records a value measured now into this series (and so into its KPI's total).
         *
         * @return whether the value was accepted
         */
        boolean record(double value);

        /** The KPI this series belongs to. */
        Kpi kpi();

        /** The attribute set as bound (for an overflow series, the set asked for), empty for the KPI's total. */
        Map<String, String> attributes();

        /**
         * A series that accepts nothing and counts nothing: what publishers without a runtime (and
         * {@link MetricPublisher#NOOP}) return.
         */
        static Series rejecting(Kpi kpi, Map<String, String> attributes) {
            Map<String, String> copy = SeriesKey.copyOrEmpty(attributes);
            return new Series() {
                @Override
                public boolean record(double value) {
                    return false;
                }

                @Override
                public Kpi kpi() {
                    return kpi;
                }

                @Override
                public Map<String, String> attributes() {
                    return copy;
                }

                @Override
                public String toString() {
                    return "rejecting series " + (kpi == null ? "null" : kpi.name()) + copy;
                }
            };
        }
    }

    /** A declaration whose constant values the guard flags (the form before {@code mayBeConstant}). */
    public Kpi(String name, Unit unit, Direction direction, boolean healthBearing, @Nullable OptionalDouble target,
               double min, double max, @Nullable String description) {
        this(name, unit, direction, healthBearing, target, min, max, description, false);
    }

    /** Starts a declaration with the unit's default range and direction (higher is better). */
    public static Builder builder(String name, Unit unit) {
        return new Builder(name, unit);
    }

    /** Whether {@code value} may be published: finite and inside {@code [min, max]}. NaN is never valid. */
    public boolean accepts(double value) {
        return value >= min && value <= max && !Double.isInfinite(value);
    }

    /** The unit of a KPI's values; each has a natural valid range. */
    public enum Unit {
        /** A share between 0 and 1. */
        RATIO(0, 1),
        /** A number of things, never negative. */
        COUNT(0, Double.MAX_VALUE),
        /** A duration in seconds. */
        SECONDS(0, Double.MAX_VALUE),
        /** A duration in milliseconds. */
        MILLISECONDS(0, Double.MAX_VALUE),
        /** A size in bytes. */
        BYTES(0, Double.MAX_VALUE),
        /** An amount of money; may be negative. */
        CURRENCY(-Double.MAX_VALUE, Double.MAX_VALUE),
        /** A dimensionless score; declare its range with {@link Builder#range(double, double)}. */
        SCORE(-Double.MAX_VALUE, Double.MAX_VALUE),
        /** Events per second. */
        PER_SECOND(0, Double.MAX_VALUE),
        /** Events per hour. */
        PER_HOUR(0, Double.MAX_VALUE);

        private final double defaultMin;
        private final double defaultMax;

        Unit(double defaultMin, double defaultMax) {
            this.defaultMin = defaultMin;
            this.defaultMax = defaultMax;
        }

        /** The smallest value valid in this unit unless the KPI narrows it. */
        public double defaultMin() {
            return defaultMin;
        }

        /** The largest value valid in this unit unless the KPI narrows it. */
        public double defaultMax() {
            return defaultMax;
        }
    }

    /** Which way a KPI's values are better. */
    public enum Direction {
        /** Larger values are better (accuracy, coverage, uptime). */
        HIGHER_IS_BETTER,
        /** Smaller values are better (latency, error rate, cost). */
        LOWER_IS_BETTER
    }

    /** Fluent construction of a {@link Kpi}. */
    public static final class Builder {
        private final String name;
        private final Unit unit;
        private Direction direction = Direction.HIGHER_IS_BETTER;
        private boolean healthBearing;
        private OptionalDouble target = OptionalDouble.empty();
        private double min;
        private double max;
        private String description = "";
        private boolean mayBeConstant;
        private final List<Attribute> attributes = new ArrayList<>();
        private int maxSeries = DEFAULT_MAX_SERIES;

        private Builder(String name, Unit unit) {
            this.name = name;
            this.unit = Objects.requireNonNull(unit, "unit");
            this.min = unit.defaultMin();
            this.max = unit.defaultMax();
        }

        /** Smaller values are better. */
        public Builder lowerIsBetter() {
            this.direction = Direction.LOWER_IS_BETTER;
            return this;
        }

        /** Larger values are better (the default). */
        public Builder higherIsBetter() {
            this.direction = Direction.HIGHER_IS_BETTER;
            return this;
        }

        /** The KPI counts toward its domain's health. */
        public Builder healthBearing() {
            this.healthBearing = true;
            return this;
        }

        /** The value that counts as fully healthy. */
        public Builder target(double target) {
            this.target = OptionalDouble.of(target);
            return this;
        }

        /** Narrows (or for {@link Unit#SCORE}, sets) the valid range, both ends inclusive. */
        public Builder range(double min, double max) {
            this.min = min;
            this.max = max;
            return this;
        }

        /** What is measured and how. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * A value that never changes is legitimate for this KPI (uptime at 1.0): cognition's guard
         * raises no {@code constant} or {@code pinned} flag on it. The other flags still apply.
         */
        public Builder mayBeConstant() {
            this.mayBeConstant = true;
            return this;
        }

        /** Declares an attribute key whose series may carry any valid value. */
        public Builder attribute(String key) {
            return attribute(key, new String[0]);
        }

        /** Declares an attribute key whose series may carry only the listed values. */
        public Builder attribute(String key, String... allowed) {
            try {
                attributes.add(new Attribute(key, allowed == null ? List.of() : java.util.Arrays.asList(allowed)));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("KPI " + name + ": " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * How many distinct series the KPI may hold in its domain (default {@value #DEFAULT_MAX_SERIES},
         * at most {@value #MAX_SERIES_LIMIT}); past it, new series go to the one overflow series.
         */
        public Builder maxSeries(int maxSeries) {
            this.maxSeries = maxSeries;
            return this;
        }

        /** Validates and builds. */
        public Kpi build() {
            return new Kpi(name, unit, direction, healthBearing, target, min, max, description, mayBeConstant,
                    attributes, maxSeries);
        }
    }
}
