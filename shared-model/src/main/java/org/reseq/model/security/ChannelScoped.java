package org.reseq.model.security;

/** An authenticated caller whose {@link Role#INGEST} role is limited to some channels. */
public interface ChannelScoped {

    ChannelPatterns channels();
}
