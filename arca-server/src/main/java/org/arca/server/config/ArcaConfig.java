package org.arca.server.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.arca.store.retention.RetentionPolicy;

/**
 * The configuration of one Arca node, as read from YAML and overridden by command-line options.
 * Every field has an embedded default, so an empty file (or none) starts a working node.
 *
 * @param dataDirectory where blobs, the journal and the index live
 * @param dicom the DICOM listener
 * @param http the HTTP listener (health now; DICOMweb and admin later)
 * @param shutdownDrainSeconds how long a stop waits for open associations to finish
 * @param admin the admin API listener, which listens on loopback only
 * @param reconcile the scheduled reconciliation of journal, index and blob store
 * @param retention the CDP window and the schedule of retention runs
 * @param warmUp whether the node runs its DICOM paths on synthetic instances before it listens (see
 *     {@code org.arca.server.warmup.WarmUp})
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ArcaConfig(Path dataDirectory, Dicom dicom, Http http, Integer shutdownDrainSeconds, Admin admin,
        Reconcile reconcile, Retention retention, Boolean warmUp) {

    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("arca-data");
    public static final int DEFAULT_SHUTDOWN_DRAIN_SECONDS = 30;

    /** Marks the canonical constructor as the one YAML binds to, because a second constructor exists. */
    @JsonCreator
    public ArcaConfig {
    }

    /** Creates a configuration without admin, reconcile and retention settings, as command-line overrides do. */
    public ArcaConfig(Path dataDirectory, Dicom dicom, Http http, Integer shutdownDrainSeconds) {
        this(dataDirectory, dicom, http, shutdownDrainSeconds, null, null, null, null);
    }

    /**
     * The DICOM listener.
     *
     * @param aeTitle the AE title of this node
     * @param bindAddress the address to listen on
     * @param port the TCP port (0 picks a free one)
     * @param allowedCallingAeTitles calling AE titles allowed to associate; empty allows any
     * @param checkCalledAeTitle whether an association must call {@code aeTitle}
     * @param maxAssociations how many associations may be open at once
     * @param maxPduLength the largest P-DATA-TF PDU Arca receives, in bytes
     * @param artimTimeoutMs the ARTIM timer of PS3.8, in milliseconds
     * @param moveDestinations the AEs that a C-MOVE may name as its Move Destination, and the
     *     Storage Commitment requesters that Arca opens a new association to for their report
     * @param personNameCaseInsensitive whether C-FIND matches Person Name values regardless of case
     * @param idleTimeoutMs how long an association may send nothing, in milliseconds, before Arca
     *     aborts it: between messages while no operation of it runs, and at any time inside a
     *     message (a stalled transfer); 0 sets no limit
     */
    public record Dicom(String aeTitle, String bindAddress, Integer port, List<String> allowedCallingAeTitles,
            Boolean checkCalledAeTitle, Integer maxAssociations, Integer maxPduLength, Integer artimTimeoutMs,
            List<MoveDestination> moveDestinations, Boolean personNameCaseInsensitive, Integer idleTimeoutMs) {

        /** Marks the canonical constructor as the one YAML binds to, because a second constructor exists. */
        @JsonCreator
        public Dicom {
        }

        /** Creates a listener configuration without move destinations, as command-line overrides do. */
        public Dicom(String aeTitle, String bindAddress, Integer port, List<String> allowedCallingAeTitles,
                Boolean checkCalledAeTitle, Integer maxAssociations, Integer maxPduLength, Integer artimTimeoutMs) {
            this(aeTitle, bindAddress, port, allowedCallingAeTitles, checkCalledAeTitle, maxAssociations,
                    maxPduLength, artimTimeoutMs, null, null, null);
        }

        /**
         * The default idle timeout, in milliseconds: a stalled sender keeps an association open at
         * most this long.
         */
        public static final int DEFAULT_IDLE_TIMEOUT_MS = 60_000;

        public static Dicom defaults() {
            return new Dicom("ARCA", "0.0.0.0", 11112, List.of(), true, 64, 262_144, 30_000, List.of(), true,
                    DEFAULT_IDLE_TIMEOUT_MS);
        }

        /** Returns the move destination with this AE title (compared without padding spaces), or null. */
        public MoveDestination moveDestination(String aeTitle) {
            String wanted = aeTitle == null ? "" : aeTitle.strip();
            return moveDestinations.stream().filter(d -> d.aeTitle().strip().equals(wanted)).findFirst()
                    .orElse(null);
        }
    }

    /**
     * An AE that C-MOVE sub-operations may be sent to.
     *
     * @param aeTitle the AE title a C-MOVE-RQ names in Move Destination (0000,0600), and the called
     *     AE title of the association Arca opens to it
     * @param host the host name or IP address of its Storage SCP
     * @param port the TCP port of its Storage SCP
     */
    public record MoveDestination(String aeTitle, String host, Integer port) {
    }

    /**
     * The HTTP listener.
     *
     * @param bindAddress the address to listen on
     * @param port the TCP port (0 picks a free one)
     */
    public record Http(String bindAddress, Integer port) {

        public static Http defaults() {
            return new Http("0.0.0.0", 8080);
        }
    }

    /**
     * The admin API listener. Its bind address must be a loopback address, because until users
     * and roles exist the token file is the only protection of delete and restore.
     *
     * @param bindAddress the loopback address to listen on
     * @param port the TCP port (0 picks a free one, which the node writes to {@code admin/endpoint.json})
     */
    public record Admin(String bindAddress, Integer port) {

        public static Admin defaults() {
            return new Admin("127.0.0.1", 0);
        }
    }

    /**
     * The scheduled reconciliation.
     *
     * @param intervalHours hours between runs, the first one interval after start; 0 disables them
     * @param repair whether scheduled runs repair (re-apply missing index rows, quarantine orphaned
     *     blobs, delete quarantined orphans after the grace period) or only report
     * @param quarantineGraceDays days a quarantined orphan is kept before a repairing run deletes it
     */
    public record Reconcile(Integer intervalHours, Boolean repair, Integer quarantineGraceDays) {

        public static Reconcile defaults() {
            return new Reconcile(24, false, 7);
        }
    }

    /**
     * Retention: how long deletes stay undoable, and how often a retention run reclaims the bytes of
     * instances deleted before that window and writes an index checkpoint.
     *
     * @param cdpWindowDays the CDP window in days: restores and undeletes reach this far back
     * @param runIntervalMinutes minutes between retention runs; the first runs one interval after start
     * @param checkpointIntervalHours hours between index checkpoints written by the runs
     */
    public record Retention(Integer cdpWindowDays, Integer runIntervalMinutes, Integer checkpointIntervalHours) {

        public static final int DEFAULT_RUN_INTERVAL_MINUTES = 60;

        public static Retention defaults() {
            return new Retention(RetentionPolicy.DEFAULT_CDP_WINDOW_DAYS, DEFAULT_RUN_INTERVAL_MINUTES,
                    RetentionPolicy.DEFAULT_CHECKPOINT_INTERVAL_HOURS);
        }

        /** Returns the policy of a validated configuration. */
        public RetentionPolicy policy() {
            return new RetentionPolicy(Duration.ofDays(cdpWindowDays), Duration.ofHours(checkpointIntervalHours));
        }
    }

    public static ArcaConfig defaults() {
        return new ArcaConfig(DEFAULT_DATA_DIRECTORY, Dicom.defaults(), Http.defaults(), DEFAULT_SHUTDOWN_DRAIN_SECONDS,
                Admin.defaults(), Reconcile.defaults(), Retention.defaults(), true);
    }
}
