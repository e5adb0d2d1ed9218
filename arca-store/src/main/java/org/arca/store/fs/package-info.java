/**
 * The file layer of the store and its durability helpers: {@link org.arca.store.fs.FileLayer},
 * through which the blob store and the journal do every write, fsync, rename and delete (tests
 * substitute a layer that records operations for power-loss replay or injects I/O errors); fsync of
 * files and directories, atomic publication of files; and the classification of I/O failures into
 * {@link org.arca.store.StorageException}s.
 */
package org.arca.store.fs;
