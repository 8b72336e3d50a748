package org.reseq.egress.delivery.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.reseq.egress.delivery.RetryGuard;

/**
 * A request body that asks its guard whether it may still go out when the client writes it:
 * after the connection was leased and the headers buffered, right before the request is flushed.
 * No content type of its own: the request's header is sent exactly as the sender gave it.
 */
final class GuardedEntity extends AbstractHttpEntity {

    private final byte[] payload;
    private final RetryGuard guard;

    GuardedEntity(byte[] payload, RetryGuard guard) {
        super((String) null, null);
        this.payload = payload;
        this.guard = guard;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        guard.beforeSend();
        out.write(payload);
        out.flush();
    }

    @Override
    public InputStream getContent() {
        return new ByteArrayInputStream(payload);
    }

    @Override
    public long getContentLength() {
        return payload.length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
    }
}
