package org.reseq.egress.delivery;

import java.io.IOException;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The TLS egress reaches destinations with, for TCP destinations with {@code tls: true} and for
 * {@code https} URLs alike: the SSL bundle {@code reseq.egress.tls.bundle} names (its trust store
 * verifies destinations, its key store, when it has one, is the client certificate for mutual
 * TLS, and its protocols and ciphers apply), else the JDK's default context. Either way the
 * destination's certificate must match its host name.
 *
 * <p>Immutable; thread-safe ({@link SSLContext} is). A bundle changed while running takes effect
 * at the next start.
 */
public final class DestinationTls {

    /** IPv4 literals, and anything with a colon (IPv6): SNI carries host names only (RFC 6066). */
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

    private final SSLContext context;
    /** Null: the context's defaults. */
    private final String[] protocols;
    /** Null: the context's defaults. */
    private final String[] ciphers;

    private DestinationTls(SSLContext context, String[] protocols, String[] ciphers) {
        this.context = context;
        this.protocols = protocols;
        this.ciphers = ciphers;
    }

    /** The JDK's default context: its trust anchors, no client certificate unless the JVM was given one. */
    public static DestinationTls jdkDefault() {
        try {
            return new DestinationTls(SSLContext.getDefault(), null, null);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no default TLS context", e);
        }
    }

    /**
     * The named bundle's TLS, or the JDK's default when {@code bundleName} is null.
     *
     * @throws IllegalStateException when no bundle of that name is configured
     */
    public static DestinationTls of(String bundleName, SslBundles bundles) {
        if (bundleName == null) {
            return jdkDefault();
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(bundleName);
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException("reseq.egress.tls.bundle names the SSL bundle '" + bundleName
                    + "', which is not configured: define it under spring.ssl.bundle.jks." + bundleName
                    + " or spring.ssl.bundle.pem." + bundleName, e);
        }
        return new DestinationTls(bundle.createSslContext(), bundle.getOptions().getEnabledProtocols(),
                bundle.getOptions().getCiphers());
    }

    public SSLContext context() {
        return context;
    }

    /** The TLS versions to enable, null for the context's defaults. */
    public String[] protocols() {
        return protocols == null ? null : protocols.clone();
    }

    /** The cipher suites to enable, null for the context's defaults. */
    public String[] ciphers() {
        return ciphers == null ? null : ciphers.clone();
    }

    /**
     * Runs the client handshake over {@code connected}, which it then owns (closing the returned
     * socket closes it). The server's certificate must be trusted and match {@code host}, which is
     * also sent as SNI unless it is an address literal. Blocks until the handshake is done; a
     * caller bounds it by closing the underlying socket.
     *
     * @throws javax.net.ssl.SSLException when the handshake fails, an untrusted or mismatched
     *         certificate among the reasons
     */
    public SSLSocket handshake(Socket connected, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!ADDRESS_LITERAL.matcher(host).matches()) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (protocols != null) {
            parameters.setProtocols(protocols);
        }
        if (ciphers != null) {
            parameters.setCipherSuites(ciphers);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
