package org.reseq.transform;

import java.util.Map;

/**
 * Makes the transforms of one type: the {@code type} a destination's {@code transforms[i]} names.
 * Found by {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/org.reseq.transform.TransformFactory}. It needs a public no-argument
 * constructor.
 *
 * <p>The configuration of a step is its JSON object without {@code type}, for example
 * {@code {"type": "redact", "pattern": "\\d{16}"}} gives {@code {pattern=\d{16}}}. Ingress
 * checks it against {@link #configSchema()} when the destination is saved, so a destination with
 * a configuration the schema refuses is never stored; the worker checks it again before
 * {@link #create}.
 *
 * <p>Threading: called by many threads at once; keep no mutable state.
 */
public interface TransformFactory {

    /**
     * The type name destinations use: lower case letters, digits, {@code -} and {@code .}, starting
     * with a letter, at most 64 characters, and none of the built-in names.
     */
    String type();

    /**
     * A JSON Schema (draft 2020-12) of the configuration, as JSON text: an object schema whose
     * properties are the step's fields other than {@code type}. Unknown fields should be refused
     * with {@code "additionalProperties": false}.
     */
    String configSchema();

    /**
     * A transform for one configuration; called once per configuration and cached.
     *
     * @param config the step's fields other than {@code type}, as JSON values: {@code String},
     *     {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}/{@code BigDecimal},
     *     {@code List}, {@code Map} or {@code null}; valid by {@link #configSchema()}
     * @throws IllegalArgumentException when the configuration cannot run although the schema
     *     allows it (the message says why): every message of the destination then fails for good
     */
    Transform create(Map<String, Object> config);
}
