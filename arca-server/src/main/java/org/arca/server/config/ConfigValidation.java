package org.arca.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arca.store.retention.RetentionPolicy;

/** Checks an effective configuration, naming the key, the bad value and the fix. */
public final class ConfigValidation {

    /** AE titles: PS3.5 VR AE allows at most 16 characters of the default repertoire, no backslash. */
    private static final int MAX_AE_TITLE_LENGTH = 16;
    /** PS3.8 requires a maximum PDU length of at least 4096 bytes when it is not unlimited. */
    private static final int MIN_PDU_LENGTH = 4096;

    private ConfigValidation() {
    }

    static void validate(ArcaConfig config) throws ConfigException {
        if (config.dataDirectory().toString().isBlank()) {
            throw ConfigException.atKey("dataDirectory",
                    "dataDirectory (--data) is empty; name the data directory, such as "
                    + "/var/lib/arca, or leave the key out for ./arca-data.");
        }
        checkAeTitle("dicom.aeTitle (--ae-title)", config.dicom().aeTitle());
        for (String allowed : config.dicom().allowedCallingAeTitles()) {
            checkAeTitle("dicom.allowedCallingAeTitles (--allow-calling-ae)", allowed);
        }
        checkPort("dicom.port (--dicom-port)", config.dicom().port());
        checkPort("http.port (--http-port)", config.http().port());
        checkPort("admin.port (--admin-port)", config.admin().port());
        checkLoopback("admin.bindAddress", config.admin().bindAddress());
        checkDistinctPorts(config);
        checkAtLeast("dicom.maxAssociations", config.dicom().maxAssociations(), 1);
        checkAtLeast("dicom.maxPduLength", config.dicom().maxPduLength(), MIN_PDU_LENGTH);
        checkAtLeast("dicom.artimTimeoutMs", config.dicom().artimTimeoutMs(), 1);
        checkAtLeast("dicom.idleTimeoutMs", config.dicom().idleTimeoutMs(), 0);
        checkAtLeast("shutdownDrainSeconds", config.shutdownDrainSeconds(), 0);
        checkMoveDestinations(config.dicom().moveDestinations());
        checkAtLeast("reconcile.intervalHours", config.reconcile().intervalHours(), 0);
        checkAtLeast("reconcile.quarantineGraceDays", config.reconcile().quarantineGraceDays(), 0);
        checkRetention(config.retention());
    }

    private static void checkRetention(ArcaConfig.Retention retention) throws ConfigException {
        int windowDays = retention.cdpWindowDays();
        if (windowDays < 1 || windowDays > RetentionPolicy.MAX_CDP_WINDOW_DAYS) {
            throw ConfigException.atKey("retention.cdpWindowDays",
                    "retention.cdpWindowDays " + windowDays + " is out of range; use 1 to "
                    + RetentionPolicy.MAX_CDP_WINDOW_DAYS + " days (default " + RetentionPolicy.DEFAULT_CDP_WINDOW_DAYS
                    + "). Deleted instances can be undeleted for this many days; their bytes are reclaimed after.");
        }
        checkAtLeast("retention.runIntervalMinutes", retention.runIntervalMinutes(), 1);
        checkAtLeast("retention.checkpointIntervalHours", retention.checkpointIntervalHours(), 1);
    }

    private static void checkMoveDestinations(List<ArcaConfig.MoveDestination> destinations) throws ConfigException {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < destinations.size(); i++) {
            String key = "dicom.moveDestinations[" + i + "]";
            ArcaConfig.MoveDestination destination = destinations.get(i);
            if (destination == null) {
                throw new ConfigException(key + " is empty; give aeTitle, host and port.");
            }
            checkAeTitle(key + ".aeTitle", destination.aeTitle());
            if (!seen.add(destination.aeTitle().strip())) {
                throw ConfigException.atKey(key + ".aeTitle",
                        key + ".aeTitle '" + destination.aeTitle() + "' is listed twice; "
                        + "give each move destination once.");
            }
            if (destination.host() == null || destination.host().isBlank()) {
                throw ConfigException.atKey(key + ".host",
                        key + ".host is missing; give the host name or IP address of the "
                        + "Storage SCP of " + destination.aeTitle().strip() + ".");
            }
            if (destination.port() == null || destination.port() < 1 || destination.port() > 65_535) {
                throw ConfigException.atKey(key + ".port",
                        key + ".port " + destination.port() + " is not a TCP port; use 1 to 65535.");
            }
        }
    }

    static void checkAeTitle(String key, String value) throws ConfigException {
        String trimmed = value == null ? "" : value.strip();
        boolean validCharacters = trimmed.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\');
        if (trimmed.isEmpty() || trimmed.length() > MAX_AE_TITLE_LENGTH || !validCharacters) {
            throw ConfigException.atKey(key,
                    key + " '" + value + "' is not a valid AE title; use 1 to 16 printable ASCII "
                    + "characters without a backslash, such as ARCA.");
        }
    }

    /** Rejects two listeners on one fixed port, which would otherwise fail after the warm-up as "in use". */
    private static void checkDistinctPorts(ArcaConfig config) throws ConfigException {
        int dicom = config.dicom().port();
        int http = config.http().port();
        int admin = config.admin().port();
        if (dicom != 0 && dicom == http) {
            throw samePort("dicom.port (--dicom-port)", "http.port (--http-port)", dicom);
        }
        if (admin != 0 && (admin == dicom || admin == http)) {
            throw samePort("admin.port (--admin-port)", admin == dicom ? "dicom.port (--dicom-port)"
                    : "http.port (--http-port)", admin);
        }
    }

    private static ConfigException samePort(String key, String otherKey, int port) {
        return ConfigException.atKey(key,
                key + " and " + otherKey + " are both " + port + "; each listener needs its own "
                + "port, so change one of them.");
    }

    private static void checkPort(String key, int value) throws ConfigException {
        if (value < 0 || value > 65_535) {
            throw ConfigException.atKey(key,
                    key + " " + value + " is not a TCP port; use 1 to 65535, or 0 for any free port.");
        }
    }

    /**
     * Rejects an address that is not loopback. A host name is resolved here, so "localhost"
     * passes where it resolves to 127.0.0.1 or ::1.
     */
    public static void checkLoopback(String key, String value) throws ConfigException {
        String fix = "; the admin API listens on loopback only, so use 127.0.0.1 or ::1.";
        if (value == null || value.isBlank()) {
            throw ConfigException.atKey(key, key + " is empty" + fix);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(value.strip());
        } catch (UnknownHostException e) {
            throw new ConfigException(key + " '" + value + "' is not a known host or IP address" + fix, e);
        }
        if (!address.isLoopbackAddress()) {
            throw ConfigException.atKey(key, key + " '" + value + "' is not a loopback address" + fix);
        }
    }

    private static void checkAtLeast(String key, int value, int minimum) throws ConfigException {
        if (value < minimum) {
            throw ConfigException.atKey(key, key + " " + value + " is too small; use at least " + minimum + ".");
        }
    }
}
