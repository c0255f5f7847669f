package dev.grace.admin.internal;

import dev.grace.runtime.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The bearer token every POST must carry: {@code http.token} when configured, else the file
 * {@code <dataDir>/admin-token}, written on first start with 256 random bits, readable by its owner
 * only (mode 600).
 */
final class AdminToken {

    static final String FILE = "admin-token";

    private final byte[] digest;

    private AdminToken(String token) {
        this.digest = sha256(token);
    }

    /** The configured token, or the data directory's, written first when absent. */
    static AdminToken resolve(String configured, Path dataDir) {
        if (configured != null) {
            return new AdminToken(configured);
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                write(file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new ConfigException(file.toString(), "http.token", file + ": the admin token file is empty;"
                        + " delete it to have a new token written, or set http.token");
            }
            return new AdminToken(token);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "http.token", file + ": cannot read or write the admin token ("
                    + e.getMessage() + "); set http.token or make the data directory writable");
        }
    }

    private static void write(Path file) throws IOException {
        byte[] random = new byte[32]; // a secret, not a measurement: 256 bits from the OS's CSPRNG
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.getParent());
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
                Files.createFile(file, PosixFilePermissions.asFileAttribute(owner));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            return; // another process wrote it first: use theirs
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Whether an {@code Authorization} header carries this token. Compares SHA-256 digests with
     * {@link MessageDigest#isEqual}, which takes the same time whatever matches, and hides the
     * token's length.
     */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
