package io.digitstream.trainer.report;

import io.digitstream.trainer.baseline.BaselineSuite;

import java.util.List;

/**
 * A test accuracy published by the Keras study this project reproduces; {@code counterpart} names what measures
 * the same kind of model here: {@link #CNN} or a {@link BaselineSuite} baseline.
 */
public record StudyFigure(String model, double accuracy, String counterpart) {

    public static final String CNN = "cnn";

    public static final List<StudyFigure> KERAS_STUDY = List.of(
            new StudyFigure("CNN tuned with Keras Tuner", 0.9880, CNN),
            new StudyFigure("SVM", 0.971, BaselineSuite.LINEAR_SVM),
            new StudyFigure("KNN", 0.968, BaselineSuite.KNN),
            new StudyFigure("Random forest", 0.9658, BaselineSuite.RANDOM_FOREST));
}
