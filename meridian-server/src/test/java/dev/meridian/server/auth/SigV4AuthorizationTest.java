package dev.meridian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;

/**
 * The SigV4 header parser and date reader against the regular expression and formatter they replaced (kept here as
 * oracles): the same headers accepted with the same parts, the same dates read the same, the same refused.
 */
class SigV4AuthorizationTest {
    /** The pattern {@link SigV4Verifier} used before {@link SigV4Authorization}. */
    private static final Pattern ORACLE = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request\\s*,\\s*"
                    + "SignedHeaders=([a-z0-9;_.:-]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String SIGNATURE = "a".repeat(32) + "0123456789abcdef0123456789abcdef";

    @Test
    void theAwsSdksHeader_isSplitIntoItsParts() {
        SigV4Authorization a = SigV4Authorization.parse("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261126/eu-central-1"
                + "/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + SIGNATURE);

        assertThat(a)
                .isEqualTo(new SigV4Authorization(
                        "AKIAEXAMPLE",
                        "20261126",
                        "eu-central-1",
                        "bedrock",
                        "content-type;host;x-amz-date",
                        SIGNATURE));
    }

    @Test
    void aShortSignatureOrAnUpperCaseRegion_isRefused() {
        String base = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261126/%s/bedrock/aws4_request,"
                + " SignedHeaders=host, Signature=%s";

        assertThat(SigV4Authorization.parse(base.formatted("eu-central-1", SIGNATURE.substring(1))))
                .isNull();
        assertThat(SigV4Authorization.parse(base.formatted("EU-central-1", SIGNATURE)))
                .isNull();
        assertThat(SigV4Authorization.parse("")).isNull();
        assertThat(SigV4Authorization.parse(null)).isNull();
    }

    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void acceptsExactlyWhatThePatternAccepted(@ForAll("headers") String header) {
        Matcher m = ORACLE.matcher(header);
        SigV4Authorization parsed = SigV4Authorization.parse(header);
        Statistics.label("accepted by the pattern").collect(m.matches());
        Statistics.label("accepted by the pattern").coverage(c -> {
            c.check(true).percentage(p -> p >= 10); // the generator reaches both sides of the boundary
            c.check(false).percentage(p -> p >= 10);
        });

        if (m.matches()) {
            assertThat(parsed)
                    .isEqualTo(new SigV4Authorization(
                            m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
        } else {
            assertThat(parsed).as(header).isNull();
        }
    }

    @Property(tries = 3000)
    void readsDatesAsTheFormatterDid(@ForAll("amzDates") String date) {
        Instant expected;
        try {
            expected = Instant.from(AMZ_DATE.parse(date));
        } catch (RuntimeException refused) {
            assertThatThrownBy(() -> SigV4Verifier.parseAmzDate(date)).isInstanceOf(refused.getClass());
            return;
        }
        assertThat(SigV4Verifier.parseAmzDate(date)).as(date).isEqualTo(expected);
    }

    /**
     * Headers in the form from parts mostly in their alphabet (one in ten out of it: empty, too long, a character
     * outside), then one in three with a character inserted or deleted somewhere.
     */
    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> leading =
                mostly(Arbitraries.of(" ", "  ", "\t", "\u000B"), Arbitraries.of("", "\u00A0", "x"));
        Arbitrary<String> space = mostly(Arbitraries.of("", " ", "\t ", "\r\n"), Arbitraries.of("\u00A0", ";"));
        Arbitrary<String> key = mostly(
                chars("AKIZ09a_+", 1, 12),
                Arbitraries.strings().withChars("AKIZ09a/, ").ofMaxLength(12));
        Arbitrary<String> date = mostly(chars("0123456789", 8, 8), chars("0123456789x", 7, 9));
        Arbitrary<String> scope = mostly(
                chars("abz09-", 1, 12),
                Arbitraries.strings().withChars("abz09-_A/").ofMaxLength(12));
        Arbitrary<String> signed = mostly(
                chars("abz-;_.:", 1, 20),
                Arbitraries.strings().withChars("abzA ,").ofMaxLength(20));
        Arbitrary<String> signature = mostly(chars("0123456789abcdef", 64, 64), chars("0123456789abcdefA", 62, 66));
        Arbitrary<String> algorithm =
                mostly(Arbitraries.just("AWS4-HMAC-SHA256"), Arbitraries.of("AWS4-HMAC-SHA1", "Bearer"));
        Arbitrary<String> rest = Combinators.combine(space, space, signed, space, space, signature, space)
                .as((s1, s2, h, s3, s4, sig, s5) ->
                        s1 + "," + s2 + "SignedHeaders=" + h + s3 + "," + s4 + "Signature=" + sig + s5);
        Arbitrary<String> inForm = Combinators.combine(algorithm, leading, key, date, scope, scope, rest)
                .as((alg, sp, k, d, r, svc, tail) ->
                        alg + sp + "Credential=" + k + "/" + d + "/" + r + "/" + svc + "/aws4_request" + tail);
        return Combinators.combine(
                        inForm,
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 400),
                        Arbitraries.chars().with('/', ',', ' ', '=', 'a', '0', '\r'))
                .as((h, edit, where, c) -> switch (edit) {
                    case 1 -> h.substring(0, where % (h.length() + 1)) + c + h.substring(where % (h.length() + 1));
                    case 2 ->
                        h.isEmpty() ? h : h.substring(0, where % h.length()) + h.substring(where % h.length() + 1);
                    default -> h;
                });
    }

    private static Arbitrary<String> mostly(Arbitrary<String> usual, Arbitrary<String> unusual) {
        return Arbitraries.frequencyOf(Tuple.of(9, usual), Tuple.of(1, unusual));
    }

    private static Arbitrary<String> chars(String alphabet, int min, int max) {
        return Arbitraries.strings().withChars(alphabet).ofMinLength(min).ofMaxLength(max);
    }

    /** Valid and invalid calendar values in the form, and a few strings not in it. */
    @Provide
    Arbitrary<String> amzDates() {
        Arbitrary<String> inForm = Combinators.combine(
                        Arbitraries.integers().between(0, 9999),
                        Arbitraries.integers().between(0, 13),
                        Arbitraries.integers().between(0, 32),
                        Arbitraries.integers().between(0, 25),
                        Arbitraries.integers().between(0, 60),
                        Arbitraries.integers().between(0, 61))
                .as((y, mo, d, h, mi, s) ->
                        String.format(Locale.ROOT, "%04d%02d%02dT%02d%02d%02dZ", y, mo, d, h, mi, s));
        Arbitrary<String> other = Arbitraries.strings()
                .withChars("0123456789TZ-:")
                .ofMinLength(14)
                .ofMaxLength(18);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, inForm), net.jqwik.api.Tuple.of(2, other));
    }
}
