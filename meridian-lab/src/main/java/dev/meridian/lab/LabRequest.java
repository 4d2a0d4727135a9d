package dev.meridian.lab;

/**
 * One request of a lab workload, generated before any run so every policy sees the same traffic.
 *
 * @param id position in arrival order
 * @param arrivalNanos when it reaches the gateway (virtual time)
 * @param source index into the workload's source regions
 * @param conversation the conversation it belongs to (its prompt prefix)
 * @param contextTokens the part of the input that earlier turns already sent (cacheable prefix)
 * @param inputTokens all input tokens: context plus the new message
 * @param outputTokens tokens the answer will have
 */
record LabRequest(
        int id,
        long arrivalNanos,
        int source,
        long conversation,
        int contextTokens,
        int inputTokens,
        int outputTokens) {}
