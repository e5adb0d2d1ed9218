#!/usr/bin/python3
"""Write the small archive and the query files of FindInteropTest.

Usage: find_data.py OUT_DIR

OUT_DIR/archive/ gets one Secondary Capture file per instance, without pixel
data, with the patients, studies and series that the test queries for.
OUT_DIR/queries/ gets C-FIND identifiers in other character sets than
UTF-8, which findscu sends as they are.
"""

import sys
from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
ROOT = "2.25.4711"

# (PatientID, PatientName, StudyUID suffix, StudyDate, StudyTime, AccessionNumber, [(series suffix, modality, instances)])
STUDIES = [
    ("FIND-1", "Doe^Jane", "1", "20240115", "101500", "ACC-1", [("1", "CT", 2), ("2", "MR", 1)]),
    ("FIND-1", "Doe^Jane", "2", "20240301", "143000", "ACC-2", [("1", "CR", 1)]),
    ("FIND-2", "Smith^John", "3", "20231231", "080000", "ACC_%3", [("1", "CT", 1)]),
]


def write_instance(out, patient_id, name, study, date, time, accession, series, modality, number):
    sop_uid = f"{ROOT}.{study}.{series}.{number}"
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SECONDARY_CAPTURE
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.SOPInstanceUID = sop_uid
    ds.StudyDate = date
    ds.StudyTime = time
    ds.AccessionNumber = accession
    ds.Modality = modality
    ds.ReferringPhysicianName = "House^Gregory"
    ds.StudyDescription = "Find test"
    ds.PatientName = name
    ds.PatientID = patient_id
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "O"
    ds.StudyInstanceUID = f"{ROOT}.{study}"
    ds.SeriesInstanceUID = f"{ROOT}.{study}.{series}"
    ds.StudyID = study
    ds.SeriesNumber = series
    ds.InstanceNumber = number
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(out / f"{study}-{series}-{number}.dcm", write_like_original=False)


def write_query(path, character_set, **keys):
    ds = Dataset()
    ds.SpecificCharacterSet = character_set
    ds.QueryRetrieveLevel = "STUDY"
    ds.StudyInstanceUID = ""
    ds.PatientID = ""
    for keyword, value in keys.items():
        setattr(ds, keyword, value)
    ds.is_little_endian = True
    ds.is_implicit_VR = True
    ds.save_as(path, write_like_original=True)


def main():
    out = Path(sys.argv[1])
    archive = out / "archive"
    queries = out / "queries"
    archive.mkdir(parents=True, exist_ok=True)
    queries.mkdir(parents=True, exist_ok=True)
    for patient_id, name, study, date, time, accession, series_list in STUDIES:
        for series, modality, count in series_list:
            for number in range(1, count + 1):
                write_instance(archive, patient_id, name, study, date, time, accession, series, modality, number)

    write_query(queries / "latin1-french.dcm", "ISO_IR 100", PatientName="buc^jérôme")
    write_query(queries / "cyrillic-russian.dcm", "ISO_IR 144", PatientName="Люкceмбypг")
    write_query(queries / "jis-japanese.dcm", ["", "ISO 2022 IR 87"], PatientName="山田^太郎")
    write_query(queries / "greek-wildcard.dcm", "ISO_IR 126", PatientName="Διον*")


if __name__ == "__main__":
    main()
