package org.arca.store.cdp;

/**
 * The person and reason behind a change, kept in its journal record for the history.
 *
 * @param user who asked for the change (the operating-system user of the CLI, later an Arca user)
 * @param reason free text given by that user; never blank for a delete
 */
public record ChangeAuthor(String user, String reason) {
}
