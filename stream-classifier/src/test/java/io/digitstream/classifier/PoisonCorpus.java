package io.digitstream.classifier;

import static io.digitstream.classifier.MnistTraffic.utf8;

import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.ImageHeaders;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Hostile records, each with the dead-letter reason it must end with. Every record carries a {@value #CASE_HEADER}
 * header naming it, which its dead letter keeps, so a test can account for each one whatever happened to its key.
 */
final class PoisonCorpus {

    static final String CASE_HEADER = "test.case";

    /** One hostile record and the reason its dead letter must give. */
    record Poison(String name, String reason, ProducerRecord<byte[], byte[]> record) {
    }

    private PoisonCorpus() {
    }

    /**
     * @param imagesTopic    where images go
     * @param labelsTopic    where labels go
     * @param nearLimitBytes size of the largest record, a value close to the input topic's limit
     */
    static List<Poison> all(String imagesTopic, String labelsTopic, byte[] digitPixels, int nearLimitBytes) {
        List<Poison> corpus = new ArrayList<>();
        String base64 = Base64.getEncoder().encodeToString(digitPixels);
        // a JSON event under a key of ~600 KB: its prediction would exceed max.request.size
        corpus.add(image(imagesTopic, "huge-key", DeadLetter.BAD_ID, "k".repeat(600_000),
                utf8("{\"image\":\"" + base64 + "\"}")));
        // control characters, which the prediction's JSON would escape six-fold
        corpus.add(image(imagesTopic, "control-key", DeadLetter.BAD_ID, "\u0001".repeat(175_000), digitPixels));
        corpus.add(imageWithKeyBytes(imagesTopic, "not-utf8-key", DeadLetter.BAD_ID,
                new byte[] {(byte) 0xC3, (byte) 0x28}, digitPixels));
        corpus.add(image(imagesTopic, "long-json-id", DeadLetter.BAD_ID, "ok",
                utf8("{\"id\":\"" + "\\u0007".repeat(50_000) + "\",\"image\":\"" + base64 + "\"}")));
        corpus.add(image(imagesTopic, "empty", "empty", "e", new byte[0]));
        corpus.add(image(imagesTopic, "text", "not-an-image", "t", utf8("hello, digits")));
        corpus.add(image(imagesTopic, "broken-png", "undecodable", "p",
                Arrays.copyOf(png(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY)), 40)));
        corpus.add(image(imagesTopic, "blank", "blank", "b",
                png(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY))));
        corpus.add(image(imagesTopic, "bad-json", DeadLetter.BAD_JSON, "j", utf8("{\"image\": 12")));
        ProducerRecord<byte[], byte[]> badLabel = new ProducerRecord<>(imagesTopic, null, utf8("l"), digitPixels,
                new RecordHeaders().add(ImageHeaders.LABEL, utf8("seven")));
        corpus.add(tagged("bad-label", DeadLetter.BAD_LABEL, badLabel));
        byte[] nineMegabytes = new byte[9 * 1024 * 1024];
        corpus.add(image(imagesTopic, "too-large", "too-large", "big", nineMegabytes));
        // a JSON envelope whose dead letter, with its headers added, is larger than the dead-letter topic takes
        byte[] nearLimit = new byte[nearLimitBytes];
        Arrays.fill(nearLimit, (byte) 'A');
        byte[] start = utf8("{\"image\":\"");
        System.arraycopy(start, 0, nearLimit, 0, start.length);
        corpus.add(image(imagesTopic, "near-limit", "too-large", "near", nearLimit));
        // labels: a label whose key is no event id, and a label that is no digit
        corpus.add(tagged("label-huge-key", DeadLetter.BAD_ID,
                new ProducerRecord<>(labelsTopic, utf8("k".repeat(300_000)), utf8("7"))));
        corpus.add(tagged("label-not-a-digit", DeadLetter.BAD_LABEL,
                new ProducerRecord<>(labelsTopic, utf8("some-id"), utf8("x"))));
        return corpus;
    }

    private static Poison image(String topic, String name, String reason, String key, byte[] value) {
        return imageWithKeyBytes(topic, name, reason, utf8(key), value);
    }

    private static Poison imageWithKeyBytes(String topic, String name, String reason, byte[] key, byte[] value) {
        return tagged(name, reason, new ProducerRecord<>(topic, key, value));
    }

    private static Poison tagged(String name, String reason, ProducerRecord<byte[], byte[]> record) {
        record.headers().add(CASE_HEADER, utf8(name));
        return new Poison(name, reason, record);
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
