package dev.grace.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The metadata column's JSON is what Jackson wrote before, byte for byte, for any map of strings. */
class MetadataJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void everyCharacterBelowU0080AndBeyondIsWrittenAsJacksonWritesIt() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("é€😀\u2028\u2029\uFFFF");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("all", all.toString());
        m.put(all.toString(), "key too");
        m.put("", "");
        MetadataJson json = new MetadataJson();
        assertThat(json.of(m).toString()).isEqualTo(JACKSON.writeValueAsString(m));
    }

    @Test
    void randomMapsMatchJacksonAndTheBuilderIsReused() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        MetadataJson json = new MetadataJson();
        for (int round = 0; round < 2000; round++) {
            Map<String, String> m = new LinkedHashMap<>();
            int keys = random.nextInt(1, 9);
            for (int k = 0; k < keys; k++) {
                m.put(text(random, 1 + random.nextInt(64)), text(random, random.nextInt(257)));
            }
            assertThat(json.of(m).toString()).isEqualTo(JACKSON.writeValueAsString(m));
        }
        assertThat(json.of(Map.of())).isNull();
        assertThat(json.of(null)).isNull();
    }

    private static String text(SplittableRandom random, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(4);
            s.append(kind == 0 ? (char) random.nextInt(0x20) : kind == 1 ? "\"\\/".charAt(random.nextInt(3))
                    : kind == 2 ? (char) random.nextInt(0x20, 0x7F) : (char) random.nextInt(0xA0, 0xD7FF));
        }
        return s.toString();
    }
}
