package io.digitstream.trainer.baseline;

/**
 * Settings of the classical baselines.
 *
 * @param seed             seeds the forest's bagging and feature sampling, LibLinear and the KNN subsample
 * @param threads          threads for KNN prediction and for growing the forest's trees (LibLinear uses one)
 * @param knnNeighbours    k of k-nearest neighbours
 * @param knnTrainingLimit how many training images KNN keeps (seeded subsample; 0 = all): brute-force KNN costs
 *                         train x test distance computations
 * @param forestTrees      trees in the random forest
 * @param forestMaxDepth   depth limit of each tree ({@link Integer#MAX_VALUE} = grow until pure)
 * @param svmCost          LibLinear's C for the L2-regularised L2-loss linear SVM
 */
public record BaselineSettings(long seed, int threads, int knnNeighbours, int knnTrainingLimit, int forestTrees,
                               int forestMaxDepth, double svmCost) {

    public BaselineSettings {
        if (threads < 1 || knnNeighbours < 1 || knnTrainingLimit < 0 || forestTrees < 1 || forestMaxDepth < 1) {
            throw new IllegalArgumentException("counts must be positive (knnTrainingLimit may be 0): " + this);
        }
        if (!(svmCost > 0)) {
            throw new IllegalArgumentException("svmCost must be positive: " + svmCost);
        }
    }

    public static BaselineSettings defaults() {
        return new BaselineSettings(42, Runtime.getRuntime().availableProcessors(), 3, 0, 100,
                Integer.MAX_VALUE, 1.0);
    }

    public BaselineSettings withSeed(long value) {
        return new BaselineSettings(value, threads, knnNeighbours, knnTrainingLimit, forestTrees, forestMaxDepth, svmCost);
    }

    public BaselineSettings withKnnTrainingLimit(int value) {
        return new BaselineSettings(seed, threads, knnNeighbours, value, forestTrees, forestMaxDepth, svmCost);
    }

    public BaselineSettings withForestTrees(int value) {
        return new BaselineSettings(seed, threads, knnNeighbours, knnTrainingLimit, value, forestMaxDepth, svmCost);
    }
}
