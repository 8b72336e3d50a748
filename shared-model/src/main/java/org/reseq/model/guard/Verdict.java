package org.reseq.model.guard;

/**
 * What the destination rules say about one address and port.
 *
 * @param allowed whether a destination may connect there
 * @param reason why not, naming the kind of address (never a secret); null when allowed
 */
public record Verdict(boolean allowed, String reason) {

    public static final Verdict ALLOWED = new Verdict(true, null);

    public static Verdict refused(String reason) {
        return new Verdict(false, reason);
    }
}
