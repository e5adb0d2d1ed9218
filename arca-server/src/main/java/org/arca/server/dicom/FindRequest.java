package org.arca.server.dicom;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.DataElement;
import org.arca.dicom.data.ElementDictionary;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.store.query.FindQuery;
import org.arca.store.query.InformationModel;
import org.arca.store.query.InvalidQueryException;
import org.arca.store.query.Matching;
import org.arca.store.query.QueryAttribute;
import org.arca.store.query.QueryLevel;

/**
 * A C-FIND request identifier read into a query for the index and the list of keys that each
 * response returns (PS3.4 C.4.1.1.3).
 *
 * @param returnKeys every key of the identifier, in tag order, with the VR it is returned in
 * @param unsupportedKeys the keys the index neither matches nor returns at this level. They come
 *     back empty, and the matches get status Pending 0xFF01 (PS3.4 C.4.1.1.4).
 */
record FindRequest(FindQuery query, List<ReturnKey> returnKeys, List<Integer> unsupportedKeys) {

    /** One key to return: its tag, its VR, and the index attribute that contains its value, or null. */
    record ReturnKey(int tag, VR vr, QueryAttribute attribute) {
    }

    /**
     * Reads an identifier whose text values were decoded with its own Specific Character Set.
     *
     * @throws InvalidQueryException for a missing or unknown level or a missing unique key above it
     */
    static FindRequest parse(Attributes identifier, InformationModel model, boolean personNameCaseInsensitive)
            throws InvalidQueryException {
        QueryLevel level = level(identifier);
        Map<QueryAttribute, Matching> keys = new EnumMap<>(QueryAttribute.class);
        List<ReturnKey> returnKeys = new ArrayList<>();
        List<Integer> unsupported = new ArrayList<>();
        for (DataElement element : identifier) {
            int tag = element.tag();
            if (isAnsweredBySelf(tag)) {
                continue;
            }
            VR vr = returnVr(element);
            QueryAttribute attribute = QueryAttribute.ofTag(tag)
                    .filter(a -> a.isAvailableAt(level, model))
                    .orElse(null);
            if (attribute != null) {
                keys.put(attribute, Matching.parse(identifier.getStrings(tag), attribute.vr()));
            } else if (tag != Tag.InstanceAvailability) {
                // Sequence matching (C.2.2.2.6) and keys the index does not keep come back empty.
                unsupported.add(tag);
            }
            returnKeys.add(new ReturnKey(tag, attribute != null ? attribute.vr() : vr, attribute));
        }
        FindQuery query = FindQuery.of(model, level, keys, personNameCaseInsensitive);
        return new FindRequest(query, returnKeys, unsupported);
    }

    private static QueryLevel level(Attributes identifier) throws InvalidQueryException {
        String code = identifier.getString(Tag.QueryRetrieveLevel);
        if (code == null) {
            throw new InvalidQueryException("The identifier has no Query/Retrieve Level (0008,0052);"
                    + " set it to PATIENT, STUDY, SERIES or IMAGE.");
        }
        return QueryLevel.parse(code).orElseThrow(() -> new InvalidQueryException("Query/Retrieve Level '" + code
                + "' is invalid; use PATIENT, STUDY, SERIES or IMAGE."));
    }

    /** Returns true for the attributes that every response sets itself, whatever their value in the request. */
    private static boolean isAnsweredBySelf(int tag) {
        return tag == Tag.SpecificCharacterSet || tag == Tag.QueryRetrieveLevel || tag == Tag.RetrieveAETitle
                || (tag >>> 16) == 0x0002 || (tag >>> 16) == 0x0000;
    }

    private static VR returnVr(DataElement element) {
        if (element.vr() != VR.UN) {
            return element.vr();
        }
        return ElementDictionary.vrOf(element.tag());
    }

    boolean hasUnsupportedKeys() {
        return !unsupportedKeys.isEmpty();
    }
}
