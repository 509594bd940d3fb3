package io.digitstream.benchmarks;

/** One frame of a sampled stack: the declaring class's binary name ({@code a.b.Outer$Inner}) and the method's name. */
record SampledFrame(String type, String method) {

    /** {@code type.method}, the package included: how the report names a hot method. */
    String qualifiedName() {
        return type + "." + method;
    }
}
