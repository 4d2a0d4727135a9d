package dev.meridian.server.config;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material: a PKCS#12 key store holding this side's key and certificate chain, and optionally a PEM CA
 * certificate that the other side's certificate must chain to (for a server: require client certificates, i.e.
 * mutual TLS; for a client: trust only that CA). {@link #toString()} never shows the password.
 *
 * @param keyStoreFile PKCS#12 file, or {@code null} (a client without a certificate)
 * @param keyStorePassword its password
 * @param caFile PEM CA certificate, or {@code null}
 */
public record TlsSettings(Path keyStoreFile, String keyStorePassword, Path caFile) {

    /** Key managers from the key store, or {@code null} without one. */
    public KeyManagerFactory keyManagers() {
        if (keyStoreFile == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            char[] password = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return kmf;
        } catch (Exception e) {
            throw new ConfigException("tls.keyStoreFile: " + keyStoreFile + " (cannot be read as PKCS#12 with the "
                    + "given password: " + e.getClass().getSimpleName() + ")");
        }
    }

    /** Trust managers for the CA, or {@code null} without one. */
    public TrustManagerFactory trustManagers() {
        if (caFile == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
            ts.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ts.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            return tmf;
        } catch (Exception e) {
            throw new ConfigException("tls.caFile: " + caFile + " (cannot be read as PEM certificates: "
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[keyStoreFile=" + keyStoreFile + ", keyStorePassword=<redacted>, caFile=" + caFile + "]";
    }
}
