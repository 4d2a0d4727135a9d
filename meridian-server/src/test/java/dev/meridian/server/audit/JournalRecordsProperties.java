package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * The journal's record layout: what is written reads back the same, any bytes at all read back as a (possibly
 * empty) chain without an exception, and a chain cut or damaged anywhere reads back as its intact prefix.
 */
class JournalRecordsProperties {

    static List<ChainedEntry> chain(List<String> texts) {
        return chain(texts, "id-");
    }

    /** A chain of events whose records carry their ids (as CloudTrail records do), so equal texts hash apart. */
    static List<ChainedEntry> chain(List<String> texts, String idPrefix) {
        List<ChainedEntry> out = new ArrayList<>();
        String prev = HashChain.GENESIS;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            AuditEntry e = new AuditEntry(
                    Instant.ofEpochMilli(1_700_000_000_000L + i),
                    idPrefix + i,
                    "Converse",
                    "bedrock.amazonaws.com",
                    i % 2 == 0 ? null : "alice " + text,
                    i % 3 == 0 ? null : "AKIA" + i,
                    i % 2 == 0,
                    i % 4 == 0 ? null : "AWS::Bedrock::Model",
                    i % 5 == 0 ? null : text,
                    "{\"id\":\"" + idPrefix + i + "\",\"note\":\"" + text + "\"}");
            String hash = HashChain.link(prev, i + 1, e.recordJson());
            out.add(new ChainedEntry(i + 1, e, prev, hash));
            prev = hash;
        }
        return out;
    }

    static ByteBuffer encode(List<ChainedEntry> chain, int zeroTail) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        chain.forEach(e -> JournalRecords.encode(e, bytes));
        bytes.writeBytes(new byte[zeroTail]);
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    static List<ChainedEntry> decode(ByteBuffer bytes) {
        return JournalRecords.decodeChain(bytes).stream()
                .map(JournalRecords.Decoded::entry)
                .toList();
    }

    @Property(tries = 200)
    void encoded_decodes_toTheSameChain(
            @ForAll @Size(max = 8) List<@StringLength(max = 300) String> texts, @ForAll @IntRange(max = 64) int zeros) {
        List<ChainedEntry> chain = chain(texts);
        assertThat(decode(encode(chain, zeros))).containsExactlyElementsOf(chain);
    }

    @Property(tries = 500)
    void anyBytes_decode_withoutThrowing(@ForAll @Size(max = 2048) byte[] bytes) {
        assertThat(decode(ByteBuffer.wrap(bytes))).isNotNull();
    }

    @Property(tries = 300)
    void damagedOrCut_decodes_toAnIntactPrefix(
            @ForAll @Size(min = 1, max = 6) List<@StringLength(max = 100) String> texts,
            @ForAll @IntRange(max = 100_000) int where,
            @ForAll boolean cut) {
        List<ChainedEntry> chain = chain(texts);
        byte[] bytes = encode(chain, 0).array();
        int at = where % bytes.length;
        if (cut) {
            bytes = java.util.Arrays.copyOf(bytes, at);
        } else {
            bytes[at] ^= 0x5a;
        }
        List<ChainedEntry> read = decode(ByteBuffer.wrap(bytes));
        assertThat(read.size()).isLessThan(chain.size());
        assertThat(read).containsExactlyElementsOf(chain.subList(0, read.size()));
    }

    @Property(tries = 100)
    void olderRecordsAfterTheChain_areNotRead(
            @ForAll @Size(min = 2, max = 6) List<@StringLength(max = 50) String> texts) {
        List<ChainedEntry> older = chain(texts);
        // the same length as the older first record, so the older second one starts right after it
        List<ChainedEntry> newer = chain(texts, "ix-").subList(0, 1);
        ByteBuffer oldBytes = encode(older, 0);
        ByteBuffer newBytes = encode(newer, 0);
        oldBytes.put(0, newBytes, 0, newBytes.limit()); // a reused segment: a newer record over the older ones
        List<ChainedEntry> read = decode(oldBytes);
        assertThat(read).containsExactly(newer.getFirst());
    }
}
