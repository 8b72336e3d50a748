package org.reseq.model.security;

import org.springframework.security.authorization.AuthorizationDecision;

/** A refusal that says why, for the {@code 403} problem's detail. */
public final class DeniedBecause extends AuthorizationDecision {

    private final String reason;

    public DeniedBecause(String reason) {
        super(false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
