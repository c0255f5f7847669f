package dev.grace.api;

import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.OptionalDouble;
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
 */
public record Kpi(String name, Unit unit, Direction direction, boolean healthBearing, OptionalDouble target,
                  double min, double max, String description, boolean mayBeConstant) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /**
     * Validates the declaration; a bad one fails here with the KPI's name and the rule it breaks.
     * Written out rather than compact so that {@code target} and {@code description} may be null
     * here while their accessors never return null.
     */
    public Kpi(String name, Unit unit, Direction direction, boolean healthBearing, @Nullable OptionalDouble target,
               double min, double max, @Nullable String description, boolean mayBeConstant) {
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

        /** Validates and builds. */
        public Kpi build() {
            return new Kpi(name, unit, direction, healthBearing, target, min, max, description, mayBeConstant);
        }
    }
}
