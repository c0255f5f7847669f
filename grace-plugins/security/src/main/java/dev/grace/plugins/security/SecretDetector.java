package dev.grace.plugins.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether one line of text holds a secret, and which kind. Stateless and thread-safe.
 *
 * <p>The rules, in the order they are tried:
 * <ul>
 *   <li>{@code private_key}: a PEM private-key header ({@code -----BEGIN ... PRIVATE KEY-----});</li>
 *   <li>{@code cloud_access_key}: an AWS access key id ({@code AKIA}/{@code ASIA} and 16 upper-case
 *       letters or digits), unless it is AWS's documented example (ending {@code EXAMPLE});</li>
 *   <li>{@code token}: a GitHub token ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_},
 *       {@code ghr_} and 36 letters or digits) or a Slack token ({@code xoxb-}, {@code xoxp-}, ...);</li>
 *   <li>{@code config_password} (text files only): a whole config line {@code key = value} or {@code key: value}
 *       whose key names a password, secret, token or API key and whose value is a literal, not a
 *       placeholder ({@code ${VAR}}, {@code <...>}, {@code ***}, {@code changeme}, anything with
 *       {@code example}) or a plain number (a port or a time-to-live, not a secret);</li>
 *   <li>{@code high_entropy} (text files only): a run of 24 or more base64 or URL-safe characters that mixes upper
 *       case, lower case and digits, switches between those classes as often as random text does
 *       (at least {@value #MIN_CLASS_SWITCHES} of adjacent pairs; words and identifiers do not), carries at least {@value #MIN_ENTROPY} bits of Shannon entropy
 *       per character, is not part of a URL, does not decode (as base64) to printable text, and is not on a line that
 *       names it a hash ({@code integrity}, {@code sha256}, {@code checksum}, ...), which is what
 *       lockfiles and checksum lists hold.</li>
 * </ul>
 */
final class SecretDetector {

    static final String PRIVATE_KEY_RULE = "private_key";
    static final String CLOUD_ACCESS_KEY_RULE = "cloud_access_key";
    static final String TOKEN_RULE = "token";
    static final String CONFIG_PASSWORD_RULE = "config_password";
    static final String HIGH_ENTROPY_RULE = "high_entropy";
    /** Every rule (family) a finding can name, in the order they are tried. */
    static final List<String> RULES =
            List.of(PRIVATE_KEY_RULE, CLOUD_ACCESS_KEY_RULE, TOKEN_RULE, CONFIG_PASSWORD_RULE, HIGH_ENTROPY_RULE);

    /** Bits per character. Random base64 of 24+ characters scores above 4; words and identifiers below. */
    static final double MIN_ENTROPY = 4.0;

    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern AWS_KEY = Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b");
    private static final Pattern TOKEN =
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36}\\b|\\bxox[abposr]-[A-Za-z0-9-]{10,}");
    private static final Pattern CONFIG_SECRET = Pattern.compile(
            "^\\s*[\\w.-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)[\\w.-]*\\s*[:=]\\s*"
                    + "([\"']?)([^\\s\"'#]+)\\1\\s*(?:#.*)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "\\$\\{.*}|\\$\\w+|<.*>|%\\(.*\\)s|\\*+|x{3,}|\\.{3}|changeme|change_me|.*example.*|\\d+|your[_-].*|placeholder"
                    + "|secret|password|none|null|nil|true|false|todo|redacted|\\{\\{.*}}",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CANDIDATE = Pattern.compile("[A-Za-z0-9+/_-]{24,}={0,2}");
    /**
     * Share of adjacent characters whose class (upper case, lower case, digit, other) differs. Random
     * base64 switches at about 0.62; words, camelCase identifiers and paths of them
     * ({@code JUnit3FloatingPointComparison}, {@code FasterXML/jackson-modules}) at 0.2 to 0.3.
     */
    static final double MIN_CLASS_SWITCHES = 0.4;

    /** URLs are paths and names, not secrets; a token inside one is caught by the token rule first. */
    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]*");
    private static final Pattern HASH_CONTEXT = Pattern.compile(
            "integrity|sha1|sha256|sha384|sha512|md5|checksum|hash|digest|resolved", Pattern.CASE_INSENSITIVE);

    /** The rule that fires on {@code line} of a text file, if any. */
    Optional<String> detect(String line) {
        return detect(line, false);
    }

    /**
     * The rule that fires on {@code line}, if any. For a line from a binary file (a class file's
     * strings, say) only the rules for exact formats apply: binary content is full of runs that
     * look random and of {@code key=value} fragments, and flagging them would bury real findings.
     */
    Optional<String> detect(String line, boolean binary) {
        if (PRIVATE_KEY.matcher(line).find()) {
            return Optional.of(PRIVATE_KEY_RULE);
        }
        Matcher aws = AWS_KEY.matcher(line);
        while (aws.find()) {
            if (!aws.group().endsWith("EXAMPLE")) {
                return Optional.of(CLOUD_ACCESS_KEY_RULE);
            }
        }
        if (TOKEN.matcher(line).find()) {
            return Optional.of(TOKEN_RULE);
        }
        if (binary) {
            return Optional.empty();
        }
        Matcher config = CONFIG_SECRET.matcher(line);
        if (config.find() && !PLACEHOLDER.matcher(config.group(2)).matches() && config.group(2).length() >= 4) {
            return Optional.of(CONFIG_PASSWORD_RULE);
        }
        if (!HASH_CONTEXT.matcher(line).find()) {
            Matcher candidate = CANDIDATE.matcher(URL.matcher(line).replaceAll(" "));
            while (candidate.find()) {
                if (looksRandom(candidate.group())) {
                    return Optional.of(HIGH_ENTROPY_RULE);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean looksRandom(String s) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digit |= Character.isDigit(c);
        }
        return upper && lower && digit && classSwitches(s) >= MIN_CLASS_SWITCHES && entropy(s) >= MIN_ENTROPY && !decodesToText(s);
    }

    /** Share of adjacent pairs of characters in different classes (upper, lower, digit, other). */
    static double classSwitches(String s) {
        int switches = 0;
        for (int i = 1; i < s.length(); i++) {
            if (charClass(s.charAt(i)) != charClass(s.charAt(i - 1))) {
                switches++;
            }
        }
        return (double) switches / (s.length() - 1);
    }

    private static int charClass(char c) {
        return Character.isUpperCase(c) ? 0 : Character.isLowerCase(c) ? 1 : Character.isDigit(c) ? 2 : 3;
    }

    /** Shannon entropy of the characters of {@code s}, in bits per character. */
    static double entropy(String s) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double bits = 0;
        for (int n : counts) {
            bits += term(n, s.length());
        }
        return bits + term(other, s.length());
    }

    private static double term(int n, int total) {
        if (n == 0) {
            return 0;
        }
        double p = (double) n / total;
        return -p * Math.log(p) / Math.log(2);
    }

    /** Base64 of plain words is high in entropy but no secret: decode it and look. */
    private static boolean decodesToText(String s) {
        String unpadded = s.replace("=", "").replace('-', '+').replace('_', '/');
        if (unpadded.length() % 4 == 1) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(unpadded + "==".substring(0, (4 - unpadded.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (bytes.length == 0) {
            return false;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        long printable = text.chars().filter(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\t').count();
        return printable == text.length() && text.toLowerCase(Locale.ROOT).chars().filter(Character::isLetter).count()
                >= text.length() * 0.6;
    }
}
