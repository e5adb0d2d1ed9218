package org.arca.store.cdp;

/**
 * The outcome of a change that was made durable.
 *
 * @param journalSequence the sequence of the journal record that holds the change
 * @param instancesAffected how many SOP Instances became visible, invisible or changed
 * @param summary one line for the operator
 */
public record ChangeResult(long journalSequence, int instancesAffected, String summary) {
}
