#!/usr/bin/python3
"""Generate DICOM Part 10 test files for Arca: a CT series, one big image,
many small Basic Text SR instances, or one multiframe instance of gigabytes.

Output is deterministic for a given --seed and Python version: UIDs, names and
pixel bytes all come from random.Random(seed). Pixel data is noise, not
anatomy. Run with Debian's /usr/bin/python3 and python3-pydicom (tested with
pydicom 2.3.1). numpy is not needed.
"""

import argparse
import datetime
import math
import random
import struct
import sys
from pathlib import Path

from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
SECONDARY_CAPTURE_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7"
MULTIFRAME_GRAYSCALE_WORD_SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7.3"
BASIC_TEXT_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.11"

IMPLEMENTATION_CLASS_UID = "2.25.186646130466460129758302935711744839921"
IMPLEMENTATION_VERSION_NAME = "ARCA_TESTDATA"

# The Pixel Data length is a 32-bit field and 0xFFFFFFFF means undefined length.
MAX_PIXEL_DATA_BYTES = 0xFFFFFFFE

# Bytes generated and written at once when streaming Pixel Data.
CHUNK_BYTES = 8 * 1024 * 1024

# Clears the upper four bits of a byte: applied to the high byte of each
# little-endian 16-bit sample, it keeps the sample within 12 bits stored.
MASK_TO_12_BITS = bytes(b & 0x0F for b in range(256))

# (PatientName, PatientID, PatientSex, PatientBirthDate) for the SR studies,
# in several scripts so that character set handling gets exercised. The
# files declare Specific Character Set ISO_IR 192 (UTF-8).
SR_PATIENTS = [
    ("Müller^Jürgen", "SR-DE-1", "M", "19560312"),
    ("山田^太郎=ヤマダ^タロウ", "SR-JP-1", "M", "19720801"),
    ("Παπαδοπούλου^Μαρία", "SR-GR-1", "F", "19830117"),
    ("Иванова^Анна^Сергеевна", "SR-RU-1", "F", "19900605"),
    ("O'Brien^Siobhán", "SR-IE-1", "F", "19651130"),
]

FINDING_WORDS = (
    "no acute abnormality unremarkable mild moderate small stable lesion nodule "
    "opacity effusion consolidation fracture alignment normal limits compared "
    "prior study interval change left right upper lower lobe segment recommend "
    "follow-up clinical correlation measuring millimetres within the of and with"
).split()


class Generator:
    """Produces UIDs, names and bytes from one seeded random number generator."""

    def __init__(self, command, seed):
        # The command name is part of the seed, so that files of different commands get unrelated UIDs.
        self.rng = random.Random(f"{command}:{seed}")

    def uid(self):
        """Return a UID under the 2.25 root (ITU-T X.667): a 128-bit integer, at most 44 characters."""
        return "2.25." + str(self.rng.getrandbits(128))

    def samples_12_bit(self, byte_count):
        """Return byte_count bytes of little-endian 16-bit samples in 0..4095."""
        data = bytearray(self.rng.randbytes(byte_count))
        data[1::2] = data[1::2].translate(MASK_TO_12_BITS)
        return data

    def text(self, characters):
        words = []
        length = 0
        while length < characters:
            word = self.rng.choice(FINDING_WORDS)
            words.append(word)
            length += len(word) + 1
        return (" ".join(words))[:characters].rstrip() + "."


def file_meta(sop_class_uid, sop_instance_uid):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class_uid
    meta.MediaStorageSOPInstanceUID = sop_instance_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    return meta


def new_dataset(path, sop_class_uid, sop_instance_uid):
    """Return an empty Explicit VR Little Endian dataset with its file meta information."""
    ds = FileDataset(str(path), {}, file_meta=file_meta(sop_class_uid, sop_instance_uid), preamble=b"\0" * 128)
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = sop_class_uid
    ds.SOPInstanceUID = sop_instance_uid
    return ds


def set_patient_and_study(ds, patient, study):
    for keyword, value in {**patient, **study}.items():
        setattr(ds, keyword, value)


def set_grayscale_16_bit(ds, rows, columns, bits_stored):
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0


def pixel_data_header(length):
    """Return the Explicit VR Little Endian header of a Pixel Data (7FE0,0010) OW element."""
    if length % 2 != 0 or length > MAX_PIXEL_DATA_BYTES:
        raise ValueError(f"invalid Pixel Data length {length}: it must be even and at most {MAX_PIXEL_DATA_BYTES}")
    return struct.pack("<HH2sHI", 0x7FE0, 0x0010, b"OW", 0, length)


def write_with_streamed_pixel_data(ds, path, generator, pixel_bytes):
    """Write ds with pydicom, then append a Pixel Data element of pixel_bytes generated in chunks.

    Pixel Data is the last element of these datasets, so appending it keeps the
    dataset in ascending tag order. Memory use stays near CHUNK_BYTES.
    """
    ds.save_as(str(path), write_like_original=False)
    with open(path, "ab") as out:
        out.write(pixel_data_header(pixel_bytes))
        remaining = pixel_bytes
        while remaining > 0:
            chunk = min(CHUNK_BYTES, remaining)
            out.write(generator.samples_12_bit(chunk))
            remaining -= chunk


def new_patient(name, patient_id, sex, birth_date):
    return {
        "PatientName": name,
        "PatientID": patient_id,
        "IssuerOfPatientID": "ARCA-TEST",
        "PatientBirthDate": birth_date,
        "PatientSex": sex,
    }


def new_study(generator, study_date, description, accession_number, study_id):
    return {
        "StudyInstanceUID": generator.uid(),
        "StudyDate": study_date,
        "StudyTime": "%02d%02d%02d" % (generator.rng.randrange(7, 19), generator.rng.randrange(60), generator.rng.randrange(60)),
        "AccessionNumber": accession_number,
        "StudyID": study_id,
        "StudyDescription": description,
        "ReferringPhysicianName": "Referring^Rachel^^Dr.",
    }


def output_directory(path):
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def command_ct(args):
    generator = Generator("ct", args.seed)
    out = output_directory(args.out)
    rows = columns = args.matrix
    patient = new_patient("Test^Chest^CT", f"CT-{args.seed}", "F", "19610704")
    study = new_study(generator, "20240311", "CT THORAX WITH CONTRAST", f"ACC-CT-{args.seed}", "1")
    series_uid = generator.uid()
    frame_of_reference_uid = generator.uid()
    slice_thickness_mm = 1.0

    for number in range(1, args.slices + 1):
        path = out / f"ct_{number:05d}.dcm"
        ds = new_dataset(path, CT_IMAGE_STORAGE, generator.uid())
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        set_patient_and_study(ds, patient, study)
        ds.Modality = "CT"
        ds.Manufacturer = "Arca test data"
        ds.SeriesInstanceUID = series_uid
        ds.SeriesNumber = 2
        ds.SeriesDescription = "Thorax 1.0 mm axial"
        ds.BodyPartExamined = "CHEST"
        ds.FrameOfReferenceUID = frame_of_reference_uid
        ds.PositionReferenceIndicator = ""
        ds.InstanceNumber = number
        ds.AcquisitionNumber = 1
        ds.KVP = 120
        ds.SliceThickness = slice_thickness_mm
        z_mm = -number * slice_thickness_mm
        ds.ImagePositionPatient = [-250.0, -250.0, z_mm]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.SliceLocation = z_mm
        ds.PixelSpacing = [500.0 / rows, 500.0 / columns]
        set_grayscale_16_bit(ds, rows, columns, bits_stored=12)
        ds.RescaleIntercept = -1024
        ds.RescaleSlope = 1
        ds.RescaleType = "HU"
        ds.WindowCenter = 40
        ds.WindowWidth = 400
        write_with_streamed_pixel_data(ds, path, generator, rows * columns * 2)

    print(f"Wrote {args.slices} CT Image Storage instances of {rows}x{columns} 16-bit to {out}")
    print(f"  PatientID {patient['PatientID']}, Study {study['StudyInstanceUID']}, Series {series_uid}")


def command_big(args):
    generator = Generator("big", args.seed)
    # A square matrix of 16-bit samples close to the requested size.
    side = int(math.sqrt(args.megabytes * 1024 * 1024 / 2))
    if side < 1 or side * side * 2 > MAX_PIXEL_DATA_BYTES:
        sys.exit(f"--megabytes {args.megabytes} gives a {side}x{side} matrix of 16-bit samples, which does not fit"
                 f" in one Pixel Data element of defined length; choose a size from 0.001 to 4096")
    out = output_directory(args.out)
    patient = new_patient("Test^Big^Image", f"BIG-{args.seed}", "M", "19480229")
    study = new_study(generator, "20240402", "SCANNED FILM", f"ACC-BIG-{args.seed}", "1")
    path = out / "big.dcm"
    ds = new_dataset(path, SECONDARY_CAPTURE_IMAGE_STORAGE, generator.uid())
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["DERIVED", "SECONDARY"]
    set_patient_and_study(ds, patient, study)
    ds.Modality = "OT"
    ds.ConversionType = "DF"
    ds.SeriesInstanceUID = generator.uid()
    ds.SeriesNumber = 1
    ds.SeriesDescription = f"Single frame {side}x{side}"
    ds.InstanceNumber = 1
    ds.PatientOrientation = ""
    set_grayscale_16_bit(ds, side, side, bits_stored=12)
    write_with_streamed_pixel_data(ds, path, generator, side * side * 2)

    print(f"Wrote 1 Secondary Capture Image Storage instance of {side}x{side} 16-bit,"
          f" {path.stat().st_size} bytes, to {path}")
    print(f"  SOP Instance {ds.SOPInstanceUID}, Study {study['StudyInstanceUID']}")


def command_large(args):
    generator = Generator("large", args.seed)
    rows = columns = args.matrix
    frame_bytes = rows * columns * 2
    frames = max(1, round(args.gigabytes * 1024 ** 3 / frame_bytes))
    if frames * frame_bytes > MAX_PIXEL_DATA_BYTES:
        sys.exit(f"--gigabytes {args.gigabytes} needs {frames * frame_bytes} bytes of Pixel Data,"
                 f" more than the {MAX_PIXEL_DATA_BYTES} that a defined length allows; choose at most 3.99")
    out = output_directory(args.out)
    patient = new_patient("Test^Large^Multiframe", f"LARGE-{args.seed}", "O", "20000101")
    study = new_study(generator, "20240520", "MULTIFRAME ARCHIVE TEST", f"ACC-LARGE-{args.seed}", "1")
    path = out / "large.dcm"
    ds = new_dataset(path, MULTIFRAME_GRAYSCALE_WORD_SC_IMAGE_STORAGE, generator.uid())
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["DERIVED", "SECONDARY"]
    set_patient_and_study(ds, patient, study)
    ds.Modality = "OT"
    ds.ConversionType = "WSD"
    ds.SeriesInstanceUID = generator.uid()
    ds.SeriesNumber = 1
    ds.SeriesDescription = f"{frames} frames of {rows}x{columns}"
    ds.InstanceNumber = 1
    ds.PatientOrientation = ""
    ds.NumberOfFrames = frames
    ds.FrameTime = 33.3
    ds.add_new((0x0028, 0x0009), "AT", [(0x0018, 0x1063)])  # Frame Increment Pointer -> Frame Time
    set_grayscale_16_bit(ds, rows, columns, bits_stored=12)
    ds.RescaleIntercept = 0
    ds.RescaleSlope = 1
    write_with_streamed_pixel_data(ds, path, generator, frames * frame_bytes)

    print(f"Wrote 1 Multi-frame Grayscale Word Secondary Capture instance of {frames} frames of"
          f" {rows}x{columns} 16-bit, {path.stat().st_size} bytes, to {path}")
    print(f"  SOP Instance {ds.SOPInstanceUID}, Study {study['StudyInstanceUID']}")


def text_item(relationship, meaning_code, meaning, text):
    item = Dataset()
    item.RelationshipType = relationship
    item.ValueType = "TEXT"
    item.ConceptNameCodeSequence = Sequence([code(meaning_code, "DCM", meaning)])
    item.TextValue = text
    return item


def code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def basic_text_sr(generator, path, patient, study, series_uid, number, text_bytes):
    ds = new_dataset(path, BASIC_TEXT_SR_STORAGE, generator.uid())
    ds.SpecificCharacterSet = "ISO_IR 192"
    set_patient_and_study(ds, patient, study)
    ds.Modality = "SR"
    ds.Manufacturer = "Arca test data"
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = 1
    ds.SeriesDescription = "Reports"
    ds.InstanceNumber = number
    ds.ContentDate = study["StudyDate"]
    ds.ContentTime = study["StudyTime"]
    ds.ReferencedPerformedProcedureStepSequence = Sequence()
    ds.PerformedProcedureCodeSequence = Sequence()
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "UNVERIFIED"
    ds.ValueType = "CONTAINER"
    ds.ContinuityOfContent = "SEPARATE"
    ds.ConceptNameCodeSequence = Sequence([code("18748-4", "LN", "Diagnostic Imaging Report")])
    findings = [text_item("CONTAINS", "121071", "Finding", generator.text(1000))
                for _ in range(max(1, text_bytes // 1000 - 1))]
    impression = text_item("CONTAINS", "121073", "Impression", generator.text(300))
    ds.ContentSequence = Sequence(findings + [impression])
    ds.save_as(str(path), write_like_original=False)


def command_sr(args):
    generator = Generator("sr", args.seed)
    out = output_directory(args.out)
    study_count = min(len(SR_PATIENTS), max(1, math.ceil(args.count / args.per_study)))
    studies = []
    for index in range(study_count):
        name, patient_id, sex, birth_date = SR_PATIENTS[index]
        patient = new_patient(name, patient_id, sex, birth_date)
        study_date = (datetime.date(2024, 1, 8) + datetime.timedelta(days=7 * index)).strftime("%Y%m%d")
        study = new_study(generator, study_date, "Report archive test", f"ACC-SR-{args.seed}-{index + 1}",
                          str(index + 1))
        studies.append((patient, study, generator.uid()))

    # Instances go to the studies in turn, so every study gets about count / study_count of them.
    for number in range(1, args.count + 1):
        patient, study, series_uid = studies[(number - 1) % study_count]
        basic_text_sr(generator, out / f"sr_{number:05d}.dcm", patient, study, series_uid,
                      (number - 1) // study_count + 1, args.text_bytes)

    print(f"Wrote {args.count} Basic Text SR instances in {study_count} studies to {out}")
    for patient, study, series_uid in studies:
        print(f"  {patient['PatientName']} ({patient['PatientID']}): Study {study['StudyInstanceUID']},"
              f" Series {series_uid}")


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {text}: expected an integer of at least 1")
    return value


def positive_float(text):
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"invalid value {text}: expected a number greater than 0")
    return value


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name, function, help_text):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--out", required=True, help="output directory, created when missing")
        sub.add_argument("--seed", type=int, default=1, help="seed of UIDs, names and pixel bytes (default 1)")
        sub.set_defaults(function=function)
        return sub

    ct = command("ct", command_ct, "one CT study: one series of axial CT Image Storage instances")
    ct.add_argument("--slices", type=positive_int, default=300, help="number of instances (default 300)")
    ct.add_argument("--matrix", type=positive_int, default=512, help="Rows and Columns (default 512)")

    big = command("big", command_big, "one single-frame Secondary Capture instance of a given size")
    big.add_argument("--megabytes", type=positive_float, default=60, help="Pixel Data size in MiB (default 60)")

    sr = command("sr", command_sr, "many small Basic Text SR instances in a few studies")
    sr.add_argument("--count", type=positive_int, default=2000, help="number of instances (default 2000)")
    sr.add_argument("--per-study", type=positive_int, default=500,
                    help="instances per study; at most 5 studies are made (default 500)")
    sr.add_argument("--text-bytes", type=positive_int, default=9000,
                    help="approximate report text per instance in bytes (default 9000, about 10 KB files)")

    large = command("large", command_large, "one Multi-frame Grayscale Word SC instance written streaming")
    large.add_argument("--gigabytes", type=positive_float, default=2, help="Pixel Data size in GiB (default 2)")
    large.add_argument("--matrix", type=positive_int, default=512, help="Rows and Columns of a frame (default 512)")

    return parser.parse_args(argv)


def main(argv):
    args = parse_arguments(argv)
    args.function(args)


if __name__ == "__main__":
    main(sys.argv[1:])
