#!/usr/bin/python3
"""Writes C-FIND query identifiers for each character set file of pydicom's test data.

Usage: charset_queries.py CHARSET_DIR OUT_DIR
For each file with a PatientName and a PatientID, writes OUT_DIR/NAME-own.dcm (a STUDY-level
query for the exact Patient's Name, encoded in the file's own Specific Character Set),
OUT_DIR/NAME-utf8.dcm (the same name in ISO_IR 192), both bare datasets in implicit VR little endian as findscu
reads them, and OUT_DIR/NAME.id (the expected
PatientID). Files whose name pydicom cannot encode back in their own character set get
only the UTF-8 query, and their names are printed.
"""
import os
import sys

import pydicom
from pydicom.dataset import Dataset


def query(character_set, patient_name):
    dataset = Dataset()
    dataset.SpecificCharacterSet = character_set
    dataset.QueryRetrieveLevel = "STUDY"
    dataset.PatientName = patient_name
    dataset.PatientID = ""
    dataset.StudyInstanceUID = ""
    dataset.is_little_endian = True
    dataset.is_implicit_VR = True
    return dataset


def main():
    source, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(source)):
        if not name.endswith(".dcm") or name.startswith("chrSQEncoding"):
            continue
        stored = pydicom.dcmread(os.path.join(source, name))
        if "PatientName" not in stored or "PatientID" not in stored or not str(stored.PatientName):
            continue
        stem = name[:-4]
        with open(os.path.join(out, stem + ".id"), "w") as expected:
            expected.write(str(stored.PatientID))
        character_set = stored.get("SpecificCharacterSet", "ISO_IR 6")
        try:
            query(character_set, stored.PatientName).save_as(os.path.join(out, stem + "-own.dcm"),
                                                            write_like_original=True)
        except (ValueError, LookupError, UnicodeError) as error:
            print(f"{name}: cannot encode in {character_set}: {error}")
        query("ISO_IR 192", str(stored.PatientName)).save_as(os.path.join(out, stem + "-utf8.dcm"),
                                                           write_like_original=True)


if __name__ == "__main__":
    sys.exit(main())
