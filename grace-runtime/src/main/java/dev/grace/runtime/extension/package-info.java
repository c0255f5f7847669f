/**
 * The extension SPI: how the store, cognition, the admin server and a host's own code attach to the
 * runtime core. An extension implements {@link dev.grace.runtime.extension.RuntimeExtension}; the
 * runtime hands it an {@link dev.grace.runtime.extension.ExtensionContext}. The service interfaces
 * here are what extensions offer each other and the core, so the core never depends on a database
 * or an HTTP server.
 */
package dev.grace.runtime.extension;
