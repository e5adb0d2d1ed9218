package org.arca.dicom.uid;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Storage SOP Classes of PS3.4 (Storage, Hanging Protocol, Color Palette, Implant Template
 * and similar C-STORE based services), taken from the SOP Classes of PS3.6 Table A-1 whose name
 * contains "Storage", retired ones included. Storage Commitment and the Media Storage Directory
 * (DICOMDIR) are excluded because they are not stored with C-STORE.
 */
public final class StorageSopClasses {

    private static final Set<String> ALL = collect();

    private StorageSopClasses() {
    }

    /** Returns every Storage SOP Class UID, in UID order. */
    public static Set<String> all() {
        return ALL;
    }

    /** Returns whether a SOP Class UID is a standard Storage SOP Class. */
    public static boolean isStorage(String sopClassUid) {
        return ALL.contains(sopClassUid);
    }

    private static Set<String> collect() {
        Set<String> result = new LinkedHashSet<>();
        for (UidRegistry.Entry entry : UidRegistry.entriesOfType(UidRegistry.TYPE_SOP_CLASS)) {
            String name = entry.name();
            boolean storage = name.contains("Storage")
                    && !name.contains("Storage Commitment")
                    && !entry.uid().equals(UID.MediaStorageDirectoryStorage);
            if (storage) {
                result.add(entry.uid());
            }
        }
        return Collections.unmodifiableSet(result);
    }
}
