package org.arca.dicom.data;

/**
 * One data element of the PS3.6 dictionary.
 *
 * @param vr the VR to use when the transfer syntax does not carry one (the first of PS3.6's alternatives)
 * @param vrAlternatives all VRs PS3.6 allows, joined by "|" (for example "US|SS")
 * @param vm the Value Multiplicity as PS3.6 writes it (for example "1-n")
 * @param keyword the PS3.6 keyword
 * @param retired whether PS3.6 marks the element retired
 */
public record DictionaryEntry(VR vr, String vrAlternatives, String vm, String keyword, boolean retired) {
}
