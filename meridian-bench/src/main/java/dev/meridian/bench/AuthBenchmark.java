package dev.meridian.bench;

import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.auth.SigV4Verifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying a SigV4-signed Bedrock Converse call, the authentication AWS SDK clients use by default: signed once by
 * the AWS SDK's own signer (as {@code bench/proxy.sh}'s {@code meridian-converse-sigv4} target sends it), verified
 * on every invocation. Run with {@code -prof gc} for the allocation rate ({@code bench/jmh.sh AuthBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthBenchmark {
    SigV4Verifier verifier;
    RequestHeaders signed;
    byte[] body;

    @Setup
    public void setUp() {
        verifier = new SigV4Verifier(List.of(AuthSettings.DEMO_ACCESS_KEY), Duration.ofMinutes(15), Clock.systemUTC());
        body = BenchFixture.CONVERSE_BODY;
        // as the gateway sees it: the authority it was signed for, the path with %3A decoded by the HTTP layer
        signed =
                ConverseRequests.sigV4(ConverseRequests.path("eu." + BenchFixture.MODEL, false), 8080, body).toBuilder()
                        .authority("127.0.0.1:8080")
                        .path("/model/eu." + BenchFixture.MODEL + "/converse")
                        .build();
        verifier.verify(signed, body); // fails the run at once if the fixture does not verify
    }

    @Benchmark
    public SigV4Verifier.Verified verifySigV4() {
        return verifier.verify(signed, body);
    }
}
