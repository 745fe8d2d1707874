package io.prorch.examples.kafka;

import java.util.List;

/** The example's topics, named as in seed 003 where it names them. */
public final class Topics {
    /** Security detections, keyed by detection id. */
    public static final String DETECTIONS = "message_stream";
    /** Unit events (Example 3), keyed by event id. */
    public static final String UNIT_EVENTS = "unit_stream";
    /** Commands to the Security Service. */
    public static final String SECURITY = "sec_command";
    /** Commands to the Notification Service. */
    public static final String NOTIFICATION = "notification_command";
    /** Commands to the Reporting Service. */
    public static final String REPORTING = "report_data";
    /** Commands to the Unit Service (Example 3). */
    public static final String UNIT = "unit_command";
    /** Where the services reply to the security orchestrator. */
    public static final String SECURITY_REPLIES = "orchestrator_replies";
    /** Where the services reply to the unit-event orchestrator, when the workflows are segmented. */
    public static final String UNIT_REPLIES = "unit_orchestrator_replies";
    /** Messages that could not be read. */
    public static final String DEAD_LETTERS = "message_stream.dead";

    private Topics() {
    }

    /** @return every topic of the example */
    public static List<String> all() {
        return List.of(DETECTIONS, UNIT_EVENTS, SECURITY, NOTIFICATION, REPORTING, UNIT, SECURITY_REPLIES,
                UNIT_REPLIES, DEAD_LETTERS);
    }
}
