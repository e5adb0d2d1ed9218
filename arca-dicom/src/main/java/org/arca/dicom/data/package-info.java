/**
 * Datasets and their parts: {@link org.arca.dicom.data.Attributes}, sequences, fragments, bulk
 * data references, the VRs of PS3.5 and the data dictionary of PS3.6.
 */
package org.arca.dicom.data;
