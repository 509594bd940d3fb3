package io.digitstream.classifier;

import ai.onnx.proto.OnnxMl;
import io.digitstream.core.model.CheckDigit;
import io.digitstream.core.model.ModelMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The real model file and variants of it for reload tests, made by editing its ONNX metadata_props. */
public final class ModelFiles {

    public static final Path MODEL = Path.of("../models/digits-cnn.onnx");

    private static final byte[] ORIGINAL = read(MODEL);
    private static final ModelMetadata METADATA = ModelMetadata.fromProperties(properties(parse(ORIGINAL)));

    private ModelFiles() {
    }

    public static byte[] original() {
        return ORIGINAL.clone();
    }

    public static ModelMetadata metadata() {
        return METADATA;
    }

    /** The same network, valid, whose metadata names {@code version}. */
    public static byte[] withVersion(String version) {
        return withProperty(ModelMetadata.KEY_MODEL_VERSION, version);
    }

    /** The same network claiming every check digit is the next digit, so it fails its self-check. */
    public static byte[] withWrongCheckLabels() {
        List<CheckDigit> wrong = METADATA.checkDigits().stream()
                .map(d -> new CheckDigit((d.label() + 1) % 10, d.pixels()))
                .toList();
        ModelMetadata m = METADATA;
        ModelMetadata broken = new ModelMetadata(m.modelVersion() + "-wrong-labels", m.hyperparameters(),
                m.validationAccuracy(), m.testAccuracy(), m.inputSpec(), m.preprocessing(), m.trainingDataSha256(),
                m.trainedAt(), wrong);
        return withProperties(broken.toProperties());
    }

    /** The first half of the file: what a reader sees of a file being written, and not a model ONNX can load. */
    public static byte[] truncated() {
        return Arrays.copyOf(ORIGINAL, ORIGINAL.length / 2);
    }

    /** Replaces {@code file} as a deployment should: written next to it, then renamed over it. */
    public static void replace(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "model", ".tmp");
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] withProperty(String key, String value) {
        Map<String, String> props = new LinkedHashMap<>(properties(parse(ORIGINAL)));
        props.put(key, value);
        return withProperties(props);
    }

    private static byte[] withProperties(Map<String, String> props) {
        OnnxMl.ModelProto.Builder model = parse(ORIGINAL).toBuilder().clearMetadataProps();
        props.forEach((k, v) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    private static Map<String, String> properties(OnnxMl.ModelProto model) {
        Map<String, String> props = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(p -> props.put(p.getKey(), p.getValue()));
        return props;
    }

    private static OnnxMl.ModelProto parse(byte[] bytes) {
        try {
            return OnnxMl.ModelProto.parseFrom(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
