package io.bucketmap.examples.risk;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The topology's one processor, fed by both inputs: parses each record, sends malformed ones to the dead-letter sink
 * at once, and hands valid ones to the task's {@link Arrivals}, which pass them to the {@link RiskRules} in the
 * configured clock's order. One processor for both inputs keeps one task's state (pending events, the input order,
 * the clock) in one object. Per record: one parse and what the arrivals and rules cost. Stream thread only.
 *
 * <p>A record with the header {@value RiskTopology#CLOCK_HEADER} (any key and value) is a clock record: it only says
 * that its input will send nothing stamped earlier, moving that input's time in event time without an outcome. A
 * producer that may fall silent sends one to each partition now and then, so its silence does not hold the other input
 * back until the idle fallback. Wall-clock deadlines ignore clock records.
 */
final class RiskProcessor implements Processor<byte[], byte[], Object, Object> {

    private final RiskTopologyConfig config;
    private ProcessorContext<Object, Object> context;
    private Arrivals arrivals;

    RiskProcessor(RiskTopologyConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        RiskRules rules = new RiskRules(config, context, config.variant().open(context));
        this.arrivals = Arrivals.open(config.expiryClock(), context, config.punctuationInterval(), rules);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata()
            .orElseThrow(() -> new IllegalStateException("a record from an input topic has metadata"));
        boolean isEvent = metadata.topic().equals(config.topics().events());
        if (record.headers().lastHeader(RiskTopology.CLOCK_HEADER) != null) {
            arrivals.clock(isEvent ? InputKind.EVENT : InputKind.DECISION, record.timestamp());
            return;
        }
        try {
            String id = RiskInput.eventId(record.key());
            if (isEvent) {
                arrivals.event(id, RiskInput.event(record.value()), record.value(), record.timestamp(),
                    metadata.offset());
            } else {
                arrivals.decision(id, RiskInput.decision(record.value()), record.value(), record.timestamp(),
                    metadata.offset());
            }
        } catch (MalformedInputException e) {
            DeadLetters.send(context, record, e.getMessage());
        }
    }
}
