/** Specific Character Set (0008,0005) decoding and encoding, including ISO 2022 code extensions. */
package org.arca.dicom.charset;
