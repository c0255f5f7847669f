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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The ml domain's plugin: trains a softmax logistic-regression classifier on a CSV data set with a
 * deterministic held-out split, and retrains on a schedule or when the file changes. A retrained
 * model is deployed only when its held-out accuracy is at least that of the deployed model on the
 * same split. By default it trains on the Iris data set shipped in its jar ({@code iris.csv}; see
 * {@code iris-NOTICE.md} for provenance and licence).
 *
 * <p>Config ({@code plugins.ml.*}): {@code data} (a CSV file; default the shipped Iris),
 * {@code holdoutEvery} ({@code 5}), {@code epochs} ({@code 300}), {@code learningRate}
 * ({@code 0.5}), {@code l2} ({@code 0.001}), {@code retrainEvery} ({@code 15s}), {@code interval}
 * ({@code 5s}). See {@code docs/plugins.md}.
 */
public final class MlPlugin implements DomainPlugin {

    static final Kpi MODEL_ACCURACY = Kpi.builder("model_accuracy", Kpi.Unit.RATIO).healthBearing()
            .description("Held-out accuracy of the deployed model, measured after each training").build();
    static final Kpi TRAINING_TIME = Kpi.builder("training_time", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Elapsed time of one training, from the monotonic timer").build();
    static final Kpi INFERENCE_LATENCY = Kpi.builder("inference_latency", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Seconds per prediction over the held-out set, for the deployed model").build();
    static final Kpi DEPLOYMENT_SUCCESS = Kpi.builder("deployment_success", Kpi.Unit.RATIO)
            .description("Retrains whose model passed the accuracy gate / retrains, since start").build();
    static final Kpi AUTO_RETRAIN_TRIGGERS = Kpi.builder("auto_retrain_triggers", Kpi.Unit.COUNT)
            .description("Retrains one check triggered (the schedule came due or the data file changed): 0 or 1").build();

    static final String SHIPPED = "iris.csv";

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.ml");

    private Optional<Path> file;
    private int holdoutEvery;
    private int epochs;
    private double learningRate;
    private double l2;
    private Duration retrainEvery;
    private Clock clock;
    private MetricPublisher publisher;

    private LogisticRegression deployed;
    private FileTime lastModified;
    private Instant lastTrained;
    private int retrains;
    private int passed;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("ml").domain("ml").version("0.1.0").apiRange("[0.1,1)")
                .description("Trains a classifier with a held-out split and gates retrained models on accuracy").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(MODEL_ACCURACY, TRAINING_TIME, INFERENCE_LATENCY, DEPLOYMENT_SUCCESS, AUTO_RETRAIN_TRIGGERS);
    }

    @Override
    public void start(PluginContext context) {
        file = context.config().string("data").map(p -> Path.of(p).toAbsolutePath().normalize());
        holdoutEvery = context.config().integer("holdoutEvery", 5);
        if (holdoutEvery < 2) {
            throw new IllegalArgumentException("plugins.ml.holdoutEvery: must be at least 2, got " + holdoutEvery);
        }
        epochs = context.config().integer("epochs", 300);
        if (epochs < 1) {
            throw new IllegalArgumentException("plugins.ml.epochs: must be at least 1, got " + epochs);
        }
        learningRate = context.config().number("learningRate", 0.5);
        if (learningRate <= 0) {
            throw new IllegalArgumentException("plugins.ml.learningRate: must be positive, got " + learningRate);
        }
        l2 = context.config().number("l2", 0.001);
        if (l2 < 0) {
            throw new IllegalArgumentException("plugins.ml.l2: must not be negative, got " + l2);
        }
        retrainEvery = context.config().duration("retrainEvery", Duration.ofSeconds(15));
        clock = context.clock();
        publisher = context.publisher();
        // Read and split the data now, so a missing or malformed file fails start with its cause.
        Dataset.Split split = load();
        if (split.test().size() == 0 || split.train().size() == 0) {
            throw new IllegalArgumentException("plugins.ml.data: " + origin() + " has " + split.train().size()
                    + " training and " + split.test().size() + " held-out rows; both must be non-empty");
        }
        Duration interval = context.config().duration("interval", Duration.ofSeconds(5));
        context.scheduler().scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String origin() {
        return file.map(Path::toString).orElse(SHIPPED + " (shipped)");
    }

    private Dataset.Split load() {
        String csv;
        try {
            if (file.isPresent()) {
                lastModified = Files.getLastModifiedTime(file.get());
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
            return Dataset.parse(csv, origin()).split(holdoutEvery);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("plugins.ml.data: " + e.getMessage(), e);
        }
    }

    /** Trains the first model, or retrains when the file changed or the schedule came due. */
    private void check() {
        if (deployed == null) {
            train(false);
            return;
        }
        boolean changed = file.isPresent() && fileChanged();
        boolean due = !Duration.between(lastTrained, clock.instant()).minus(retrainEvery).isNegative();
        publisher.record(AUTO_RETRAIN_TRIGGERS, changed || due ? 1 : 0);
        if (changed || due) {
            train(true);
        }
    }

    private boolean fileChanged() {
        try {
            return !Files.getLastModifiedTime(file.get()).equals(lastModified);
        } catch (IOException e) {
            return true; // gone or unreadable: the retrain reports why
        }
    }

    private void train(boolean retrain) {
        lastTrained = clock.instant();
        Dataset.Split split;
        try {
            split = load();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            if (retrain) {
                retrains++;
                publisher.record(DEPLOYMENT_SUCCESS, (double) passed / retrains);
            }
            LOG.warn("retrain skipped, the deployed model stays: {}", e.getMessage());
            return;
        }
        long started = System.nanoTime();
        LogisticRegression candidate = LogisticRegression.train(split.train(), epochs, learningRate, l2);
        publisher.record(TRAINING_TIME, (System.nanoTime() - started) / 1e9);
        LogisticRegression.Evaluation candidateEval = candidate.evaluate(split.test());

        if (!retrain) {
            deployed = candidate;
            publishDeployed(candidateEval);
            return;
        }
        retrains++;
        // The gate compares both models on the same, current held-out rows. A model that cannot read
        // the new data's columns scores 0 there.
        LogisticRegression.Evaluation current = deployed.reads(split.test()) ? deployed.evaluate(split.test()) : null;
        double currentAccuracy = current == null ? 0 : current.accuracy();
        if (candidateEval.accuracy() >= currentAccuracy) {
            passed++;
            deployed = candidate;
            publishDeployed(candidateEval);
        } else {
            LOG.info("retrained model kept out of service: held-out accuracy {} < the deployed model's {}",
                    candidateEval.accuracy(), currentAccuracy);
            publishDeployed(current);
        }
        publisher.record(DEPLOYMENT_SUCCESS, (double) passed / retrains);
    }

    private void publishDeployed(LogisticRegression.Evaluation evaluation) {
        publisher.record(MODEL_ACCURACY, evaluation.accuracy());
        publisher.record(INFERENCE_LATENCY, evaluation.secondsPerPrediction());
    }
}
