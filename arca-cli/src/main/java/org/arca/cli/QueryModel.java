package org.arca.cli;

import org.arca.dicom.uid.UID;

/** The Query/Retrieve Information Model of PS3.4 Annex C: its SOP classes for C-FIND, C-MOVE and C-GET. */
enum QueryModel {
    STUDY(UID.StudyRootQueryRetrieveInformationModelFind, UID.StudyRootQueryRetrieveInformationModelMove,
            UID.StudyRootQueryRetrieveInformationModelGet),
    PATIENT(UID.PatientRootQueryRetrieveInformationModelFind, UID.PatientRootQueryRetrieveInformationModelMove,
            UID.PatientRootQueryRetrieveInformationModelGet);

    final String find;
    final String move;
    final String get;

    QueryModel(String find, String move, String get) {
        this.find = find;
        this.move = move;
        this.get = get;
    }
}
