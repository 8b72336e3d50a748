package org.reseq.egress.delivery;

/**
 * One attempt was not accepted (a rejecting answer, a timeout, a broken connection) and may be
 * retried. Carries no stack trace and no cause: unlimited retries keep every failed attempt in
 * memory until the message is accepted, so each must stay small.
 */
public final class DeliveryAttemptFailedException extends Exception {

    public DeliveryAttemptFailedException(String reason) {
        super(reason, null, false, false);
    }
}
