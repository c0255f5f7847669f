package dev.grace.plugins.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Held-out test cases for the detector, generated from a seed by a procedure that does not read the
 * detector's rules: real secret formats as their issuers document them (AWS access key ids, GitHub
 * and Slack tokens, Stripe and Google API keys, PEM private keys, passwords and credentials in URLs)
 * embedded in the lines of real file kinds (YAML, JSON, .properties, .env, shell, Java, XML) with
 * varied quoting, indentation, line endings and wrapping; and decoys that real files hold beside
 * them (UUIDs, commit and content hashes, base64 of text, placeholders, long identifiers, plain URLs,
 * version strings, prose that names the formats). Each scan draws a new sample (seed = scan number),
 * so the figures are estimates with sampling noise, not constants of a fixed corpus.
 */
final class HeldOut {

    /** Cases of each label per sample. */
    static final int CASES = 40;

    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String BASE32 = UPPER + "234567";
    private static final String ALNUM = UPPER + "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";
    private static final String PASSWORD = ALNUM + "!@%^&*-_+";
    private static final List<String> WORDS = List.of("service", "billing", "queue", "report", "cache", "store",
            "gateway", "worker", "ledger", "account", "session", "metrics");

    private final Random random;

    /** One sample of cases. */
    record Sample(List<String> secrets, List<String> decoys) {

        /** How {@code detects} does on the sample. */
        Corpus.Evaluation evaluate(Predicate<String> detects) {
            int found = (int) secrets.stream().filter(detects).count();
            int flagged = (int) decoys.stream().filter(detects).count();
            return new Corpus.Evaluation(secrets.size(), found, decoys.size(), flagged);
        }
    }

    private HeldOut(long seed) {
        this.random = new Random(seed);
    }

    /** The sample drawn from {@code seed}: {@value #CASES} secrets and {@value #CASES} decoys. */
    static Sample sample(long seed) {
        HeldOut g = new HeldOut(seed);
        List<String> secrets = new ArrayList<>();
        List<String> decoys = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            secrets.add(g.wrap(g.secret()));
            decoys.add(g.wrap(g.decoy()));
        }
        return new Sample(secrets, decoys);
    }

    private String chars(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private String word() {
        return WORDS.get(random.nextInt(WORDS.size()));
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    /** A key = value line in one of the file kinds, quoted one way or another. */
    private String assign(String key, String value) {
        String q = pick("", "\"", "'");
        return switch (random.nextInt(6)) {
            case 0 -> key + ": " + q + value + q;                                  // YAML
            case 1 -> "\"" + key + "\": \"" + value + "\",";                       // JSON
            case 2 -> key.replace('_', '.') + "=" + value;                         // .properties
            case 3 -> "export " + key.toUpperCase() + "=" + q + value + q;         // shell / .env
            case 4 -> "private static final String " + key.toUpperCase() + " = \"" + value + "\";"; // Java
            default -> "<" + key + ">" + value + "</" + key + ">";                  // XML
        };
    }

    private String secret() {
        return switch (random.nextInt(9)) {
            case 0 -> assign(pick("aws_access_key_id", "access_key", "AccessKeyId"), "AKIA" + chars(BASE32, 16));
            case 1 -> assign(pick("github_token", "token", "gh_auth"), "ghp_" + chars(ALNUM, 36));
            case 2 -> assign(pick("slack_token", "bot_token"), "xoxb-" + chars("0123456789", 11) + "-"
                    + chars("0123456789", 12) + "-" + chars(ALNUM, 24));
            case 3 -> "-----BEGIN " + pick("RSA ", "EC ", "OPENSSH ", "") + "PRIVATE KEY-----";
            case 4 -> assign(pick("password", "db_password", "spring_datasource_password", "smtp_pass"),
                    chars(PASSWORD, 10 + random.nextInt(10)));
            case 5 -> assign(pick("stripe_key", "payment_secret"), "sk_live_" + chars(ALNUM, 24));
            case 6 -> assign(pick("maps_api_key", "google_key"), "AIza" + chars(ALNUM + "_-", 35));
            case 7 -> assign(pick("url", "database_url", "endpoint"), pick("https", "postgres", "amqp") + "://"
                    + word() + ":" + chars(PASSWORD.replace("@", ""), 14) + "@" + word() + ".internal:5432/"
                    + word());
            default -> assign(pick("client_secret", "signing_secret", "api_key"), chars(ALNUM, 32 + random.nextInt(9)));
        };
    }

    private String decoy() {
        return switch (random.nextInt(10)) {
            case 0 -> assign(pick("request_id", "trace", "id"), new UUID(random.nextLong(), random.nextLong()).toString());
            case 1 -> "commit " + chars(HEX, 40) + " " + pick("Fix", "Add", "Drop") + " " + word() + " retries";
            case 2 -> assign("sha256", chars(HEX, 64));
            case 3 -> assign(pick("greeting", "body", "note"), Base64.getEncoder().encodeToString(
                    ("the " + word() + " sends a " + word() + " report every morning").getBytes(StandardCharsets.UTF_8)));
            case 4 -> assign(pick("password", "db_password", "token"), pick("${DB_PASSWORD}", "<your-password>",
                    "changeme", "********", "{{ vault_token }}"));
            case 5 -> assign(pick("handler", "bean"), "Abstract" + cap(word()) + cap(word()) + "ProxyFactoryBean"
                    + cap(word()) + "Configuration");
            case 6 -> assign(pick("homepage", "docs"), "https://" + word() + ".example.org/" + word() + "/"
                    + word() + "?page=" + random.nextInt(100));
            case 7 -> assign(pick("version", "image"), word() + ":" + random.nextInt(10) + "." + random.nextInt(30)
                    + "." + random.nextInt(100) + "-" + chars(HEX, 7));
            case 8 -> "# access keys start with AKIA and GitHub tokens with ghp_; never commit them";
            default -> assign(pick("timeout", "port", "max_tokens"), Integer.toString(random.nextInt(65536)));
        };
    }

    private static String cap(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    /** Indentation, a Windows line ending, a trailing comment: how the line sits in its file. */
    private String wrap(String line) {
        String indented = " ".repeat(pick("", "  ", "    ").length()) + line;
        return switch (random.nextInt(4)) {
            case 0 -> indented + "\r";
            case 1 -> indented + pick("", "  ");
            default -> indented;
        };
    }
}
