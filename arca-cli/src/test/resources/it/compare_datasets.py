#!/usr/bin/python3
"""Compares the datasets of DICOM files sent to Arca with the files Arca exported.

Usage: compare_datasets.py SENT EXPORTED
SENT and EXPORTED are files or directories (searched recursively). Files are paired by
SOP Instance UID. Every sent file must have an exported counterpart with the same
SOP Instance UID, the same transfer syntax and an equal dataset (everything after
the file meta information, element by element, including sequences and private
elements). Two kinds of elements are left out of the comparison, because dcmtk's
storescu drops or recomputes them when it sends a file, so Arca never receives them
as they are in the file: group lengths (gggg,0000), retired in the standard, and
Data Set Trailing Padding (FFFC,FFFC), which PS3.10 lets an application remove.
storescu also sends encapsulated Pixel Data with VR OB, as PS3.5 requires, where a file
has OW; such an element is compared by its value alone. Several sent files may share a SOP Instance UID, because Arca keeps each
different one as a new version and exports them all with --all-versions. Prints one line per problem and a summary; exits 1 on any problem.
"""
import os
import sys

import pydicom


def dicom_files(path):
    if os.path.isfile(path):
        yield path
        return
    for directory, _, names in os.walk(path):
        for name in sorted(names):
            yield os.path.join(directory, name)


def by_sop_instance_uid(path):
    files = {}
    for file_path in dicom_files(path):
        dataset = pydicom.dcmread(file_path, force=True)
        files.setdefault(str(dataset.SOPInstanceUID), []).append((file_path, dataset))
    return files


def transfer_syntax(dataset):
    meta = getattr(dataset, "file_meta", None)
    return str(meta.TransferSyntaxUID) if meta is not None and "TransferSyntaxUID" in meta else None


TRAILING_PADDING = 0xFFFCFFFC


def compared_tags(dataset):
    return {tag for tag in dataset.keys() if tag.element != 0x0000 and tag != TRAILING_PADDING}


def elements_equal(sent, exported):
    if sent.VR == "SQ" and exported.VR == "SQ":
        return len(sent.value) == len(exported.value) and all(
            not differing_tags(a, b) for a, b in zip(sent.value, exported.value))
    if sent.VR in ("OB", "OW") and exported.VR in ("OB", "OW") and sent.is_undefined_length:
        return exported.is_undefined_length and sent.value == exported.value
    return sent == exported


def differing_tags(sent, exported):
    sent_tags = compared_tags(sent)
    exported_tags = compared_tags(exported)
    differing = sent_tags ^ exported_tags
    for tag in sent_tags & exported_tags:
        if not elements_equal(sent[tag], exported[tag]):
            differing.add(tag)
    return sorted(differing)


def find_counterpart(sent_dataset, candidates):
    """Returns the exported (path, dataset) equal to the sent one, or the closest for the report."""
    sent_ts = transfer_syntax(sent_dataset)
    for exported_path, exported_dataset in candidates:
        same_ts = sent_ts is None or sent_ts == transfer_syntax(exported_dataset)
        if same_ts and not differing_tags(sent_dataset, exported_dataset):
            return exported_path, exported_dataset, True
    exported_path, exported_dataset = candidates[0]
    return exported_path, exported_dataset, False


def main():
    sent = by_sop_instance_uid(sys.argv[1])
    exported = by_sop_instance_uid(sys.argv[2])
    problems = 0
    sent_count = 0
    for uid, sent_files in sorted(sent.items()):
        for sent_path, sent_dataset in sent_files:
            sent_count += 1
            if uid not in exported:
                print(f"MISSING {uid} sent from {sent_path} is not among the exported files")
                problems += 1
                continue
            exported_path, exported_dataset, equal = find_counterpart(sent_dataset, exported[uid])
            if not equal:
                tags = differing_tags(sent_dataset, exported_dataset)
                print(f"DIFFERENT {uid}: {sent_path} has no equal exported file; closest {exported_path} "
                      f"(transfer syntax {transfer_syntax(exported_dataset)} against {transfer_syntax(sent_dataset)}) "
                      f"differs in {tags[:10]}")
                problems += 1
    exported_count = sum(len(files) for files in exported.values())
    print(f"compared {sent_count} sent files with {exported_count} exported files: {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
