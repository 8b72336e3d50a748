package org.reseq.worker.plugin;

import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/**
 * A plugin's transform as the chain runs it: with the plugin's class loader as the context class
 * loader, and a {@code null} answer turned into a permanent failure that names the type, not a
 * {@code NullPointerException} somewhere later.
 */
final class PluginTransform implements Transform {

    private final String type;
    private final Transform delegate;
    private final ClassLoader loader;

    PluginTransform(String type, Transform delegate, ClassLoader loader) {
        if (delegate == null) {
            throw new IllegalArgumentException("the factory made no transform");
        }
        this.type = type;
        this.delegate = delegate;
        this.loader = loader;
    }

    @Override
    public TransformResponse apply(TransformRequest request) throws Exception {
        // Each attempt runs on a thread of its own, so the context loader needs no restoring beyond it.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            TransformResponse response = delegate.apply(request);
            if (response == null) {
                throw new PermanentTransformException(type + " transform returned no response");
            }
            return response;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public String toString() {
        return type;
    }
}
