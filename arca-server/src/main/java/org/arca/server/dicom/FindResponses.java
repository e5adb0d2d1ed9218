package org.arca.server.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.query.QueryMatch;

/**
 * Builds the identifier of each pending C-FIND response (PS3.4 C.4.1.1.3.2): every requested key
 * with its stored value or empty, plus Specific Character Set, Query/Retrieve Level and Retrieve
 * AE Title.
 *
 * <p>Responses declare ISO_IR 192 (UTF-8), because the index keeps Unicode text that may have
 * come from any character set, and UTF-8 can encode all of it.
 */
final class FindResponses {

    static final String UTF_8_CHARACTER_SET = "ISO_IR 192";

    /** The value of Instance Availability (0008,0056): every stored instance is on line. */
    static final String ONLINE = "ONLINE";

    private final String retrieveAeTitle;

    FindResponses(String retrieveAeTitle) {
        this.retrieveAeTitle = retrieveAeTitle;
    }

    Attributes identifier(FindRequest request, QueryMatch match) {
        Attributes identifier = new Attributes();
        // Set first: setString encodes the text VRs with the dataset's character set.
        identifier.setString(Tag.SpecificCharacterSet, VR.CS, UTF_8_CHARACTER_SET);
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, request.query().level().name());
        identifier.setString(Tag.RetrieveAETitle, VR.AE, retrieveAeTitle);
        for (FindRequest.ReturnKey key : request.returnKeys()) {
            putKey(identifier, key, match);
        }
        return identifier;
    }

    private static void putKey(Attributes identifier, FindRequest.ReturnKey key, QueryMatch match) {
        if (key.tag() == Tag.InstanceAvailability) {
            identifier.setString(key.tag(), VR.CS, ONLINE);
            return;
        }
        if (key.vr() == VR.SQ) {
            identifier.newSequence(key.tag());
            return;
        }
        String value = key.attribute() == null ? null : match.value(key.attribute());
        if (value == null || value.isEmpty()) {
            identifier.setBytes(key.tag(), key.vr(), new byte[0]);
        } else {
            identifier.setString(key.tag(), key.vr(), value);
        }
    }

    /** Encodes an identifier in the transfer syntax of the presentation context. */
    static byte[] encode(Attributes identifier, TransferSyntax transferSyntax) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        new DicomOutputStream(bytes).writeDataset(identifier, transferSyntax);
        return bytes.toByteArray();
    }
}
