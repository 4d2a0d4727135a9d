package dev.meridian.server.audit;

/**
 * An audit event in its region's hash chain.
 *
 * @param sequence 1, 2, 3, ... without gaps
 * @param entry the event
 * @param prevHash the previous event's hash ({@link HashChain#GENESIS} for the first)
 * @param hash {@link HashChain#link} of the above
 */
public record ChainedEntry(long sequence, AuditEntry entry, String prevHash, String hash) {}
