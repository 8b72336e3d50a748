/**
 * The transform SPI: implement {@link org.reseq.transform.TransformFactory} and
 * {@link org.reseq.transform.Transform}, register the factory in
 * {@code META-INF/services/org.reseq.transform.TransformFactory}, and put the jar (with its own
 * dependencies shaded in) into the worker's {@code reseq.worker.plugin-dir}.
 */
package org.reseq.transform;
