package org.arca.dicom.uid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of DICOM UIDs of PS3.6 Table A-1, loaded from {@code uids.tsv} which
 * tools/gen-uids.py generates. Thread-safe: immutable once loaded.
 */
public final class UidRegistry {

    /** Type of a transfer syntax UID, as Table A-1 names it. */
    public static final String TYPE_TRANSFER_SYNTAX = "Transfer Syntax";
    /** Type of a SOP Class UID, as Table A-1 names it. */
    public static final String TYPE_SOP_CLASS = "SOP Class";

    /**
     * One row of Table A-1.
     *
     * @param type the UID type, for example "Transfer Syntax" or "SOP Class"
     */
    public record Entry(String uid, String type, String name, String keyword, boolean retired) {
    }

    private static final String RESOURCE = "uids.tsv";
    private static final Map<String, Entry> BY_UID = load();

    private UidRegistry() {
    }

    /** Returns the registry entry of a UID, or {@code null} when Table A-1 does not list it. */
    public static Entry lookup(String uid) {
        return BY_UID.get(uid);
    }

    /** Returns the name of a UID, or the UID itself when Table A-1 does not list it. */
    public static String nameOf(String uid) {
        Entry entry = BY_UID.get(uid);
        return entry != null ? entry.name() : uid;
    }

    /** Returns every entry of one type, in UID order. */
    public static List<Entry> entriesOfType(String type) {
        List<Entry> result = new ArrayList<>();
        for (Entry entry : BY_UID.values()) {
            if (entry.type().equals(type)) {
                result.add(entry);
            }
        }
        return Collections.unmodifiableList(result);
    }

    private static Map<String, Entry> load() {
        Map<String, Entry> map = new LinkedHashMap<>();
        try (InputStream in = UidRegistry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + RESOURCE + " is missing from the arca-dicom jar; rebuild it.");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                map.put(f[0], new Entry(f[0], f[1], f[2], f[3], "1".equals(f[4])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the UID registry resource " + RESOURCE, e);
        }
        return Collections.unmodifiableMap(map);
    }
}
