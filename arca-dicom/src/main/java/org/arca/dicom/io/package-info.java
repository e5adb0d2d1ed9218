/**
 * Streaming reading and writing of datasets and Part 10 files (PS3.5 sections 7 and 10, PS3.10
 * section 7). The reader caps every length before allocating and reads bulk data through.
 */
package org.arca.dicom.io;
