/**
 * The journal payloads of the archive's change records (DELETED, UNDELETED, STUDY_UPDATED,
 * RESTORED), each UTF-8 JSON with a {@code formatVersion}. Each payload names its effect on the
 * index explicitly, so that a replay of the journal derives the same index without reading
 * anything else. This package depends on the index only, so that the journal record applier
 * can decode these payloads without depending on {@code org.arca.store.cdp}.
 */
package org.arca.store.cdp.event;
