/** DICOM UIDs of PS3.6 Table A-1, transfer syntaxes, Storage SOP Classes and UID validation. */
package org.arca.dicom.uid;
