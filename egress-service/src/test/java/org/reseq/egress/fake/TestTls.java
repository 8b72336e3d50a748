package org.reseq.egress.fake;

import org.reseq.egress.delivery.DestinationTls;
import org.reseq.infra.TestCertificate;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;

/** Destination TLS for tests of a channel alone, made from an SSL bundle as egress makes it. */
public final class TestTls {

    private TestTls() {
    }

    /** TLS that trusts exactly {@code trusted} and presents no client certificate. */
    public static DestinationTls trusting(TestCertificate... trusted) {
        JksSslStoreDetails trustStore = new JksSslStoreDetails("PKCS12", null,
                TestCertificate.trustStore(trusted).toUri().toString(), TestCertificate.PASSWORD);
        SslBundle bundle = SslBundle.of(new JksSslStoreBundle(null, trustStore));
        return DestinationTls.of("destinations", new DefaultSslBundleRegistry("destinations", bundle));
    }
}
