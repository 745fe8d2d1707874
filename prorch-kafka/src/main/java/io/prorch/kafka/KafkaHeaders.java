package io.prorch.kafka;

import io.prorch.kafka.internal.DeadLetters;

/**
 * The names of the headers prorch-kafka writes. Values are UTF-8 text. A command carries {@link #PIPELINE_ID},
 * {@link #STEP}, {@link #IDEMPOTENCY_KEY} and, when it expects a reply, {@link #REPLY_TOPIC}; a reply carries the
 * first three back. A dead letter carries {@link #DEAD_LETTER_REASON} and where the message came from.
 */
public final class KafkaHeaders {
    /** The id of the pipeline a command comes from, or a reply is for. */
    public static final String PIPELINE_ID = "prorch-pipeline-id";
    /** The name of the step that sent the command. */
    public static final String STEP = "prorch-step";
    /**
     * The same on every send of one command (a re-send after a crash included): services drop a command whose key
     * they have seen, and replies carry it back so that a repeated reply is stored once.
     */
    public static final String IDEMPOTENCY_KEY = "prorch-idempotency-key";
    /** The topic a service sends its reply to; absent on one-way commands. */
    public static final String REPLY_TOPIC = "prorch-reply-topic";
    /** Why a message was put on the dead-letter topic. */
    public static final String DEAD_LETTER_REASON = DeadLetters.REASON;
    /** The topic a dead letter was read from. */
    public static final String ORIGINAL_TOPIC = DeadLetters.ORIGINAL_TOPIC;
    /** The partition a dead letter was read from. */
    public static final String ORIGINAL_PARTITION = DeadLetters.ORIGINAL_PARTITION;
    /** The offset a dead letter was read at. */
    public static final String ORIGINAL_OFFSET = DeadLetters.ORIGINAL_OFFSET;

    private KafkaHeaders() {
    }
}
