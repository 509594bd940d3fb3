package io.digitstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The names in this module are the ones docs/contract.md gives users: a rename on either side fails here. */
class ContractDocumentTest {

    private static String contract;

    @BeforeAll
    static void read() throws IOException {
        contract = Files.readString(Path.of("../docs/contract.md"));
    }

    @Test
    void everyTopicHasItsSectionAndEverySectionItsTopic() throws IllegalAccessException {
        Matcher heading = Pattern.compile("(?m)^## [^`\\n]+: `(digits\\.[a-z]+)`$").matcher(contract);
        List<String> documented = new ArrayList<>();
        while (heading.find()) {
            documented.add(heading.group(1));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(constants(Topics.class));
    }

    @Test
    void theImageHeadersAreTheDocumentedOnes() {
        assertThat(contract).contains("- **Headers** (optional): `" + ImageHeaders.LABEL + "`, the ground-truth digit")
                .contains("; `" + ImageHeaders.CONTENT_TYPE + "`.");
    }

    private static List<String> constants(Class<?> type) throws IllegalAccessException {
        List<String> values = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class) {
                values.add((String) f.get(null));
            }
        }
        return values;
    }
}
