package org.arca.dicom.pdu;

/** The asynchronous operations window sub-item (PS3.7 section D.3.3.3); 0 means unlimited. */
public record AsyncOperationsWindow(int maxOperationsInvoked, int maxOperationsPerformed) {
}
