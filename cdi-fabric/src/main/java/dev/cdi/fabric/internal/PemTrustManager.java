package dev.cdi.fabric.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A trust manager that trusts the certificates of one PEM file and nothing else, for Microsoft's driver under
 * {@code encrypt=true}: the driver loads it by name ({@code trustManagerClass}) with the file's path as the
 * constructor's argument ({@code trustManagerConstructorArg}). The chain is checked as usual (PKIX), only against
 * these anchors; nothing JVM-wide changes. Not API.
 *
 * <p>Immutable and thread-safe.
 */
public final class PemTrustManager implements X509TrustManager {
    private final X509TrustManager delegate;

    /**
     * Trusts the certificates of a PEM file.
     *
     * @param pemFile the file's path
     * @throws GeneralSecurityException when the file holds no certificate
     * @throws IOException when it cannot be read
     */
    public PemTrustManager(String pemFile) throws GeneralSecurityException, IOException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int index = 0;
        try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
            for (java.security.cert.Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)) {
                anchors.setCertificateEntry("trusted-" + index++, certificate);
            }
        }
        if (index == 0) {
            throw new CertificateException("No certificate in " + pemFile);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        X509TrustManager found = null;
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                found = x509;
            }
        }
        if (found == null) {
            throw new CertificateException("No X.509 trust manager");
        }
        this.delegate = found;
    }

    /**
     * Refuses: this trust manager checks servers only.
     *
     * @param chain the client's chain
     * @param authType the key exchange algorithm
     * @throws CertificateException always
     */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not checked here");
    }

    /**
     * Checks the server's chain against the file's certificates.
     *
     * @param chain the server's chain
     * @param authType the key exchange algorithm
     * @throws CertificateException when the chain does not lead to one of them
     */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    /**
     * The trusted certificates.
     *
     * @return the file's certificates
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
