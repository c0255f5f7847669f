package dev.grace.runtime.internal.rollup;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.PaginatedStore;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one sketch configuration every rollup uses, so that any two sketches can be merged. */
public final class Sketches {

    /** Relative accuracy of every quantile: 1%. */
    public static final double RELATIVE_ACCURACY = 0.01;
    /**
     * Bins per store. With the cubically interpolated mapping at 1% that covers about 17 decades of
     * magnitude before the lowest bins are collapsed, and bounds a sketch to a few kB.
     */
    public static final int MAX_BINS = 2048;

    private static final IndexMapping MAPPING = newSketch().getIndexMapping();

    private Sketches() {
    }

    /**
     * The sketch in DDSketch's own binary encoding (index mapping included): what the store keeps.
     * About six times smaller than the protobuf form, and {@link #decode(byte[])} reads it back into
     * a sketch that merges with every other.
     */
    public static byte[] encode(DDSketch sketch) {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(512);
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding into memory cannot fail", e);
        }
        return out.trimmedCopy();
    }

    /**
     * Reads {@link #encode(DDSketch)}'s bytes back, with this configuration's mapping, so that it
     * merges with every other sketch. Decoded sketches are read (and merged) far more often than
     * they are added to, so they use the store that decodes fastest: a paginated one (half the time
     * of a dense store for a 30-day query); the bins are the same, the store is only their layout.
     *
     * @throws IllegalArgumentException when the bytes are not such an encoding
     */
    public static DDSketch decode(byte[] bytes) {
        try {
            return DDSketch.decode(ByteArrayInput.wrap(bytes), PaginatedStore::new, MAPPING);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded DDSketch: " + e.getMessage(), e);
        }
    }

    /** A new empty sketch. */
    public static DDSketch newSketch() {
        return DDSketch.balancedCollapsingLowest(RELATIVE_ACCURACY, MAX_BINS);
    }
}
