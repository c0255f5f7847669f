package dev.grace.plugins.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretDetectorTest {

    private final SecretDetector detector = new SecretDetector();

    @Test
    void theShippedCorpusIsFullyDetectedWithoutFalsePositives() {
        Corpus.Evaluation eval = Corpus.shipped().evaluate(detector);
        assertThat(eval.secrets()).isGreaterThanOrEqualTo(20);
        assertThat(eval.decoys()).isGreaterThanOrEqualTo(20);
        assertThat(eval.recall()).isEqualTo(1.0);
        assertThat(eval.falsePositiveRate()).isZero();
    }

    @Test
    void namesTheRuleThatFired() {
        assertThat(detector.detect("-----BEGIN OPENSSH PRIVATE KEY-----")).contains("private_key");
        assertThat(detector.detect("key=AKIAFAKETESTKEY00009")).contains("cloud_access_key");
        assertThat(detector.detect("t ghp_" + "a".repeat(36))).contains("token");
        assertThat(detector.detect("db.password = not-a-real-one")).contains("config_password");
        assertThat(detector.detect("x = Qm9vZ3xkZ2Jf7hYt0PLm2wZcVb8KrN")).contains("high_entropy");
    }

    @Test
    void placeholdersExampleKeysAndHashesAreNotSecrets() {
        assertThat(detector.detect("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")).isEmpty();
        assertThat(detector.detect("password: ${PASSWORD}")).isEmpty();
        assertThat(detector.detect("password = changeme")).isEmpty();
        assertThat(detector.detect("  integrity sha512-Qm9vZ3xkZ2Jf7hYt0PLm2wZcVb8KrN")).isEmpty();
        assertThat(detector.detect("id = 123e4567-e89b-12d3-a456-426614174000")).isEmpty();
        assertThat(detector.detect("b = " + java.util.Base64.getEncoder()
                .encodeToString("plain words are not a secret".getBytes()))).isEmpty();
    }

    @Test
    void entropyIsBitsPerCharacter() {
        assertThat(SecretDetector.entropy("aaaa")).isZero();
        assertThat(SecretDetector.entropy("abab")).isEqualTo(1.0);
        assertThat(SecretDetector.entropy("abcdefgh")).isEqualTo(3.0);
    }

    @Test
    void aCorpusLineWithoutALabelIsRejectedWithItsLineNumber() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corpus.parse("secret\tx\ndecoy\ty\nmaybe\tz\n"))
                .hasMessageContaining("corpus line 3").hasMessageContaining("\"secret\" or \"decoy\"");
    }
}
