package dev.meridian.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tamper-evidence of a trail: each event's hash covers its sequence number, its record and the previous
 * hash, so editing, deleting or reordering any event breaks every later link.
 */
public final class HashChain {
    /** The previous hash of the first event in a trail. */
    public static final String GENESIS = "0".repeat(64);

    private HashChain() {}

    /** SHA-256 over {@code prevHash}, {@code sequence} and {@code recordJson}, as lower-case hex. */
    public static String link(String prevHash, long sequence, String recordJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(recordJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
