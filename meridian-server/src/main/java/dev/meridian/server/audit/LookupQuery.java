package dev.meridian.server.audit;

import java.time.Instant;

/**
 * A LookupEvents query, already validated: newest first, events with a sequence below {@code beforeSequence}.
 *
 * @param attribute the lookup attribute, or {@code null} for all events
 * @param start inclusive lower bound on the event time
 * @param end inclusive upper bound on the event time
 * @param beforeSequence continue below this sequence (pagination), or {@link Long#MAX_VALUE}
 * @param limit at most this many events
 */
public record LookupQuery(Attribute attribute, Instant start, Instant end, long beforeSequence, int limit) {

    /** CloudTrail's lookup attribute keys, and the column each filters. */
    public enum Key {
        EventId("event_id"),
        EventName("event_name"),
        ReadOnly("read_only"),
        Username("username"),
        ResourceType("resource_type"),
        ResourceName("resource_name"),
        EventSource("event_source"),
        AccessKeyId("access_key_id");

        private final String column;

        Key(String column) {
            this.column = column;
        }

        String column() {
            return column;
        }
    }

    /** One lookup attribute: key and exact value. */
    public record Attribute(Key key, String value) {}
}
