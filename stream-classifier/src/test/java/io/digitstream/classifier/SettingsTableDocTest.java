package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/operations.md is {@link ClassifierConfig#configDef()} written as Markdown, as Kafka's
 * {@code ConfigDef.toEnrichedRst()} writes its own docs. With {@value #REWRITE} set, the test writes the table into
 * the doc instead of failing.
 */
class SettingsTableDocTest {

    static final String REWRITE = "digits.docs.rewrite";
    private static final Path DOC = Path.of("..", "docs", "operations.md");
    private static final String BEGIN = "<!-- generated from ClassifierConfig.configDef() by SettingsTableDocTest -->\n";
    private static final String END = "<!-- end of the generated table -->";

    @Test
    void operationsDocListsEverySettingAsTheCodeDefinesIt() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("the table's markers in " + DOC).isNotNegative().isLessThan(end);
        String table = markdown(ClassifierConfig.configDef());
        if (Boolean.getBoolean(REWRITE)) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + table + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }

        assertThat(doc.substring(begin + BEGIN.length(), end)).as("docs/operations.md's settings table differs from "
                + "ClassifierConfig.configDef(); rewrite it with ./mvnw -o -q test -pl stream-classifier "
                + "-Dtest=SettingsTableDocTest -D" + REWRITE + "=true").isEqualTo(table);
    }

    @Test
    void theTableHasARowPerSettingWithItsDefaultAndValidValues() {
        String table = markdown(ClassifierConfig.configDef());

        assertThat(table.lines()).hasSize(2 + ClassifierConfig.configDef().names().size());
        assertThat(table).contains("| `topic.partitions` | int | `3` | [1,...] | medium | ")
                .contains("| `admin.token` | password | empty | ")
                .contains("| `streams.num.stream.threads` | int | the cores the JVM sees | [1,...] | medium | ");
    }

    /** One row per setting, in the order of definition. */
    static String markdown(ConfigDef def) {
        StringBuilder md = new StringBuilder("| key | type | default | valid values | importance | meaning |\n"
                + "| --- | --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            md.append("| `").append(key.name).append("` | ").append(lowerCase(key.type)).append(" | ")
                    .append(cell(shownDefault(key))).append(" | ")
                    .append(cell(key.validator == null ? "" : key.validator.toString())).append(" | ")
                    .append(lowerCase(key.importance)).append(" | ").append(cell(key.documentation)).append(" |\n");
        }
        return md.toString();
    }

    private static String shownDefault(ConfigDef.ConfigKey key) {
        if (key.alternativeString != null) {
            return key.alternativeString;
        }
        if (key.defaultValue instanceof Password password) {
            return password.value().isEmpty() ? "empty" : Password.HIDDEN;
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text.isEmpty() ? "empty" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
