package io.ably.itest.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for the testkit's TLS listener, made by the JDK's own {@code keytool}
 * (so no crypto library is needed): an EC P-256 key for {@code localhost} and the listening
 * addresses, valid for ten years.
 */
public final class SelfSignedCertificate {
  private final KeyStore keyStore;
  private final char[] password;
  private final X509Certificate certificate;

  private SelfSignedCertificate(KeyStore keyStore, char[] password, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = certificate;
  }

  /**
   * Generates a certificate whose subject alternative names are {@code localhost} and the hosts.
   *
   * @param hosts IP addresses or names the server listens on
   * @return the certificate and its key
   * @throws IOException if keytool cannot be run or fails
   * @throws InterruptedException if interrupted while keytool runs
   */
  public static SelfSignedCertificate generate(List<String> hosts)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("ably-testkit-tls");
    Path store = dir.resolve("testkit.p12");
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    String pass = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    StringBuilder san = new StringBuilder("SAN=dns:localhost");
    for (String h : hosts) {
      san.append(h.matches("[0-9.]+|.*:.*") ? ",ip:" : ",dns:").append(h);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(
        List.of(
            "-genkeypair", "-alias", "testkit", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=localhost, O=Ably testkit", "-ext", san.toString(), "-validity", "3650",
            "-storetype", "PKCS12", "-keystore", store.toString(),
            "-storepass", pass, "-keypass", pass));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "keytool failed: " + new String(output, StandardCharsets.UTF_8).strip());
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, pass.toCharArray());
      }
      X509Certificate cert = (X509Certificate) ks.getCertificate("testkit");
      return new SelfSignedCertificate(ks, pass.toCharArray(), cert);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the generated key store", e);
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(store);
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Returns the key store holding the key and certificate (alias {@code testkit}).
   *
   * @return the key store
   */
  public KeyStore keyStore() {
    return keyStore;
  }

  /**
   * Returns the key store password.
   *
   * @return a copy of the password
   */
  public char[] password() {
    return password.clone();
  }

  /**
   * Returns the certificate clients must trust.
   *
   * @return the certificate
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Returns the certificate in PEM form.
   *
   * @return PEM text
   * @throws GeneralSecurityException if the certificate cannot be encoded
   */
  public String certificatePem() throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
