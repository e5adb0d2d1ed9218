package org.arca.dicom.pdu;

import java.util.List;

/** A P-DATA-TF PDU (PS3.8 section 9.3.5) with one or more PDVs. */
public record PDataTf(List<Pdv> pdvs) implements Pdu {
    public PDataTf {
        pdvs = List.copyOf(pdvs);
    }

    @Override
    public int type() {
        return PduType.P_DATA_TF;
    }

    @Override
    public String toString() {
        return "P-DATA-TF" + pdvs;
    }
}
