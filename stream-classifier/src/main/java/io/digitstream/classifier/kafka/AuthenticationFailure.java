package io.digitstream.classifier.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * A Kafka client's failure to authenticate, found anywhere in a cause chain, said in one line that names the
 * setting to fix. Kafka clients fail at once on these (no retry until a timeout), and their messages name no
 * secret; the line quotes only them.
 */
public final class AuthenticationFailure {

    private static final int MAX_CAUSES = 32;

    private AuthenticationFailure() {
    }

    /** What went wrong and which client setting to check, or empty when {@code failure} is not about authentication. */
    public static Optional<String> explain(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (t instanceof SslAuthenticationException) {
                return Optional.of("the TLS handshake failed (" + deepestMessage(t) + "): check "
                        + "ssl.truststore.location (it must hold the broker's certificate or the CA that signed it)");
            }
            if (t instanceof UnsupportedSaslMechanismException) {
                return Optional.of("the broker does not offer this SASL mechanism (" + t.getMessage() + "): check "
                        + "sasl.mechanism");
            }
            if (t instanceof SaslAuthenticationException || t instanceof AuthenticationException) {
                return Optional.of("the broker refused the login (" + t.getMessage() + "): check the user name and "
                        + "password in sasl.jaas.config, and sasl.mechanism");
            }
        }
        return Optional.empty();
    }

    /** The root cause says what TLS disliked ("unable to find valid certification path", "No subject alternative names"). */
    private static String deepestMessage(Throwable failure) {
        String message = failure.getMessage();
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message;
    }
}
