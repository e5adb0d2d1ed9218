package org.arca.store.cdp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.arca.store.index.UpdatableAttribute;
import org.arca.store.cdp.event.RestoredEvent.StudyEffect;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceState;

/**
 * Compares the index as of a point in time (a {@link ScratchIndex}) with the live index and lists,
 * per study, what a restore changes: instances visible now but not then disappear, instances
 * deleted now but visible then reappear, instances with a newer version go back to the version
 * current then, and study and patient attributes that differ go back to their values then.
 */
final class RestoreDiff {

    private RestoreDiff() {
    }

    // TODO: series attributes (Modality, SeriesDescription, BodyPartExamined) are not restored; a
    // later ingest that filled in an empty one keeps its value.
    /** Returns the effect on each study that differs, ordered by Study Instance UID. */
    static List<StudyEffect> compute(Index then, Index now, String scopeStudyInstanceUid) {
        Map<String, InstanceState> statesThen = bySopInstanceUid(then.instanceStatesOfStudy(scopeStudyInstanceUid));
        Map<String, List<String>> hidden = new TreeMap<>();
        Map<String, List<String>> shown = new TreeMap<>();
        Map<String, Map<String, Integer>> versions = new TreeMap<>();
        for (InstanceState current : now.instanceStatesOfStudy(scopeStudyInstanceUid)) {
            InstanceState past = statesThen.get(current.sopInstanceUid());
            boolean visibleThen = past != null && !past.deleted();
            if (visibleThen && past.currentVersion() != current.currentVersion()) {
                versions.computeIfAbsent(current.studyInstanceUid(), k -> new TreeMap<>())
                        .put(current.sopInstanceUid(), past.currentVersion());
            }
            if (!current.deleted() && !visibleThen) {
                hidden.computeIfAbsent(current.studyInstanceUid(), k -> new ArrayList<>())
                        .add(current.sopInstanceUid());
            } else if (current.deleted() && visibleThen) {
                shown.computeIfAbsent(current.studyInstanceUid(), k -> new ArrayList<>())
                        .add(current.sopInstanceUid());
            }
        }

        Map<String, Map<String, String>> attributesThen = then.studyAttributes(scopeStudyInstanceUid);
        Map<String, Map<String, String>> attributesNow = now.studyAttributes(scopeStudyInstanceUid);
        Set<String> studiesVisibleThen = visibleStudies(statesThen);
        Map<String, StudyEffect> effects = new TreeMap<>();
        for (String study : union(hidden.keySet(), shown.keySet(), versions.keySet(), attributesNow.keySet())) {
            Map<String, String> valuesThen = new LinkedHashMap<>();
            Map<String, String> valuesNow = new LinkedHashMap<>();
            if (studiesVisibleThen.contains(study) && attributesNow.containsKey(study)) {
                differingValues(attributesThen.get(study), attributesNow.get(study), valuesThen, valuesNow);
            }
            List<String> hiddenInStudy = hidden.getOrDefault(study, List.of());
            List<String> shownInStudy = shown.getOrDefault(study, List.of());
            Map<String, Integer> versionsInStudy = versions.getOrDefault(study, Map.of());
            if (!hiddenInStudy.isEmpty() || !shownInStudy.isEmpty() || !versionsInStudy.isEmpty()
                    || !valuesThen.isEmpty()) {
                effects.put(study, new StudyEffect(study, hiddenInStudy, shownInStudy, versionsInStudy, valuesThen,
                        valuesNow));
            }
        }
        return List.copyOf(effects.values());
    }

    private static Map<String, InstanceState> bySopInstanceUid(List<InstanceState> states) {
        Map<String, InstanceState> bySop = new LinkedHashMap<>();
        for (InstanceState state : states) {
            bySop.put(state.sopInstanceUid(), state);
        }
        return bySop;
    }

    private static Set<String> visibleStudies(Map<String, InstanceState> states) {
        Set<String> studies = new HashSet<>();
        for (InstanceState state : states.values()) {
            if (!state.deleted()) {
                studies.add(state.studyInstanceUid());
            }
        }
        return studies;
    }

    @SafeVarargs
    private static SortedSet<String> union(Collection<String>... sets) {
        SortedSet<String> union = new TreeSet<>();
        for (Collection<String> set : sets) {
            union.addAll(set);
        }
        return union;
    }

    /**
     * Collects the keywords whose values differ. A new patient identity takes every patient-level
     * keyword along, so that the study moves to exactly the patient it had then, with that
     * patient's demographics as they were then.
     */
    private static void differingValues(Map<String, String> then, Map<String, String> now,
            Map<String, String> valuesThen, Map<String, String> valuesNow) {
        for (Map.Entry<String, String> entry : then.entrySet()) {
            String keyword = entry.getKey();
            if (!Objects.equals(normalized(entry.getValue()), normalized(now.get(keyword)))) {
                valuesThen.put(keyword, entry.getValue());
                valuesNow.put(keyword, now.get(keyword));
            }
        }
        if (valuesThen.containsKey("PatientID") || valuesThen.containsKey("IssuerOfPatientID")) {
            for (UpdatableAttribute attribute : UpdatableAttribute.values()) {
                if (attribute.patientLevel()) {
                    valuesThen.put(attribute.keyword(), then.get(attribute.keyword()));
                    valuesNow.put(attribute.keyword(), now.get(attribute.keyword()));
                }
            }
        }
    }

    private static String normalized(String value) {
        return value == null ? "" : value;
    }
}
