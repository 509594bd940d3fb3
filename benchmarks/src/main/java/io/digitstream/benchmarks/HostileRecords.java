package io.digitstream.benchmarks;

import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.DigitShape;
import io.digitstream.contract.ImageHeaders;
import io.digitstream.core.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The hostile records seen in the field (the classifier's poison corpus test, as main code for the soak), each with
 * the dead-letter reason it must end with. Every record carries {@value #SEQUENCE_HEADER}, a number unique within
 * the run, which its dead letter keeps: the soak accounts for each one whatever happened to its key.
 */
final class HostileRecords {

    static final String SEQUENCE_HEADER = "soak.hostile";
    /** Kinds up to this size go whenever their turn comes; larger ones only while the byte budget allows. */
    static final int SMALL_BYTES = 64 * 1024;

    /** Where a kind of record goes. */
    enum Target { IMAGES, LABELS }

    /** One kind of hostile record: its name, the reason its dead letter must give, and its key plus value size. */
    record Kind(String name, String reason, Target target, int bytes) {

        boolean small() {
            return bytes <= SMALL_BYTES;
        }
    }

    /** A kind and its bytes; a null key means {@code hostile-<sequence>}. */
    private record Template(Kind kind, byte[] key, byte[] value, String labelHeader) {
    }

    private final String imagesTopic;
    private final String labelsTopic;
    private final List<Template> templates = new ArrayList<>();

    /** @param digitPixels one MNIST image as 784 raw bytes, for the kinds whose image is fine and the rest is not */
    HostileRecords(String imagesTopic, String labelsTopic, byte[] digitPixels) {
        this.imagesTopic = Objects.requireNonNull(imagesTopic, "imagesTopic");
        this.labelsTopic = Objects.requireNonNull(labelsTopic, "labelsTopic");
        byte[] blankPng = png(new BufferedImage(DigitShape.SIDE, DigitShape.SIDE, BufferedImage.TYPE_BYTE_GRAY));
        String base64 = Base64.getEncoder().encodeToString(digitPixels);
        // small ones first, then the large ones by size
        image("empty", Reason.EMPTY.code(), null, new byte[0]);
        image("text", Reason.NOT_AN_IMAGE.code(), null, utf8("hello, digits"));
        image("truncated-png", Reason.UNDECODABLE.code(), null, Arrays.copyOf(blankPng, 40));
        image("blank-png", Reason.BLANK.code(), null, blankPng);
        image("bad-json", DeadLetter.BAD_JSON, null, utf8("{\"image\": 12"));
        add(new Kind("bad-label-header", DeadLetter.BAD_LABEL, Target.IMAGES, size(null, digitPixels)), null,
                digitPixels, "seven");
        image("non-utf8-key", DeadLetter.BAD_ID, new byte[] {(byte) 0xC3, (byte) 0x28}, digitPixels);
        label("label-not-a-digit", DeadLetter.BAD_LABEL, null, utf8("x"));
        // control characters, which the prediction's JSON would escape six-fold
        image("control-char-key", DeadLetter.BAD_ID, utf8("\u0001".repeat(175_000)), digitPixels);
        image("long-json-id", DeadLetter.BAD_ID, null,
                utf8("{\"id\":\"" + "\\u0007".repeat(50_000) + "\",\"image\":\"" + base64 + "\"}"));
        label("label-huge-key", DeadLetter.BAD_ID, utf8("k".repeat(300_000)), utf8("7"));
        // a JSON event under a key of ~600 KB: its prediction would exceed max.request.size
        image("huge-key", DeadLetter.BAD_ID, utf8("k".repeat(600_000)),
                utf8("{\"image\":\"" + base64 + "\"}"));
        // larger than the classifier's image limit (8 MiB), smaller than the record limit its topics take
        image("too-large", Reason.TOO_LARGE.code(), null, new byte[9 * 1024 * 1024]);
    }

    private void image(String name, String reason, byte[] key, byte[] value) {
        add(new Kind(name, reason, Target.IMAGES, size(key, value)), key, value, null);
    }

    private void label(String name, String reason, byte[] key, byte[] value) {
        add(new Kind(name, reason, Target.LABELS, size(key, value)), key, value, null);
    }

    private void add(Kind kind, byte[] key, byte[] value, String labelHeader) {
        templates.add(new Template(kind, key, value, labelHeader));
    }

    private static int size(byte[] key, byte[] value) {
        // a generated key is "hostile-" and a number
        return (key == null ? 16 : key.length) + value.length;
    }

    /** Every kind, small ones first. */
    List<Kind> kinds() {
        return templates.stream().map(Template::kind).toList();
    }

    /** The record of {@code kind} with sequence number {@code sequence}; its bytes are shared, never changed. */
    ProducerRecord<byte[], byte[]> record(Kind kind, long sequence) {
        Template t = templates.stream().filter(x -> x.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a kind of this corpus: " + kind));
        RecordHeaders headers = new RecordHeaders();
        headers.add(SEQUENCE_HEADER, utf8(Long.toString(sequence)));
        if (t.labelHeader() != null) {
            headers.add(ImageHeaders.LABEL, utf8(t.labelHeader()));
        }
        byte[] key = t.key() != null ? t.key() : utf8("hostile-" + sequence);
        String topic = kind.target() == Target.IMAGES ? imagesTopic : labelsTopic;
        return new ProducerRecord<>(topic, null, key, t.value(), headers);
    }

    /**
     * Which kind goes next. The large kinds take turns, each as soon as the byte budget has saved up its size (so
     * the 9 MiB one waits 36 s at 256 KiB/s, and over time they send exactly the budget); every other slot goes to
     * the small kinds in turn, whose few bytes are not counted.
     */
    static final class Mix {

        private final List<Kind> small;
        private final List<Kind> large;
        private final double bytesPerNano;
        /** Savings never exceed the largest kind (or a second of budget): a quiet spell is no burst. */
        private final double maxCredit;
        private double credit;
        private long lastNanos;
        private int nextSmall;
        private int nextLarge;

        Mix(List<Kind> kinds, long bytesPerSecond) {
            small = kinds.stream().filter(Kind::small).toList();
            large = kinds.stream().filter(k -> !k.small()).toList();
            if (small.isEmpty()) {
                throw new IllegalArgumentException("the mix needs at least one small kind");
            }
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException("the byte budget must be positive: " + bytesPerSecond);
            }
            bytesPerNano = bytesPerSecond / 1e9;
            maxCredit = Math.max(bytesPerSecond, large.stream().mapToInt(Kind::bytes).max().orElse(0));
        }

        /** @param nanos time since the start, from any clock that never goes back */
        Kind next(long nanos) {
            credit = Math.min(maxCredit, credit + (nanos - lastNanos) * bytesPerNano);
            lastNanos = nanos;
            if (!large.isEmpty() && credit >= large.get(nextLarge).bytes()) {
                Kind kind = large.get(nextLarge);
                nextLarge = (nextLarge + 1) % large.size();
                credit -= kind.bytes();
                return kind;
            }
            Kind kind = small.get(nextSmall);
            nextSmall = (nextSmall + 1) % small.size();
            return kind;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
