package org.reseq.model.destination;

/** How messages are delimited on a TCP connection. */
public enum Framing {
    /** Each message is one UTF-8 line. */
    LINE,
    /** A 4-byte big-endian length, then that many bytes. */
    LENGTH_PREFIXED
}
