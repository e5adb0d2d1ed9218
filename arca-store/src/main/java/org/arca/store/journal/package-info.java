/**
 * The journal: the segmented, append-only, CRC-protected and hash-chained record of every change
 * to the archive. The index is derived from it; see {@link org.arca.store.journal.Journal}.
 */
package org.arca.store.journal;
