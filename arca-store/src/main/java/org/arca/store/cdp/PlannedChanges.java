package org.arca.store.cdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arca.store.cdp.event.RestoredEvent.StudyEffect;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceState;
import org.arca.store.index.StudyEntry;

/**
 * Turns the effects of a restore into the lines an administrator reads in a dry run. A whole
 * study or series that reappears or disappears is one line, and other instances one line each.
 * Attribute changes are one line per study, with the current and the restored values.
 */
final class PlannedChanges {

    private static final Set<String> PATIENT_DEMOGRAPHICS = Set.of("PatientName", "PatientBirthDate", "PatientSex");

    private PlannedChanges() {
    }

    static List<PlannedChange> of(List<StudyEffect> effects, Index live) {
        List<PlannedChange> changes = new ArrayList<>();
        for (StudyEffect effect : effects) {
            List<InstanceState> states = live.instanceStatesOfStudy(effect.studyInstanceUid());
            // An older version may belong to another series, so whole levels are listed only without version changes.
            boolean groupLevels = effect.currentVersions().isEmpty();
            addVisibility(changes, "REAPPEAR", effect.studyInstanceUid(), states,
                    new HashSet<>(effect.shownSopInstanceUids()), true, groupLevels);
            addVisibility(changes, "DISAPPEAR", effect.studyInstanceUid(), states,
                    new HashSet<>(effect.hiddenSopInstanceUids()), false, groupLevels);
            for (Map.Entry<String, Integer> version : effect.currentVersions().entrySet()) {
                int now = states.stream().filter(s -> s.sopInstanceUid().equals(version.getKey()))
                        .mapToInt(InstanceState::currentVersion).findFirst().orElse(0);
                changes.add(new PlannedChange("CHANGE", ChangeLevel.INSTANCE, version.getKey(), "SOP Instance "
                        + version.getKey() + ": current version " + now + " -> " + version.getValue()
                        + "; the newer versions stay stored."));
            }
            if (!effect.values().isEmpty()) {
                changes.add(new PlannedChange("CHANGE", ChangeLevel.STUDY, effect.studyInstanceUid(),
                        describeValues(effect)));
                addStudiesSharingPatient(changes, effect, live);
            }
        }
        return List.copyOf(changes);
    }

    /**
     * Lists the other studies of the patient when the restored values include patient demographics,
     * because PatientName, PatientBirthDate and PatientSex belong to the patient that the studies share.
     */
    private static void addStudiesSharingPatient(List<PlannedChange> changes, StudyEffect effect, Index live) {
        List<String> demographics = effect.values().keySet().stream().filter(PATIENT_DEMOGRAPHICS::contains).toList();
        boolean moves = effect.values().containsKey("PatientID") || effect.values().containsKey("IssuerOfPatientID");
        if (demographics.isEmpty() || moves) {
            // A study that moves to another patient takes that patient's values; its old patient's studies keep theirs.
            return;
        }
        live.study(effect.studyInstanceUid()).ifPresent(study -> {
            for (StudyEntry other : live.studies(study.patientKey())) {
                if (!other.studyInstanceUid().equals(effect.studyInstanceUid())) {
                    changes.add(new PlannedChange("CHANGE", ChangeLevel.STUDY, other.studyInstanceUid(), "Study "
                            + other.studyInstanceUid() + " shares the patient of Study " + effect.studyInstanceUid()
                            + ", so its " + String.join(", ", demographics) + " change too."));
                }
            }
        });
    }

    /**
     * Adds the lines for instances that change visibility. A level is listed whole when every
     * instance of it is in {@code changed} or already has the visibility it gets.
     */
    private static void addVisibility(List<PlannedChange> changes, String kind, String studyInstanceUid,
            List<InstanceState> states, Set<String> changed, boolean becomesVisible, boolean groupLevels) {
        if (changed.isEmpty()) {
            return;
        }
        String outcome = becomesVisible ? "reappear" : "disappear";
        if (groupLevels && wholly(states, changed, becomesVisible)) {
            changes.add(new PlannedChange(kind, ChangeLevel.STUDY, studyInstanceUid,
                    "Study " + studyInstanceUid + ": " + changed.size() + " instances " + outcome + "."));
            return;
        }
        Map<String, List<InstanceState>> bySeries = new LinkedHashMap<>();
        for (InstanceState state : states) {
            bySeries.computeIfAbsent(state.seriesInstanceUid(), k -> new ArrayList<>()).add(state);
        }
        for (Map.Entry<String, List<InstanceState>> series : bySeries.entrySet()) {
            List<InstanceState> changedInSeries = series.getValue().stream()
                    .filter(state -> changed.contains(state.sopInstanceUid())).toList();
            if (changedInSeries.isEmpty()) {
                continue;
            }
            if (groupLevels && wholly(series.getValue(), changed, becomesVisible)) {
                changes.add(new PlannedChange(kind, ChangeLevel.SERIES, series.getKey(), "Series " + series.getKey()
                        + " of study " + studyInstanceUid + ": " + changedInSeries.size() + " instances " + outcome
                        + "."));
                continue;
            }
            for (InstanceState state : changedInSeries) {
                changes.add(new PlannedChange(kind, ChangeLevel.INSTANCE, state.sopInstanceUid(), "SOP Instance "
                        + state.sopInstanceUid() + " of series " + series.getKey() + " will " + outcome + "."));
            }
        }
    }

    /** Returns true when, after the change, every listed instance has the same visibility. */
    private static boolean wholly(List<InstanceState> states, Set<String> changed, boolean becomesVisible) {
        for (InstanceState state : states) {
            boolean visibleAfter = changed.contains(state.sopInstanceUid()) ? becomesVisible : !state.deleted();
            if (visibleAfter != becomesVisible) {
                return false;
            }
        }
        return true;
    }

    private static String describeValues(StudyEffect effect) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> entry : effect.values().entrySet()) {
            values.add(entry.getKey() + " '" + emptyIfNull(effect.previousValues().get(entry.getKey())) + "' -> '"
                    + emptyIfNull(entry.getValue()) + "'");
        }
        return "Study " + effect.studyInstanceUid() + ": " + String.join(", ", values) + ".";
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
