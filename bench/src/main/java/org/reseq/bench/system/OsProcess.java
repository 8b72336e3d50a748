package org.reseq.bench.system;

/**
 * A process of the machine the benchmark looks at.
 *
 * @param pid its process id
 * @param kind what it is: a service name ({@code ingress-service}, ...), {@code postgres} or {@code redis}
 */
public record OsProcess(long pid, String kind) {
}
