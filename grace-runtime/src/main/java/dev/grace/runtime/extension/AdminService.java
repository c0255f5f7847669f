package dev.grace.runtime.extension;

import java.net.URI;
import java.util.Optional;

/** What the admin server extension offers: where it serves. */
public interface AdminService {

    /** For example {@code http://127.0.0.1:8470/}; empty once the server has stopped. */
    Optional<URI> endpoint();
}
