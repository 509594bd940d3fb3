package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which stage a sampled stack is charged to, on stacks written as a stream thread of the classifier has them. */
class StageRulesTest {

    /** The frames every stream thread sample has below its work: the thread's loop. */
    private static final String[] STREAM_THREAD = {
        "org.apache.kafka.streams.processor.internals.StreamTask.process",
        "org.apache.kafka.streams.processor.internals.TaskExecutor.processTask",
        "org.apache.kafka.streams.processor.internals.StreamThread.runOnce",
        "org.apache.kafka.streams.processor.internals.StreamThread.run"};

    /** A stack given top frame first as {@code Type.method} names, then the stream thread's loop. */
    private static List<SampledFrame> stack(String... topFirst) {
        List<SampledFrame> frames = new ArrayList<>();
        for (String name : topFirst) {
            frames.add(frame(name));
        }
        for (String name : STREAM_THREAD) {
            frames.add(frame(name));
        }
        return frames;
    }

    private static SampledFrame frame(String qualified) {
        int dot = qualified.lastIndexOf('.');
        return new SampledFrame(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    @Test
    void theModelsNativeCallIsTheModel() {
        assertThat(StageRules.stageOf(stack("ai.onnxruntime.OrtSession.run",
                "io.digitstream.core.model.OnnxDigitModel.predict",
                "io.digitstream.classifier.OnnxDigitClassifier.classify",
                "io.digitstream.classifier.ClassifyProcessor.process"))).isEqualTo(ProfileStage.MODEL);
    }

    @Test
    void jdkCodeIsChargedToTheStageThatCalledIt() {
        // a HashMap lookup inside the producer is produce; the same lookup inside a store is the store's
        assertThat(StageRules.stageOf(stack("java.util.HashMap.getNode",
                "org.apache.kafka.clients.producer.internals.RecordAccumulator.append",
                "org.apache.kafka.clients.producer.KafkaProducer.send",
                "org.apache.kafka.streams.processor.internals.RecordCollectorImpl.send",
                "org.apache.kafka.streams.processor.internals.SinkNode.process"))).isEqualTo(ProfileStage.PRODUCE);
        assertThat(StageRules.stageOf(stack("java.util.HashMap.getNode",
                "org.apache.kafka.streams.state.internals.CachingKeyValueStore.put",
                "io.digitstream.classifier.AccuracyDeltaCounter.process"))).isEqualTo(ProfileStage.STATE_STORES);
    }

    @Test
    void theInnermostStageWinsOverTheStagesThatCalledIt() {
        // the prediction serialized to JSON by the record collector before the producer sees it
        assertThat(StageRules.stageOf(stack("com.fasterxml.jackson.core.json.UTF8JsonGenerator.writeString",
                "com.fasterxml.jackson.databind.ObjectMapper.writeValueAsBytes",
                "io.digitstream.contract.EventJson.write",
                "io.digitstream.classifier.kafka.PredictionSerde.serialize",
                "org.apache.kafka.streams.processor.internals.RecordCollectorImpl.send"))).isEqualTo(ProfileStage.JSON);
        // RocksDB's native put under a changelogging store
        assertThat(StageRules.stageOf(stack("org.rocksdb.RocksDB.put",
                "org.apache.kafka.streams.state.internals.RocksDBStore.put",
                "org.apache.kafka.streams.state.internals.ChangeLoggingKeyValueBytesStore.put")))
                .isEqualTo(ProfileStage.STATE_STORES);
        // the changelog record itself goes out through the producer
        assertThat(StageRules.stageOf(stack("org.apache.kafka.clients.producer.KafkaProducer.doSend",
                "org.apache.kafka.streams.processor.internals.RecordCollectorImpl.send",
                "org.apache.kafka.streams.processor.internals.ProcessorContextImpl.logChange",
                "org.apache.kafka.streams.state.internals.ChangeLoggingKeyValueBytesStore.log")))
                .isEqualTo(ProfileStage.PRODUCE);
    }

    @Test
    void aTransactionInsideTheProducerIsACommit() {
        assertThat(StageRules.stageOf(stack("java.util.HashMap.put",
                "org.apache.kafka.clients.producer.internals.TransactionManager.maybeAddPartition",
                "org.apache.kafka.clients.producer.KafkaProducer.doSend",
                "org.apache.kafka.streams.processor.internals.RecordCollectorImpl.send")))
                .isEqualTo(ProfileStage.COMMITS);
        assertThat(StageRules.stageOf(stack("org.apache.kafka.common.requests.TxnOffsetCommitRequest.data",
                "org.apache.kafka.clients.producer.KafkaProducer.sendOffsetsToTransaction",
                "org.apache.kafka.streams.processor.internals.StreamsProducer.commitTransaction",
                "org.apache.kafka.streams.processor.internals.TaskManager.commitOffsetsOrTransaction")))
                .isEqualTo(ProfileStage.COMMITS);
        // a plain send is not
        assertThat(StageRules.stageOf(stack("org.apache.kafka.clients.producer.KafkaProducer.doSend",
                "org.apache.kafka.streams.processor.internals.StreamsProducer.send")))
                .isEqualTo(ProfileStage.PRODUCE);
    }

    @Test
    void decodingPreprocessingAndTheProcessorsOwnCodeAreApart() {
        assertThat(StageRules.stageOf(stack("io.digitstream.contract.ImageEventDecoder.decode",
                "io.digitstream.classifier.ClassifyProcessor.process"))).isEqualTo(ProfileStage.DECODE);
        assertThat(StageRules.stageOf(stack("javax.imageio.ImageIO.read",
                "io.digitstream.core.image.DigitPreprocessor.preprocess",
                "io.digitstream.classifier.ClassifyProcessor.process"))).isEqualTo(ProfileStage.DECODE);
        assertThat(StageRules.stageOf(stack("io.digitstream.core.image.DigitInkBox.find",
                "io.digitstream.core.image.DigitPreprocessor.preprocess",
                "io.digitstream.classifier.ClassifyProcessor.process"))).isEqualTo(ProfileStage.PREPROCESS);
        assertThat(StageRules.stageOf(stack("java.lang.String.<init>",
                "io.digitstream.classifier.ClassifyProcessor.process"))).isEqualTo(ProfileStage.TOPOLOGY);
    }

    @Test
    void pollingMetricsAndTheStreamThreadsOwnLoopAreStagesToo() {
        assertThat(StageRules.stageOf(stack("org.apache.kafka.common.network.Selector.poll",
                "org.apache.kafka.clients.NetworkClient.poll",
                "org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer.poll",
                "org.apache.kafka.clients.consumer.KafkaConsumer.poll",
                "org.apache.kafka.streams.processor.internals.StreamThread.pollRequests")))
                .isEqualTo(ProfileStage.CONSUME);
        assertThat(StageRules.stageOf(stack("org.apache.kafka.common.metrics.Sensor.record",
                "org.apache.kafka.streams.processor.internals.ProcessorNode.process")))
                .isEqualTo(ProfileStage.METRICS);
        assertThat(StageRules.stageOf(stack("java.util.ArrayDeque.poll",
                "org.apache.kafka.streams.processor.internals.RecordQueue.poll")))
                .isEqualTo(ProfileStage.STREAMS_RUNTIME);
    }

    @Test
    void aStackNoRuleNamesIsOtherKafkaWorkOrOtherJava() {
        assertThat(StageRules.stageOf(List.of(frame("sun.nio.ch.EPoll.wait"),
                frame("org.apache.kafka.common.network.Selector.poll"),
                frame("org.apache.kafka.clients.NetworkClient.poll"),
                frame("org.apache.kafka.clients.admin.KafkaAdminClient$AdminClientRunnable.run"),
                frame("java.lang.Thread.run")))).isEqualTo(ProfileStage.KAFKA_OTHER);
        assertThat(StageRules.stageOf(List.of(frame("java.lang.Thread.run")))).isEqualTo(ProfileStage.OTHER);
        assertThat(StageRules.stageOf(List.of())).isEqualTo(ProfileStage.OTHER);
    }

    @Test
    void aThreadWaitingInEpollIsNotComputing() {
        assertThat(StageRules.isWaiting(frame("sun.nio.ch.EPoll.wait"))).isTrue();
        assertThat(StageRules.isWaiting(frame("ai.onnxruntime.OrtSession.run"))).isFalse();
        assertThat(StageRules.isWaiting(frame("sun.nio.ch.SocketDispatcher.write0"))).isFalse();
    }

    @Test
    void unsampledThreadsAreChargedByTheirNames() {
        assertThat(StageRules.stageOfUnsampledThread("C2 CompilerThread0")).isEqualTo(ProfileStage.JIT);
        assertThat(StageRules.stageOfUnsampledThread("Sweeper thread")).isEqualTo(ProfileStage.JIT);
        assertThat(StageRules.stageOfUnsampledThread("JFR Recorder Thread")).isEqualTo(ProfileStage.PROFILER);
        assertThat(StageRules.stageOfUnsampledThread("Notification Thread")).isEqualTo(ProfileStage.GC_AND_VM);
        assertThat(StageRules.stageOfUnsampledThread("kafka-coordinator-heartbeat-thread | bench-model-eos"))
                .isEqualTo(ProfileStage.CONSUME);
        assertThat(StageRules.stageOfUnsampledThread("kafka-producer-network-thread | app-StreamThread-1-producer"))
                .isEqualTo(ProfileStage.PRODUCE);
        assertThat(StageRules.stageOfUnsampledThread("app-1ef4-StreamThread-2"))
                .isEqualTo(ProfileStage.STREAMS_RUNTIME);
        assertThat(StageRules.stageOfUnsampledThread("metrics-http-1")).isEqualTo(ProfileStage.METRICS);
        assertThat(StageRules.stageOfUnsampledThread("process reaper")).isEqualTo(ProfileStage.OTHER);
    }
}
