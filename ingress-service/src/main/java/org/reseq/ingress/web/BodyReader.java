package org.reseq.ingress.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.reseq.model.destination.Violation;

/**
 * Reads a request body into memory, never more than the limit: a declared Content-Length over
 * the limit is refused before reading, and a body without one is cut off one byte past it.
 */
public final class BodyReader {

    private final long limitBytes;

    public BodyReader(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    public byte[] read(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > limitBytes) {
            throw ApiException.payloadTooLarge(limitBytes);
        }
        byte[] payload;
        try (InputStream in = request.getInputStream()) {
            payload = in.readNBytes((int) limitBytes + 1);
        } catch (IOException e) {
            // The sender went away or stalled mid-body: nothing was accepted.
            throw ApiException.invalid(List.of(new Violation("body", "could not be read completely")));
        }
        if (payload.length > limitBytes) {
            throw ApiException.payloadTooLarge(limitBytes);
        }
        return payload;
    }
}
