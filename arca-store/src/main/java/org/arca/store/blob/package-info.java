/**
 * The content-addressed blob store: immutable files named by the SHA-256 of their bytes.
 */
package org.arca.store.blob;
