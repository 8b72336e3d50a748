package org.reseq.worker.consume;

/**
 * One entry of the work stream as read: its stream id and the encoded work item.
 *
 * @param id the stream entry id, for XACK and XDEL
 * @param value the {@code v} field's bytes, or null when the entry has no such field
 */
record WorkRecord(String id, byte[] value) {
}
