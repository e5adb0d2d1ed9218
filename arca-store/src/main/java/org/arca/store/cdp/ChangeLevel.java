package org.arca.store.cdp;

/** The level of the DICOM hierarchy that a delete or undelete names. */
public enum ChangeLevel {
    STUDY,
    SERIES,
    INSTANCE
}
