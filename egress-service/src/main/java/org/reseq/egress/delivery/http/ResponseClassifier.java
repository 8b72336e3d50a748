package org.reseq.egress.delivery.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

/**
 * Decides what an HTTP destination's answer means: any 2xx is accepted, everything else (and
 * no answer at all) is worth another attempt. Pure, so the rule is tested on its own.
 */
final class ResponseClassifier {

    /** What a delivery attempt came to. */
    enum Verdict {
        /** The destination took the message: deliver the next one. */
        ACCEPTED,
        /** Not accepted: back off and send the same message again. */
        RETRY
    }

    private ResponseClassifier() {
    }

    static Verdict classify(int statusCode) {
        return statusCode >= 200 && statusCode <= 299 ? Verdict.ACCEPTED : Verdict.RETRY;
    }

    /** No answer: a timeout, a refused or broken connection. The destination may be back soon. */
    static Verdict classify(IOException failure) {
        return Verdict.RETRY;
    }

    /** A short reason for logs and for the retry history, without a stack trace. */
    static String describe(IOException failure) {
        if (failure instanceof HttpTimeoutException) {
            return "no answer within the timeout";
        }
        if (failure instanceof ConnectException) {
            return "cannot connect: " + failure.getMessage();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    static String describe(int statusCode) {
        return "answered HTTP " + statusCode;
    }
}
