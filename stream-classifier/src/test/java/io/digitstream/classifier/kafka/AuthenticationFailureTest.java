package io.digitstream.classifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.Test;

class AuthenticationFailureTest {

    @Test
    void aRefusedPasswordNamesSaslJaasConfig() {
        ExecutionException failure = new ExecutionException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                        + "SCRAM-SHA-512"));

        assertThat(AuthenticationFailure.explain(failure)).hasValueSatisfying(line -> assertThat(line)
                .contains("invalid credentials").contains("check the user name and password in sasl.jaas.config"));
    }

    @Test
    void anUntrustedCertificateNamesTheTrustStoreAndWhatTlsDisliked() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new IllegalStateException("unable to find valid certification path to requested target"));
        SslAuthenticationException failure = new SslAuthenticationException("SSL handshake failed", handshake);

        assertThat(AuthenticationFailure.explain(new ExecutionException(failure))).hasValueSatisfying(line ->
                assertThat(line).contains("unable to find valid certification path")
                        .contains("check ssl.truststore.location"));
    }

    @Test
    void aMechanismTheBrokerDoesNotOfferNamesSaslMechanism() {
        assertThat(AuthenticationFailure.explain(new UnsupportedSaslMechanismException("Client SASL mechanism "
                + "'PLAIN' not enabled in the server"))).hasValueSatisfying(line ->
                assertThat(line).contains("check sasl.mechanism").doesNotContain("sasl.jaas.config"));
    }

    @Test
    void otherFailuresAreNotAboutAuthentication() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second); // a cycle must not loop

        assertThat(AuthenticationFailure.explain(new ExecutionException(new TimeoutException("timed out")))).isEmpty();
        assertThat(AuthenticationFailure.explain(first)).isEmpty();
    }
}
