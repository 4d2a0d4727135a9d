package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WrkLoadTest {
    private static final String REPORT = """
            Running 10s test @ http://127.0.0.1:8080/v1/chat/completions
              1 threads and 1 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   612.34us  101.22us   4.10ms   91.00%
                Req/Sec     1.61k    80.12     1.72k    70.00%
              Latency Distribution
                 50%  598.00us
                 75%  640.00us
                 90%  701.00us
                 99%    1.21ms
              16071 requests in 10.00s, 9.87MB read
              Socket errors: connect 0, read 2, write 0, timeout 1
              Non-2xx or 3xx responses: 4
            Requests/sec:   1607.05
            Transfer/sec:      0.99MB
            """;

    @Test
    void parse_readsPercentilesInAnyUnit_rateRequestsAndFailures() throws IOException {
        WrkLoad.Result r = WrkLoad.parse(REPORT);

        assertThat(r.p50Micros()).isEqualTo(598.0);
        assertThat(r.p99Micros()).isEqualTo(1210.0);
        assertThat(r.rps()).isEqualTo(1607.05);
        assertThat(r.requests()).isEqualTo(16071);
        assertThat(r.errors()).isEqualTo(7);
    }

    @Test
    void parse_refusesAReportWithoutLatencies() {
        assertThatThrownBy(() -> WrkLoad.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected wrk output");
    }

    @Test
    void script_sendsTheHeadersAndBody_withQuotesEscaped() {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions")
                .contentType(MediaType.JSON)
                .add("authorization", "Bearer key")
                .build();

        String lua = WrkLoad.script(headers, "{\"model\":\"m\\\\x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(lua)
                .contains("wrk.method = \"POST\"")
                .contains("wrk.headers[\"authorization\"] = \"Bearer key\"")
                .contains("wrk.headers[\"content-type\"] = \"application/json\"")
                .contains("wrk.body = \"{\\\"model\\\":\\\"m\\\\\\\\x\\\"}\"")
                .doesNotContain(":path");
    }
}
