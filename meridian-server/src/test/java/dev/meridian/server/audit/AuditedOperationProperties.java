package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import dev.meridian.server.surface.bedrock.RuntimePath;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Classifying a request for the audit trail runs before any service sees it, so it must accept every path the
 * HTTP layer lets through (a {@code /model/converse} once threw there and turned a 404 into a 500), and it must
 * call a runtime path an invocation exactly when the runtime service would serve it.
 */
class AuditedOperationProperties {
    @Property(tries = 2000)
    void classifiesEveryPath_andAgreesWithTheRuntimeService(
            @ForAll("paths") String path, @ForAll("methods") HttpMethod method) {
        AuditedOperation op = AuditedOperation.of(method, path, null);

        RuntimePath runtime = RuntimePath.parse(path);
        boolean served = method == HttpMethod.POST && runtime != null && runtime.operation() != null;
        Statistics.collect(served ? "runtime operation" : op == null ? "not audited" : "other audited");
        Statistics.coverage(c -> c.check("runtime operation").percentage(p -> p >= 10));
        if (path.startsWith("/model/")) {
            assertThat(op != null && op.invocation()).isEqualTo(served);
        }
        if (served) {
            assertThat(op.eventName()).isEqualTo(runtime.operation().eventName());
        }
    }

    @Test
    void anArnModelId_isRecordedDecoded_andAMalformedOneAsSent() {
        assertThat(AuditedOperation.of(HttpMethod.POST, "/model/arn%3Aaws%3Ax%2Fy/converse?a=b", null))
                .isEqualTo(new AuditedOperation(
                        "Converse", AuditedOperation.BEDROCK, false, true, "AWS::Bedrock::Model", "arn:aws:x/y"));
        assertThat(AuditedOperation.of(HttpMethod.POST, "/model/%C3%28/invoke", null)
                        .resourceName())
                .isEqualTo("%C3%28");
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of(
                        "model",
                        "converse",
                        "invoke",
                        "",
                        "m:0",
                        "arn%3Aaws%2Fx",
                        "%C3",
                        "inference-profiles",
                        "foundation-models",
                        "?q=1",
                        "v1"),
                Arbitraries.strings().withChars("/%?:=&az09-.").ofMaxLength(6));
        Arbitrary<String> any = segment.list().ofMaxSize(5).map(parts -> "/" + String.join("/", parts));
        Arbitrary<String> modelId = Arbitraries.oneOf(
                Arbitraries.of("m:0", "eu.amazon.nova-2-lite-v1:0", "arn%3Aaws%2Fx", "%C3%28", "a/b", ""),
                Arbitraries.strings().withChars("az09-.:%").ofMaxLength(8));
        Arbitrary<String> operation = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("converse", "converse-stream", "invoke", "invoke-with-response-stream")),
                Tuple.of(1, segment));
        Arbitrary<String> runtimeLike = Combinators.combine(modelId, operation, Arbitraries.of("", "?x=1", "?", "/"))
                .as((id, op, tail) -> "/model/" + id + "/" + op + tail);
        return Arbitraries.frequencyOf(Tuple.of(1, any), Tuple.of(2, runtimeLike));
    }

    @Provide
    Arbitrary<HttpMethod> methods() {
        return Arbitraries.frequency(
                Tuple.of(4, HttpMethod.POST),
                Tuple.of(1, HttpMethod.GET),
                Tuple.of(1, HttpMethod.DELETE),
                Tuple.of(1, HttpMethod.PUT));
    }
}
