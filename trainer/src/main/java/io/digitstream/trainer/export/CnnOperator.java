package io.digitstream.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * The opset-13 operators a {@link io.digitstream.trainer.model.DigitCnn} needs beyond Tribuo's built-in
 * {@link ONNXOperators} (which supplies Gemm and Softmax). Only the attributes the exporter sets are declared.
 */
enum CnnOperator implements ONNXOperator {
    /** Data and a 1-D int64 target shape. */
    RESHAPE("Reshape", 2, 0),
    /** Data, weight {@code [out, in, k, k]} and an optional bias. */
    CONV("Conv", 2, 1,
            new ONNXAttribute("kernel_shape", AttributeType.INTS, true),
            new ONNXAttribute("pads", AttributeType.INTS, true),
            new ONNXAttribute("strides", AttributeType.INTS, true)),
    /** Inference form: data, scale, bias, running mean, running variance. */
    BATCH_NORMALIZATION("BatchNormalization", 5, 0,
            new ONNXAttribute("epsilon", AttributeType.FLOAT, true)),
    RELU("Relu", 1, 0),
    MAX_POOL("MaxPool", 1, 0,
            new ONNXAttribute("kernel_shape", AttributeType.INTS, true),
            new ONNXAttribute("strides", AttributeType.INTS, true)),
    FLATTEN("Flatten", 1, 0,
            new ONNXAttribute("axis", AttributeType.INT, true));

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes = new LinkedHashMap<>();

    CnnOperator(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        for (ONNXAttribute attribute : attributes) {
            this.attributes.put(attribute.getName(), attribute);
        }
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.keySet();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    /** The default ONNX domain, which node protos express by leaving the domain unset. */
    @Override
    public String getOpDomain() {
        return null;
    }
}
