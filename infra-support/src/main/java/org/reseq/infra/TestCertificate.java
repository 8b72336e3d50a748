package org.reseq.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate and its private key, made when a test starts, so that no key
 * material is kept in the repository and none ever expires. The JDK's {@code keytool} makes the
 * key pair (the JDK has no API that signs certificates); everything else uses {@link KeyStore}.
 *
 * <p>Files live in a temporary directory removed when the JVM exits. Immutable; thread-safe.
 */
public final class TestCertificate {

    /** The password of every key store and trust store made here. */
    public static final String PASSWORD = "test-only";

    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final String name;
    private final Path keyStore;
    private final Path certificatePem;
    private final X509Certificate certificate;

    private TestCertificate(String name, Path keyStore, Path certificatePem, X509Certificate certificate) {
        this.name = name;
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.certificate = certificate;
    }

    /**
     * Makes an EC key pair and a certificate for it, valid from now for two days.
     *
     * @param name the subject's common name and the key's alias
     * @param subjectAlternativeNames as {@code keytool} takes them, such as {@code dns:localhost}
     *        or {@code ip:127.0.0.1}; none for a certificate no host name verification accepts
     */
    public static TestCertificate selfSigned(String name, String... subjectAlternativeNames) {
        try {
            Path directory = temporaryDirectory();
            Path keyStore = deletedOnExit(directory.resolve(name + ".p12"));
            List<String> command = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", name,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2",
                    "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD));
            if (subjectAlternativeNames.length > 0) {
                command.add("-ext");
                command.add("SAN=" + String.join(",", subjectAlternativeNames));
            }
            run(command);
            X509Certificate certificate = (X509Certificate) load(keyStore).getCertificate(name);
            Path pem = deletedOnExit(directory.resolve(name + ".pem"));
            Files.writeString(pem, pem(certificate), StandardCharsets.US_ASCII);
            return new TestCertificate(name, keyStore, pem, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the key store keytool made", e);
        }
    }

    public String name() {
        return name;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A PKCS12 key store holding the private key and the certificate, under {@link #name()}. */
    public Path keyStore() {
        return keyStore;
    }

    /** The certificate alone, PEM-encoded. */
    public Path certificatePem() {
        return certificatePem;
    }

    /** A new PKCS12 trust store holding the given certificates as trusted entries, and nothing else. */
    public static Path trustStore(TestCertificate... trusted) {
        try {
            KeyStore store = trustedCertificates(trusted);
            Path file = deletedOnExit(temporaryDirectory().resolve("trust.p12"));
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write a trust store", e);
        }
    }

    /**
     * A TLS context presenting {@code identity} (none when null) and trusting exactly
     * {@code trusted} (the JDK's trust anchors when none are given).
     */
    public static SSLContext context(TestCertificate identity, TestCertificate... trusted) {
        try {
            KeyManagerFactory keys = null;
            if (identity != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(identity.keyStore), PASSWORD.toCharArray());
            }
            TrustManagerFactory trust = null;
            if (trusted.length > 0) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustedCertificates(trusted));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a TLS context", e);
        }
    }

    /**
     * The Spring Boot properties of an SSL bundle named {@code bundle}
     * ({@code spring.ssl.bundle.jks.<bundle>.*}) that presents {@code identity} (none when null)
     * and trusts exactly {@code trusted} (no trust store when none are given).
     */
    public static Map<String, String> jksBundle(String bundle, TestCertificate identity, TestCertificate... trusted) {
        String prefix = "spring.ssl.bundle.jks." + bundle + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        if (identity != null) {
            properties.put(prefix + "key.alias", identity.name);
            properties.put(prefix + "keystore.location", identity.keyStore.toUri().toString());
            properties.put(prefix + "keystore.password", PASSWORD);
            properties.put(prefix + "keystore.type", "PKCS12");
        }
        if (trusted.length > 0) {
            properties.put(prefix + "truststore.location", trustStore(trusted).toUri().toString());
            properties.put(prefix + "truststore.password", PASSWORD);
            properties.put(prefix + "truststore.type", "PKCS12");
        }
        return properties;
    }

    private static KeyStore trustedCertificates(TestCertificate... trusted) throws IOException,
            GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (TestCertificate certificate : trusted) {
            store.setCertificateEntry(certificate.name, certificate.certificate);
        }
        return store;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(X509Certificate certificate) throws GeneralSecurityException {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN CERTIFICATE-----\n" + encoder.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while keytool ran", e);
        } finally {
            process.destroy();
        }
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static Path temporaryDirectory() throws IOException {
        // Registered first, so deleted last: after the files in it.
        return deletedOnExit(Files.createTempDirectory("reseq-tls-" + UUID.randomUUID()));
    }

    private static Path deletedOnExit(Path path) {
        path.toFile().deleteOnExit();
        return path;
    }
}
