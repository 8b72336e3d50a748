package org.reseq.model.security;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a caller may do. The roles are independent: an operator who changes destinations and
 * also reads them holds both {@link #ADMIN} and {@link #READ}.
 */
public enum Role {

    /** Posts messages, to the channels its credential names. */
    INGEST,
    /** Reads destinations, channels, status, dead letters, operator actions and metrics. */
    READ,
    /** Changes destinations and channels and runs operator actions. */
    ADMIN;

    /** The name Spring Security checks ({@code hasRole} adds the {@code ROLE_} prefix itself). */
    public GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }
}
