package org.reseq.ingress.tcp;

/** How a TCP listener cuts its byte stream into messages. */
enum Framing {

    /** Each line (ending in LF or CRLF, which is not part of the message) is one UTF-8 message. */
    LINE("text/plain; charset=utf-8"),

    /** A 4-byte big-endian unsigned length, then that many bytes of message. */
    LENGTH_PREFIXED("application/octet-stream");

    private final String contentType;

    Framing(String contentType) {
        this.contentType = contentType;
    }

    /** The content type every message of this framing is stored with. */
    String contentType() {
        return contentType;
    }
}
