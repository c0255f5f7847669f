package dev.grace.runtime.extension;

import java.net.URI;

/** What the admin server extension offers: where it serves. */
public interface AdminService {

    /** For example {@code http://127.0.0.1:8470/}. */
    URI endpoint();
}
