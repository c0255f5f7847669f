package dev.grace.plugins.ml;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The ml domain's plugin: data arrives in batches re-sampled from a base data set (by default the
 * Iris data set shipped in its jar; see {@code iris-NOTICE.md}) with a configurable drift of the
 * feature means ({@link BatchStream}). Each check one batch arrives; the deployed model is scored on
 * the batch's held-out slice, the batch's features are compared with the deployed model's training
 * data, and when that drift is over a threshold a candidate is trained on the recent batches and
 * deployed only when it beats the deployed model on the newest held-out slice by a margin.
 *
 * <p>Config ({@code plugins.ml.*}): {@code data}, {@code batchSize} ({@code 100}), {@code holdoutEvery}
 * ({@code 5}), {@code drift} ({@code 0.02}), {@code labelNoise} ({@code 0}), {@code seed} ({@code 1}),
 * {@code trainBatches} ({@code 3}), {@code driftThreshold} ({@code 0.5}), {@code gateMargin}
 * ({@code 0.05}), {@code epochs} ({@code 300}), {@code learningRate} ({@code 0.5}), {@code l2}
 * ({@code 0.001}), {@code interval} ({@code 5s}). See {@code docs/plugins.md}.
 */
public final class MlPlugin implements DomainPlugin {

    /** One series per model version deployed ({@code model_version} = v1, v2, ...); the total is every batch. */
    static final Kpi MODEL_ACCURACY = Kpi.builder("model_accuracy", Kpi.Unit.RATIO).healthBearing()
            .attribute("model_version")
            .description("Accuracy of the model in service on the newest batch's held-out slice, in the series of"
                    + " its version").build();
    static final Kpi TRAINING_TIME = Kpi.builder("training_time", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Elapsed time of one training, from the monotonic timer").build();
    static final Kpi INFERENCE_LATENCY = Kpi.builder("inference_latency", Kpi.Unit.SECONDS).lowerIsBetter()
            .attribute("model_version")
            .description("Seconds per prediction over the newest held-out slice, for the model in service, in the"
                    + " series of its version").build();
    static final Kpi DEPLOYMENT_SUCCESS = Kpi.builder("deployment_success", Kpi.Unit.RATIO)
            .description("Retrained candidates that beat the deployed model by the margin / retrains, since start").build();
    static final Kpi AUTO_RETRAIN_TRIGGERS = Kpi.builder("auto_retrain_triggers", Kpi.Unit.COUNT)
            .description("Retrains the measured data drift triggered at one batch: 0 or 1").build();
    static final Kpi DATA_DRIFT = Kpi.builder("data_drift", Kpi.Unit.SCORE).range(0, Double.MAX_VALUE).lowerIsBetter()
            .description("Largest feature-mean shift of the newest batch from the deployed model's training data,"
                    + " in its standard deviations").build();

    static final String SHIPPED = "iris.csv";

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.ml");

    private Optional<Path> file;
    private int trainBatches;
    private double driftThreshold;
    private double gateMargin;
    private int epochs;
    private double learningRate;
    private double l2;
    private MetricPublisher publisher;
    private BatchStream stream;

    private final Deque<Dataset> recent = new ArrayDeque<>();
    private int batch;
    private LogisticRegression deployed;
    /** The deployed model's version: 1 for the first, one more for each candidate the gate admits. */
    private int version;
    /** {@link #MODEL_ACCURACY}'s and {@link #INFERENCE_LATENCY}'s series of the deployed version, bound at deployment. */
    private Kpi.Series servingAccuracy;
    private Kpi.Series servingLatency;
    private Dataset reference;
    private int retrains;
    private int passed;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("ml").domain("ml").version("0.2.0").apiRange("[0.1,1)")
                .description("Learns from drifting batches; retrains on measured drift behind an accuracy gate").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(MODEL_ACCURACY, TRAINING_TIME, INFERENCE_LATENCY, DEPLOYMENT_SUCCESS, AUTO_RETRAIN_TRIGGERS,
                DATA_DRIFT);
    }

    @Override
    public void start(PluginContext context) {
        file = context.config().string("data").map(p -> Path.of(p).toAbsolutePath().normalize());
        int holdoutEvery = context.config().integer("holdoutEvery", 5);
        require(holdoutEvery >= 2, "holdoutEvery", "must be at least 2", holdoutEvery);
        int batchSize = context.config().integer("batchSize", 100);
        require(batchSize >= 2 * holdoutEvery, "batchSize", "must be at least 2 * holdoutEvery (" + 2 * holdoutEvery + ")",
                batchSize);
        double drift = context.config().number("drift", 0.02);
        double labelNoise = context.config().number("labelNoise", 0);
        require(labelNoise >= 0 && labelNoise <= 1, "labelNoise", "must be between 0 and 1", labelNoise);
        long seed = context.config().integer("seed", 1);
        trainBatches = context.config().integer("trainBatches", 3);
        require(trainBatches >= 1, "trainBatches", "must be at least 1", trainBatches);
        driftThreshold = context.config().number("driftThreshold", 0.5);
        require(driftThreshold >= 0, "driftThreshold", "must not be negative", driftThreshold);
        gateMargin = context.config().number("gateMargin", 0.05);
        require(gateMargin > 0, "gateMargin", "must be positive (a candidate must beat the deployed model)", gateMargin);
        epochs = context.config().integer("epochs", 300);
        require(epochs >= 1, "epochs", "must be at least 1", epochs);
        learningRate = context.config().number("learningRate", 0.5);
        require(learningRate > 0, "learningRate", "must be positive", learningRate);
        l2 = context.config().number("l2", 0.001);
        require(l2 >= 0, "l2", "must not be negative", l2);
        publisher = context.publisher();
        // Read the base data now, so a missing or malformed file fails start with its cause.
        stream = new BatchStream(load(), batchSize, holdoutEvery, drift, labelNoise, seed);
        Duration interval = context.config().duration("interval", Duration.ofSeconds(5));
        context.scheduler().scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void require(boolean ok, String key, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("plugins.ml." + key + ": " + rule + ", got " + value);
        }
    }

    private String origin() {
        return file.map(Path::toString).orElse(SHIPPED + " (shipped)");
    }

    private Dataset load() {
        String csv;
        try {
            if (file.isPresent()) {
                csv = Files.readString(file.get());
            } else {
                try (InputStream in = MlPlugin.class.getResourceAsStream(SHIPPED)) {
                    if (in == null) {
                        throw new IllegalStateException("the ml plugin's jar lacks its data set " + SHIPPED);
                    }
                    csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("plugins.ml.data: cannot read " + origin() + ": " + e, e);
        }
        try {
            return Dataset.parse(csv, origin());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("plugins.ml.data: " + e.getMessage(), e);
        }
    }

    /** One batch arrives: score the model in service on it, measure drift, retrain when it is over the threshold. */
    private void check() {
        Dataset.Split newest = stream.batch(batch++);
        recent.addLast(newest.train());
        while (recent.size() > trainBatches) {
            recent.removeFirst();
        }
        if (deployed == null) {
            Dataset first = Dataset.concat(List.copyOf(recent));
            deploy(train(first));
            reference = first;
            publishServing(deployed.evaluate(newest.test()));
            return;
        }
        // Scored before any retrain: how the model in service did on data it has not seen.
        LogisticRegression.Evaluation serving = deployed.evaluate(newest.test());
        publishServing(serving);
        double drift = Dataset.meanShift(reference, Dataset.concat(List.of(newest.train(), newest.test())));
        publisher.record(DATA_DRIFT, drift);
        boolean triggered = drift > driftThreshold;
        publisher.record(AUTO_RETRAIN_TRIGGERS, triggered ? 1 : 0);
        if (!triggered) {
            return;
        }
        retrains++;
        Dataset window = Dataset.concat(List.copyOf(recent));
        LogisticRegression candidate = train(window);
        LogisticRegression.Evaluation judged = candidate.evaluate(newest.test());
        if (admits(judged, serving, gateMargin)) {
            passed++;
            deploy(candidate);
            reference = window;
        } else {
            LOG.info("candidate kept out of service: {} of {} right on the newest held-out slice, the deployed model {}"
                    + " (it must beat it by {})", judged.correct(), judged.samples(), serving.correct(), gateMargin);
        }
        publisher.record(DEPLOYMENT_SUCCESS, (double) passed / retrains);
    }

    /** The gate: the candidate's accuracy must exceed the deployed model's by at least {@code margin}. */
    static boolean admits(LogisticRegression.Evaluation candidate, LogisticRegression.Evaluation deployed, double margin) {
        return candidate.accuracy() - deployed.accuracy() >= margin - 1e-9;
    }

    private LogisticRegression train(Dataset data) {
        long started = System.nanoTime();
        LogisticRegression model = LogisticRegression.train(data, epochs, learningRate, l2);
        publisher.record(TRAINING_TIME, (System.nanoTime() - started) / 1e9);
        return model;
    }

    /**
     * Puts a model in service under the next version and binds its series. Past the KPIs' series
     * bound (200 versions in one run) new versions go to the overflow series, counted as such.
     */
    private void deploy(LogisticRegression model) {
        deployed = model;
        version++;
        servingAccuracy = publisher.series(MODEL_ACCURACY, "model_version", "v" + version);
        servingLatency = publisher.series(INFERENCE_LATENCY, "model_version", "v" + version);
    }

    private void publishServing(LogisticRegression.Evaluation evaluation) {
        servingAccuracy.record(evaluation.accuracy());
        servingLatency.record(evaluation.secondsPerPrediction());
    }
}
