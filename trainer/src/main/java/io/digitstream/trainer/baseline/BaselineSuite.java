package io.digitstream.trainer.baseline;

import io.digitstream.core.mnist.MnistDataset;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.common.nearest.KNNTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The classical models the Keras study compared its CNN with, trained with Tribuo on the same split:
 * k-nearest neighbours, a random forest of CART trees and a linear SVM. Each image becomes 784 features
 * (pixel / 255), the same scaling the CNN sees. Tribuo reads an absent feature as 0, so the forest and the SVM
 * get only the non-zero pixels (LibLinear trains 3x faster that way, same model); KNN gets every pixel because
 * Tribuo's distance code is fastest on dense vectors.
 */
public final class BaselineSuite {

    public static final String KNN = "knn";
    public static final String RANDOM_FOREST = "random-forest";
    public static final String LINEAR_SVM = "linear-svm";
    public static final List<String> NAMES = List.of(KNN, RANDOM_FOREST, LINEAR_SVM);

    private static final LabelFactory LABELS = new LabelFactory();
    // each tree is its own one-member bagging run, so Tribuo's "Building model 0" line says nothing new;
    // the progress consumer counts trees instead (held here so the level outlives garbage collection)
    private static final Logger BAGGING_LOG = Logger.getLogger(BaggingTrainer.class.getName());

    private final BaselineSettings settings;
    private final Consumer<String> progress;

    public BaselineSuite(BaselineSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the named baselines in the given order. */
    public List<BaselineResult> run(List<String> names, MnistDataset train, MnistDataset test) {
        for (String name : names) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown baseline '" + name + "', expected one of " + NAMES);
            }
        }
        List<BaselineResult> results = new ArrayList<>(names.size());
        for (String name : names) {
            results.add(run(name, train, test));
        }
        return results;
    }

    public BaselineResult run(String name, MnistDataset train, MnistDataset test) {
        return switch (name) {
            case KNN -> knn(train, test);
            case RANDOM_FOREST -> randomForest(train, test);
            case LINEAR_SVM -> linearSvm(train, test);
            default -> throw new IllegalArgumentException("unknown baseline '" + name + "', expected one of " + NAMES);
        };
    }

    private BaselineResult knn(MnistDataset train, MnistDataset test) {
        MnistDataset kept = subsample(train, settings.knnTrainingLimit(), settings.seed());
        KNNTrainer<Label> trainer = new KNNTrainer<>(settings.knnNeighbours(), new L2Distance(), settings.threads(),
                new VotingCombiner(), KNNModel.Backend.THREADPOOL, NeighboursQueryFactoryType.BRUTE_FORCE);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("k", Integer.toString(settings.knnNeighbours()));
        details.put("distance", "euclidean");
        details.put("trainingImages", Integer.toString(kept.size()));
        return evaluate(KNN, trainer::train, kept, test, true, details);
    }

    private BaselineResult randomForest(MnistDataset train, MnistDataset test) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("trees", Integer.toString(settings.forestTrees()));
        details.put("maxDepth", settings.forestMaxDepth() == Integer.MAX_VALUE
                ? "unlimited" : Integer.toString(settings.forestMaxDepth()));
        // sqrt(pixels) candidates per split, as scikit-learn's RandomForestClassifier does by default
        int featuresPerSplit = (int) Math.round(Math.sqrt(train.pixelsPerImage()));
        details.put("featuresPerSplit", Integer.toString(featuresPerSplit));
        details.put("trainingImages", Integer.toString(train.size()));
        return evaluate(RANDOM_FOREST, data -> trainForest(data, featuresPerSplit), train, test, false, details);
    }

    /**
     * Tribuo's bagging trains trees one after another; here each tree is its own one-member
     * {@link RandomForestTrainer} seeded {@code seed + i}, so the trees train on all threads and the forest
     * does not depend on the thread count.
     */
    private Model<Label> trainForest(Dataset<Label> data, int featuresPerSplit) {
        BAGGING_LOG.setLevel(Level.WARNING);
        // Tribuo takes a (rounded) fraction of the features it has seen, fewer than 784: corner pixels are always 0
        float featureFraction = Math.min(1f, (float) featuresPerSplit / data.getFeatureMap().size());
        int trees = settings.forestTrees();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.threads(), trees));
        try {
            List<Future<EnsembleModel<Label>>> futures = new ArrayList<>(trees);
            for (int i = 0; i < trees; i++) {
                long seed = settings.seed() + i;
                RandomForestTrainer<Label> oneTree = new RandomForestTrainer<>(
                        new CARTClassificationTrainer(settings.forestMaxDepth(), featureFraction, seed),
                        new FullyWeightedVotingCombiner(), 1, seed);
                futures.add(pool.submit(() -> oneTree.train(data)));
            }
            List<Model<Label>> members = new ArrayList<>(trees);
            for (Future<EnsembleModel<Label>> future : futures) {
                members.addAll(future.get().getModels());
                if (members.size() % 10 == 0 || members.size() == trees) {
                    progress.accept(RANDOM_FOREST + ": " + members.size() + " of " + trees + " trees");
                }
            }
            return trees == 1 ? members.get(0) : WeightedEnsembleModel.createEnsembleFromExistingModels(
                    RANDOM_FOREST, members, new FullyWeightedVotingCombiner());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training the forest", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("training a tree failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private BaselineResult linearSvm(MnistDataset train, MnistDataset test) {
        LibLinearClassificationTrainer trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_L2LOSS_SVC_DUAL),
                settings.svmCost(), 1000, 0.1, settings.seed());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("solver", "L2R_L2LOSS_SVC_DUAL (one-vs-rest)");
        details.put("C", Double.toString(settings.svmCost()));
        details.put("trainingImages", Integer.toString(train.size()));
        return evaluate(LINEAR_SVM, trainer::train, train, test, false, details);
    }

    private BaselineResult evaluate(String name, Function<Dataset<Label>, Model<Label>> fit, MnistDataset train,
                                    MnistDataset test, boolean dense, Map<String, String> details) {
        Dataset<Label> trainData = toTribuo(train, "train", dense);
        Dataset<Label> testData = toTribuo(test, "test", dense);
        progress.accept(name + ": training on " + train.size() + " images");
        long start = System.nanoTime();
        Model<Label> model = fit.apply(trainData);
        double trainSeconds = secondsSince(start);

        progress.accept(String.format(Locale.ROOT, "%s: trained in %.1f s, predicting %d images",
                name, trainSeconds, test.size()));
        start = System.nanoTime();
        List<Prediction<Label>> predictions = model.predict(testData);
        double predictSeconds = secondsSince(start);

        int correct = 0;
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.get(i).getOutput().getLabel().equals(Integer.toString(test.label(i)))) {
                correct++;
            }
        }
        double accuracy = (double) correct / test.size();
        progress.accept(String.format(Locale.ROOT, "%s: accuracy %.4f (predicted in %.1f s)",
                name, accuracy, predictSeconds));
        return new BaselineResult(name, accuracy, trainSeconds, predictSeconds, details);
    }

    /** One example per image, features named {@code p000..p783}; {@code dense} keeps the zero pixels too. */
    static Dataset<Label> toTribuo(MnistDataset data, String split, boolean dense) {
        int pixels = data.pixelsPerImage();
        String[] allNames = new String[pixels];
        for (int p = 0; p < pixels; p++) {
            allNames[p] = String.format(Locale.ROOT, "p%03d", p);
        }
        MutableDataset<Label> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("mnist-" + split, LABELS), LABELS);
        String[] names = new String[pixels];
        double[] values = new double[pixels];
        for (int i = 0; i < data.size(); i++) {
            float[] image = data.normalizedImage(i);
            int count = 0;
            for (int p = 0; p < pixels; p++) {
                if (dense || image[p] != 0) {
                    names[count] = allNames[p];
                    values[count++] = image[p];
                }
            }
            if (count == 0) {
                // Tribuo refuses an example without features: a blank image keeps one explicit zero
                names[count] = allNames[0];
                values[count++] = 0;
            }
            Label label = new Label(Integer.toString(data.label(i)));
            dataset.add(new ArrayExample<>(label, Arrays.copyOf(names, count), Arrays.copyOf(values, count)));
        }
        return dataset;
    }

    private static MnistDataset subsample(MnistDataset data, int limit, long seed) {
        if (limit == 0 || limit >= data.size()) {
            return data;
        }
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = 0; i < limit; i++) {
            int j = i + random.nextInt(order.length - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return data.select(Arrays.copyOf(order, limit));
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
