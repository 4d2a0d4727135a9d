package dev.meridian.server.surface.bedrock;

/**
 * The Bedrock runtime's operations, each with its path segment, its CloudTrail event name and whether its answer
 * is written whole. One list, so the runtime service, its exchange type and the audit trail cannot disagree about
 * which operations exist.
 */
public enum RuntimeOperation {
    CONVERSE("converse", "Converse", true),
    CONVERSE_STREAM("converse-stream", "ConverseStream", false),
    INVOKE_MODEL("invoke", "InvokeModel", true),
    INVOKE_MODEL_WITH_RESPONSE_STREAM("invoke-with-response-stream", "InvokeModelWithResponseStream", false),
    COUNT_TOKENS("count-tokens", "CountTokens", true);

    private final String segment;
    private final String eventName;
    private final boolean answeredWhole;

    RuntimeOperation(String segment, String eventName, boolean answeredWhole) {
        this.segment = segment;
        this.eventName = eventName;
        this.answeredWhole = answeredWhole;
    }

    /** The operation whose path segment is {@code segment} (e.g. {@code converse-stream}), or {@code null}. */
    public static RuntimeOperation ofSegment(String segment) {
        for (RuntimeOperation op : values()) {
            if (op.segment.equals(segment)) {
                return op;
            }
        }
        return null;
    }

    /** The operation's name in CloudTrail events and the model invocation log, e.g. {@code ConverseStream}. */
    public String eventName() {
        return eventName;
    }

    /** Whether the answer is one body (Converse, InvokeModel) rather than an event stream. */
    public boolean answeredWhole() {
        return answeredWhole;
    }
}
