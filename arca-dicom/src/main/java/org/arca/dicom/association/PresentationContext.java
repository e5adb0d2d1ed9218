package org.arca.dicom.association;

/** An accepted presentation context: its ID, abstract syntax (SOP class) and transfer syntax. */
public record PresentationContext(int id, String abstractSyntax, String transferSyntax) {
}
