/**
 * Durability helpers: fsync of files and directories, atomic publication of files, and the
 * classification of I/O failures into {@link org.arca.store.StorageException}s.
 */
package org.arca.store.fs;
