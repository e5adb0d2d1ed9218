package org.arca.dicom.uid;

/** Validation of UID values against PS3.5 section 9.1. */
public final class Uids {

    /** Maximum length of a UID in characters (PS3.5 section 9.1). */
    public static final int MAX_LENGTH = 64;

    private Uids() {
    }

    /** Returns whether a UID is valid: 1-64 characters, digits and dots, no empty component, no leading zero. */
    public static boolean isValid(String uid) {
        return validationError(uid) == null;
    }

    /** Returns a message naming the first problem of a UID, or {@code null} when the UID is valid. */
    public static String validationError(String uid) {
        if (uid == null || uid.isEmpty()) {
            return "UID is empty; a UID has 1 to 64 characters.";
        }
        if (uid.length() > MAX_LENGTH) {
            return "UID '" + uid + "' has " + uid.length() + " characters, more than the maximum of 64.";
        }
        int componentStart = 0;
        for (int i = 0; i <= uid.length(); i++) {
            if (i == uid.length() || uid.charAt(i) == '.') {
                String error = componentError(uid, componentStart, i);
                if (error != null) {
                    return error;
                }
                componentStart = i + 1;
            } else if (uid.charAt(i) < '0' || uid.charAt(i) > '9') {
                return "UID '" + uid + "' contains the invalid character '" + uid.charAt(i) + "' at index " + i
                        + "; only digits and dots are allowed.";
            }
        }
        return null;
    }

    private static String componentError(String uid, int start, int end) {
        if (start == end) {
            return "UID '" + uid + "' has an empty component at index " + start + ".";
        }
        if (end - start > 1 && uid.charAt(start) == '0') {
            return "UID '" + uid + "' has a component with a leading zero at index " + start + ".";
        }
        return null;
    }
}
