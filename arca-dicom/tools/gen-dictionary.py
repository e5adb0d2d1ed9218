#!/usr/bin/env python3
"""Generate Arca's data element dictionary from dcmtk's dicom.dic.

Source: /usr/share/libdcmtk17/dicom.dic of dcmtk 3.6.7 (Debian package
libdcmtk17), which its header says was generated from DICOM PS3.6-2022b and
PS3.7-2022b.

Outputs (both committed):
  src/main/resources/org/arca/dicom/data/dictionary.tsv
  src/main/java/org/arca/dicom/data/Tag.java

Run from the arca-dicom directory:  python3 tools/gen-dictionary.py
"""
import re
import sys

SOURCE = "/usr/share/libdcmtk17/dicom.dic"
TSV = "src/main/resources/org/arca/dicom/data/dictionary.tsv"
TAG_JAVA = "src/main/java/org/arca/dicom/data/Tag.java"

# dcmtk uses lower-case pseudo VRs where PS3.6 lists alternatives.
PSEUDO_VR = {
    "ox": "OW|OB",  # OB or OW
    "px": "OW|OB",  # Pixel Data: OB or OW
    "xs": "US|SS",  # US or SS
    "lt": "OW|US|SS",  # US or SS or OW (LUT Data)
    "up": "UL",  # unsigned 32-bit offset
}

TAG_RE = re.compile(r"^\(([0-9A-F]{4})(?:-([0-9A-F]{4}))?,([0-9A-F]{4})(?:-([0-9A-F]{4}))?\)$")


def mask(start, end):
    """Return the 4-character tag part, with 'xx' for a 00-FF range of the low byte."""
    if end is None:
        return start
    if start[2:] == "00" and end[2:] == "FF" and start[:2] == end[:2]:
        return start[:2] + "xx"
    raise ValueError("unsupported range %s-%s" % (start, end))


def parse(lines):
    entries = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        tag, vr, keyword, vm, version = line.rstrip("\n").split("\t")
        if version in ("PRIVATE", "ILLEGAL", "GENERIC"):
            continue  # group length and private creator rules live in ElementDictionary
        if vr == "na":
            continue  # item and delimitation tags have no VR
        m = TAG_RE.match(tag)
        if not m:
            raise ValueError("unparsed tag " + tag)
        group = mask(m.group(1), m.group(2))
        element = mask(m.group(3), m.group(4))
        retired = keyword.startswith("RETIRED_")
        if retired:
            keyword = keyword[len("RETIRED_"):]
        entries.append((group + element, PSEUDO_VR.get(vr, vr), vm, keyword, retired))
    return entries


def write_tsv(entries, header):
    with open(TSV, "w") as out:
        out.write("# Arca data element dictionary, format version 1.\n")
        out.write(header)
        out.write("# Columns: tag (x = any hex digit), VR (alternatives joined by |), VM, keyword, retired (1/0)\n")
        for tag, vr, vm, keyword, retired in entries:
            out.write("%s\t%s\t%s\t%s\t%d\n" % (tag, vr, vm, keyword, 1 if retired else 0))


def write_tag_java(entries, header):
    seen = set()
    lines = []
    for tag, vr, vm, keyword, retired in entries:
        if keyword in seen:
            continue
        seen.add(keyword)
        value = tag.replace("x", "0")
        note = " (repeating group, xx = 00)" if "x" in tag else ""
        lines.append("    /** (%s,%s) %s %s%s%s */\n" % (
            tag[:4], tag[4:], vr, vm, " retired" if retired else "", note))
        lines.append("    public static final int %s = 0x%s;\n" % (keyword, value))
    with open(TAG_JAVA, "w") as out:
        out.write("package org.arca.dicom.data;\n\n")
        out.write("/**\n * Data element tags by PS3.6 keyword, plus tag helpers.\n *\n")
        for h in header.splitlines():
            out.write(" * " + h.lstrip("# ") + "\n")
        out.write(" * Do not edit: change and rerun tools/gen-dictionary.py instead.\n */\n")
        out.write("public final class Tag {\n\n")
        out.write("    private Tag() {\n    }\n\n")
        out.write(HELPERS)
        out.writelines(lines)
        out.write("}\n")


HELPERS = """    /** Item (FFFE,E000). */
    public static final int Item = 0xFFFEE000;
    /** Item Delimitation Item (FFFE,E00D). */
    public static final int ItemDelimitationItem = 0xFFFEE00D;
    /** Sequence Delimitation Item (FFFE,E0DD). */
    public static final int SequenceDelimitationItem = 0xFFFEE0DD;

    /** Returns the group number (upper 16 bits) of a tag. */
    public static int group(int tag) {
        return tag >>> 16;
    }

    /** Returns the element number (lower 16 bits) of a tag. */
    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** Returns a tag from its group and element numbers. */
    public static int of(int group, int element) {
        return (group << 16) | (element & 0xFFFF);
    }

    /** Formats a tag as "(gggg,eeee)" in upper-case hex, as PS3.6 prints it. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", group(tag), element(tag));
    }

    /** Returns whether the tag is in an odd (private) group; groups 0001, 0003, 0005 and 0007 are not private but illegal. */
    public static boolean isPrivate(int tag) {
        int group = group(tag);
        return (group & 1) == 1 && group > 0x0007 && group != 0xFFFF;
    }

    /** Returns whether the tag is a Private Creator Data Element (gggg,0010-00FF) in a private group. */
    public static boolean isPrivateCreator(int tag) {
        int element = element(tag);
        return isPrivate(tag) && element >= 0x0010 && element <= 0x00FF;
    }

    /** Returns whether the tag is a group length element (gggg,0000). */
    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

"""


def main():
    with open(SOURCE, encoding="latin-1") as f:
        lines = f.readlines()
    generated = [l for l in lines if l.startswith("# Generated automatically")]
    header = ("# Generated by tools/gen-dictionary.py from %s (dcmtk 3.6.7).\n" % SOURCE
              + "# dcmtk states: %s\n" % generated[0][2:].strip())
    entries = parse(lines)
    write_tsv(entries, header)
    write_tag_java(entries, header)
    print("wrote %d entries" % len(entries), file=sys.stderr)


if __name__ == "__main__":
    main()
