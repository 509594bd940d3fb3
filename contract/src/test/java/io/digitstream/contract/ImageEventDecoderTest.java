package io.digitstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ImageEventDecoderTest {

    private final ImageEventDecoder decoder = new ImageEventDecoder(1024);

    @Test
    void imageBytesPassThroughWithTheGivenId() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};

        ImageEvent event = decoder.decode("id-1", png, null, null);

        assertThat(event.id()).isEqualTo("id-1");
        assertThat(event.image()).isEqualTo(png);
        assertThat(event.label()).isEmpty();
    }

    @Test
    void nullValueBecomesEmptyImage() throws Exception {
        assertThat(decoder.decode("id", null, null, null).image()).isEmpty();
    }

    @Test
    void labelHeaderIsParsed() throws Exception {
        assertThat(decoder.decode("id", new byte[784], utf8(" 4 "), null).label()).hasValue(4);
    }

    @Test
    void jsonEnvelopeGivesIdImageAndLabel() throws Exception {
        String json = "  {\"id\": 42, \"image\": \"" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})
                + "\", \"label\": \"7\"}";

        ImageEvent event = decoder.decode("key", utf8(json), null, null);

        assertThat(event.id()).isEqualTo("42");
        assertThat(event.image()).containsExactly(1, 2, 3);
        assertThat(event.label()).hasValue(7);
    }

    @Test
    void jsonWithoutIdKeepsTheGivenId() throws Exception {
        assertThat(decoder.decode("key", utf8("{\"image\":\"AQID\"}"), null, null).id()).isEqualTo("key");
    }

    @Test
    void base64MayBeWrappedOverLines() throws Exception {
        assertThat(decoder.decode("id", utf8("{\"image\":\"AQ\\r\\nID\"}"), null, null).image())
                .containsExactly(1, 2, 3);
    }

    @Test
    void strayCharacterInBase64IsBadJson() {
        assertRejected(DeadLetter.BAD_JSON, utf8("{\"image\":\"AQ*ID\"}"), null, null);
    }

    @Test
    void contentTypeOverridesSniffing() throws Exception {
        byte[] brace = utf8("{raw");

        assertThat(decoder.decode("id", brace, null, utf8("application/octet-stream")).image()).isEqualTo(brace);
    }

    @Test
    void jsonContentTypeForcesJson() {
        assertRejected(DeadLetter.BAD_JSON, utf8("plain text"), null, utf8("application/json"));
    }

    @Test
    void missingImageFieldIsBadJson() {
        assertRejected(DeadLetter.BAD_JSON, utf8("{\"id\":\"x\"}"), null, null);
    }

    @Test
    void nonObjectJsonIsBadJson() {
        assertRejected(DeadLetter.BAD_JSON, utf8("[1]"), null, utf8("application/json"));
    }

    @Test
    void oversizedJsonIsTooLarge() {
        String json = "{\"image\":\"" + "A".repeat(2000) + "\"}";
        assertRejected(DeadLetter.TOO_LARGE, utf8(json), null, null);
    }

    @Test
    void labelOutsideZeroToNineIsBadLabel() {
        assertRejected(DeadLetter.BAD_LABEL, utf8("{\"image\":\"AQID\",\"label\":-1}"), null, null);
    }

    @Test
    void fractionalLabelIsBadLabel() {
        assertRejected(DeadLetter.BAD_LABEL, utf8("{\"image\":\"AQID\",\"label\":7.5}"), null, null);
    }

    @Test
    void disagreeingLabelsAreBadLabel() {
        assertRejected(DeadLetter.BAD_LABEL, utf8("{\"image\":\"AQID\",\"label\":7}"), utf8("1"), null);
    }

    @Test
    void multiCharacterLabelHeaderIsBadLabel() {
        assertRejected(DeadLetter.BAD_LABEL, new byte[784], utf8("12"), null);
    }

    private void assertRejected(String reason, byte[] value, byte[] label, byte[] contentType) {
        assertThatThrownBy(() -> decoder.decode("id", value, label, contentType))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
