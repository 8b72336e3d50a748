package org.reseq.model.security;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The channels an {@link Role#INGEST} credential may post to: channel names, or prefixes ending
 * in {@code *} ({@code orders-*}). No patterns at all means every channel.
 */
public final class ChannelPatterns {

    private static final ChannelPatterns ANY = new ChannelPatterns(List.of(), true);
    private static final ChannelPatterns NONE = new ChannelPatterns(List.of(), false);
    private static final Pattern ENTRY = Pattern.compile("[a-z0-9_-]{1,64}|[a-z0-9_-]{0,63}\\*");

    private final List<String> entries;
    private final boolean any;

    private ChannelPatterns(List<String> entries, boolean any) {
        this.entries = List.copyOf(entries);
        this.any = any;
    }

    public static ChannelPatterns any() {
        return ANY;
    }

    public static ChannelPatterns none() {
        return NONE;
    }

    /**
     * The patterns of a credential.
     *
     * @param setting where they are configured, named in the error of a bad entry
     * @throws IllegalArgumentException when an entry is neither a channel name nor a prefix with {@code *}
     */
    public static ChannelPatterns of(String setting, List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return ANY;
        }
        for (String entry : entries) {
            if (entry == null || !ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException(setting + ": '" + entry
                        + "' is neither a channel name nor a prefix ending in * (such as orders-*)");
            }
        }
        return new ChannelPatterns(entries, false);
    }

    public boolean allows(String channel) {
        if (any) {
            return true;
        }
        for (String entry : entries) {
            boolean prefix = entry.endsWith("*");
            if (prefix ? channel.startsWith(entry.substring(0, entry.length() - 1)) : channel.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return any ? "any channel" : entries.isEmpty() ? "no channel" : String.join(", ", entries);
    }
}
