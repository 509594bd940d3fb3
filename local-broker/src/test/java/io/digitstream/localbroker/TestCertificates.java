package io.digitstream.localbroker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for a broker on 127.0.0.1 made with the JDK's {@code keytool}: a PKCS12 key store for
 * the broker, and a PKCS12 trust store holding the certificate for its clients. Throw-away, valid for two days.
 *
 * @param keyStore   the broker's key and certificate (subject alternative names {@code IP:127.0.0.1} and
 *                   {@code DNS:localhost})
 * @param trustStore the certificate alone, what clients trust
 * @param password   of both stores and of the key
 */
public record TestCertificates(Path keyStore, Path trustStore, String password) {

    public static final String TYPE = "PKCS12";

    /** Writes {@code <name>-keystore.p12} and {@code <name>-truststore.p12} into {@code directory}. */
    public static TestCertificates create(Path directory, String name, String password) throws IOException {
        Path keyStore = directory.resolve(name + "-keystore.p12");
        Path certificate = directory.resolve(name + ".pem");
        Path trustStore = directory.resolve(name + "-truststore.p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost, O=digit-stream test " + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keyStore.toString(), "-storetype", TYPE, "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", name, "-file", certificate.toString(),
                "-keystore", keyStore.toString(), "-storetype", TYPE, "-storepass", password);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storetype", TYPE, "-storepass", password);
        return new TestCertificates(keyStore, trustStore, password);
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            // a guard against a hung tool, not a timing assertion
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running keytool " + args[0], e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed with " + process.exitValue() + ": " + output);
        }
    }
}
