package org.arca.dicom.association;

import org.arca.dicom.pdu.AAbort;
import org.arca.dicom.pdu.AAssociateAc;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.PDataTf;
import org.arca.dicom.pdu.Pdu;
import org.arca.dicom.pdu.PduException;

/**
 * The states of the DICOM Upper Layer state machine (PS3.8 section 9.2, Table 9-10). The
 * default reaction to a PDU is the standard's reaction to an unexpected PDU in Sta3 to Sta12:
 * AA-8, which sends an A-ABORT (unexpected-PDU), starts the ARTIM timer and moves to Sta13.
 * Each state overrides only the events it accepts. Methods run with the association's lock held.
 */
public enum State {
    /** Idle: no transport connection. Every event is ignored. */
    STA1 {
        @Override
        void onPdu(Association association, Pdu pdu) {
        }

        @Override
        void onInvalidPdu(Association association, PduException error) {
        }

        @Override
        void onTransportClosed(Association association, String reason) {
        }

        @Override
        void onLocalAbort(Association association) {
        }
    },

    /** Transport connection open as acceptor, awaiting the A-ASSOCIATE-RQ; ARTIM runs. */
    STA2 {
        @Override
        void onAssociateRq(Association association, AAssociateRq rq) {
            association.stopArtim();
            association.acceptOrReject(rq);
        }

        /** AA-1: any other PDU gets an A-ABORT, and ARTIM bounds the wait for the peer to close. */
        @Override
        void unexpectedPdu(Association association, Pdu pdu) {
            association.abortAndAwaitClose(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU),
                    "received " + pdu + " instead of an A-ASSOCIATE-RQ");
        }

        /** AA-2: stop ARTIM and close. */
        @Override
        void onAbort(Association association, AAbort abort) {
            association.closeAfterPeerAbort(abort);
        }

        /** AA-1 with the reply the decoder chose (A-ABORT, or A-ASSOCIATE-RJ for a bad protocol version). */
        @Override
        void onInvalidPdu(Association association, PduException error) {
            association.abortAndAwaitClose(error.reply(), error.getMessage());
        }

        @Override
        void onArtimExpired(Association association) {
            association.closeOnArtimExpiry();
        }
    },

    /** Awaiting the local A-ASSOCIATE response primitive (acceptor decision in progress). */
    STA3,

    /** Awaiting transport connection opening to complete (requestor). */
    STA4,

    /** Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ (requestor). */
    STA5 {
        @Override
        void onAssociateAc(Association association, AAssociateAc ac) {
            association.accepted(ac);
        }

        @Override
        void onAssociateRj(Association association, AAssociateRj rj) {
            association.rejected(rj);
        }
    },

    /** Association established and ready for data transfer. */
    STA6 {
        @Override
        void onPData(Association association, PDataTf pdata) {
            association.deliver(pdata);
        }

        /** AR-2 then AR-4: this implementation always agrees to release at once. */
        @Override
        void onReleaseRq(Association association) {
            association.replyToRelease();
        }

        @Override
        void onLocalRelease(Association association) {
            association.sendReleaseRq();
        }
    },

    /** Awaiting A-RELEASE-RP (this side requested the release). */
    STA7 {
        /** AR-7: data still in flight is delivered. */
        @Override
        void onPData(Association association, PDataTf pdata) {
            association.deliver(pdata);
        }

        @Override
        void onReleaseRp(Association association) {
            association.releaseConfirmed();
        }

        /** AR-8: release collision, resolved at once because this side always agrees to release. */
        @Override
        void onReleaseRq(Association association) {
            association.releaseCollision();
        }
    },

    /** Awaiting the local A-RELEASE response primitive (acceptor). */
    STA8,

    /** Release collision, requestor side: awaiting the local A-RELEASE response primitive. */
    STA9,

    /** Release collision, acceptor side: awaiting A-RELEASE-RP. */
    STA10 {
        @Override
        void onReleaseRp(Association association) {
            association.replyToRelease();
        }
    },

    /** Release collision, requestor side: awaiting A-RELEASE-RP. */
    STA11 {
        @Override
        void onReleaseRp(Association association) {
            association.releaseConfirmed();
        }
    },

    /** Release collision, acceptor side: awaiting the local A-RELEASE response primitive. */
    STA12,

    /** Awaiting transport connection close; ARTIM runs. */
    STA13 {
        /** AA-6 ignores PDUs, but AA-7 sends an A-ABORT in reply to an A-ASSOCIATE-RQ. */
        @Override
        void unexpectedPdu(Association association, Pdu pdu) {
            if (pdu instanceof AAssociateRq) {
                association.sendQuietly(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
            }
        }

        /**
         * AA-7 for an invalid PDU: an A-ABORT, even where the decoder chose an A-ASSOCIATE-RJ (an
         * A-ASSOCIATE-RQ of another protocol version), because Sta13 replies with nothing else.
         */
        @Override
        void onInvalidPdu(Association association, PduException error) {
            Pdu reply = error.reply();
            association.sendQuietly(reply instanceof AAbort ? reply : AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
        }

        @Override
        void onAbort(Association association, AAbort abort) {
            association.closeTransport();
        }

        /** AR-5: the peer closed after the exchange ended; nothing more to report. */
        @Override
        void onTransportClosed(Association association, String reason) {
            association.closeTransport();
        }

        @Override
        void onArtimExpired(Association association) {
            association.closeOnArtimExpiry();
        }

        @Override
        void onLocalAbort(Association association) {
            association.closeTransport();
        }
    };

    /** Dispatches a received PDU to the event method of its type. */
    void onPdu(Association association, Pdu pdu) {
        if (pdu instanceof AAssociateRq rq) {
            onAssociateRq(association, rq);
        } else if (pdu instanceof AAssociateAc ac) {
            onAssociateAc(association, ac);
        } else if (pdu instanceof AAssociateRj rj) {
            onAssociateRj(association, rj);
        } else if (pdu instanceof PDataTf pdata) {
            onPData(association, pdata);
        } else if (pdu instanceof AAbort abort) {
            onAbort(association, abort);
        } else if (pdu.type() == org.arca.dicom.pdu.PduType.A_RELEASE_RQ) {
            onReleaseRq(association);
        } else {
            onReleaseRp(association);
        }
    }

    void onAssociateRq(Association association, AAssociateRq rq) {
        unexpectedPdu(association, rq);
    }

    void onAssociateAc(Association association, AAssociateAc ac) {
        unexpectedPdu(association, ac);
    }

    void onAssociateRj(Association association, AAssociateRj rj) {
        unexpectedPdu(association, rj);
    }

    void onPData(Association association, PDataTf pdata) {
        unexpectedPdu(association, pdata);
    }

    void onReleaseRq(Association association) {
        unexpectedPdu(association, new org.arca.dicom.pdu.AReleaseRq());
    }

    void onReleaseRp(Association association) {
        unexpectedPdu(association, new org.arca.dicom.pdu.AReleaseRp());
    }

    /** AA-8: A-ABORT (unexpected-PDU), start ARTIM, move to Sta13. */
    void unexpectedPdu(Association association, Pdu pdu) {
        association.abortAndAwaitClose(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU),
                "received " + pdu + " in state " + this);
    }

    /** AA-8 with the reply the decoder chose for a malformed or unrecognized PDU. */
    void onInvalidPdu(Association association, PduException error) {
        association.abortAndAwaitClose(error.reply(), error.getMessage());
    }

    /** AA-3: the peer aborted; close the transport connection. */
    void onAbort(Association association, AAbort abort) {
        association.closeAfterPeerAbort(abort);
    }

    /** AA-4 (or AA-5 in Sta2): the transport connection closed unexpectedly. */
    void onTransportClosed(Association association, String reason) {
        association.closeAfterTransportLoss(reason);
    }

    /** ARTIM runs only in Sta2 and Sta13; an expiry in another state is stale and ignored. */
    void onArtimExpired(Association association) {
    }

    /** Rejects a local A-RELEASE request outside Sta6, which is a programming error of the caller. */
    void onLocalRelease(Association association) {
        throw new IllegalStateException("Association " + association.name() + " cannot be released in state "
                + this + "; release needs an established association");
    }

    /** AA-1: the local user aborts: send A-ABORT, start ARTIM, move to Sta13. */
    void onLocalAbort(Association association) {
        association.abortAndAwaitClose(AAbort.byUser(), "the local application aborted it");
    }
}
