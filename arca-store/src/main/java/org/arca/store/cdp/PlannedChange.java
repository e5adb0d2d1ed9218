package org.arca.store.cdp;

/**
 * One difference that a restore would make, as listed by a dry run.
 *
 * @param kind REAPPEAR, DISAPPEAR or CHANGE
 * @param level the level of {@code uid}
 * @param uid the Study, Series or SOP Instance UID
 * @param description what reappears, disappears or changes, with old and new values for a CHANGE
 */
public record PlannedChange(String kind, ChangeLevel level, String uid, String description) {
}
