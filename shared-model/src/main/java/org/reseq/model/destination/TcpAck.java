package org.reseq.model.destination;

/** What a TCP destination sends back before a message counts as accepted. */
public enum TcpAck {
    /** Nothing: a message is accepted once it is written. */
    NONE,
    /** One reply line per message. */
    LINE
}
