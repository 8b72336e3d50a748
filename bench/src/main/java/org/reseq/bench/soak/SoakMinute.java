package org.reseq.bench.soak;

import java.util.List;
import java.util.Locale;

/**
 * One minute of a soak: the messages that arrived in it and how they fared, and where storage
 * stood at its end.
 *
 * @param minute which minute, from 1
 * @param arrived messages that arrived in it
 * @param ingestP99Ms 99th percentile from send to ingress's acknowledgement
 * @param deliveryP99Ms 99th percentile from send to delivery, at the slowest destination
 * @param messageMib size of table {@code message} at the minute's end
 * @param deliveryMib size of table {@code delivery} at the minute's end
 * @param keysMib size of table {@code idempotency_key} at the minute's end
 * @param messagesRemoved messages retention removed during the minute
 * @param oldestMessageSeconds age of the oldest stored message at the minute's end
 * @param redisPeakMib Redis {@code used_memory} at its highest during the minute
 */
public record SoakMinute(int minute, long arrived, double ingestP99Ms, double deliveryP99Ms, double messageMib,
        double deliveryMib, double keysMib, long messagesRemoved, double oldestMessageSeconds, double redisPeakMib) {

    /** @return the minutes as a Markdown table */
    public static String table(List<SoakMinute> minutes) {
        StringBuilder table = new StringBuilder();
        table.append("| minute | arrived | ingest p99 ms | delivery p99 ms | message MiB | delivery MiB"
                + " | idempotency_key MiB | messages removed | oldest message s | Redis peak MiB |\n");
        table.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (SoakMinute m : minutes) {
            table.append(String.format(Locale.ROOT, "| %d | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %,d | %.0f | %.1f |%n",
                    m.minute(), m.arrived(), m.ingestP99Ms(), m.deliveryP99Ms(), m.messageMib(), m.deliveryMib(),
                    m.keysMib(), m.messagesRemoved(), m.oldestMessageSeconds(), m.redisPeakMib()));
        }
        return table.toString().stripTrailing();
    }
}
