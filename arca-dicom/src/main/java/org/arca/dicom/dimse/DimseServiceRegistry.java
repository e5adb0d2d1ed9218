package org.arca.dicom.dimse;

import org.arca.dicom.uid.UID;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.arca.dicom.association.AssociationHandler;

/**
 * Maps (command field, SOP class UID) to the SCP service that handles it. A service registered
 * for any SOP class serves the command fields whose SOP class has no exact entry.
 */
public final class DimseServiceRegistry {
    private final Map<Key, DimseService> services = new ConcurrentHashMap<>();
    private final Map<Integer, DimseService> anySopClass = new ConcurrentHashMap<>();

    private record Key(int commandField, String sopClassUid) {
    }

    public DimseServiceRegistry register(int commandField, String sopClassUid, DimseService service) {
        services.put(new Key(commandField, sopClassUid), service);
        return this;
    }

    public DimseServiceRegistry registerForAnySopClass(int commandField, DimseService service) {
        anySopClass.put(commandField, service);
        return this;
    }

    /** Registers {@link CEchoScp} for Verification. */
    public DimseServiceRegistry registerVerification() {
        return register(CommandField.C_ECHO_RQ, UID.Verification, new CEchoScp());
    }

    /** Returns the service for this request, or null. */
    public DimseService lookup(int commandField, String sopClassUid) {
        DimseService service = sopClassUid == null ? null : services.get(new Key(commandField, sopClassUid));
        return service != null ? service : anySopClass.get(commandField);
    }

    /** Returns true if some service is registered for this SOP class or for any SOP class. */
    public boolean supportsSopClass(String sopClassUid) {
        return !anySopClass.isEmpty()
                || services.keySet().stream().anyMatch(key -> key.sopClassUid().equals(sopClassUid));
    }

    /** Returns the SOP classes with an exact registration. */
    public Set<String> sopClasses() {
        return Set.copyOf(services.keySet().stream().map(Key::sopClassUid).toList());
    }

    /** Returns the handler that serves established associations with these services. */
    public AssociationHandler handler() {
        return new DimseDispatcher(this);
    }
}
