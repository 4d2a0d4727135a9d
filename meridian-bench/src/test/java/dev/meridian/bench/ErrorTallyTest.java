package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorTallyTest {
    @Test
    void countsByStatusAndByUnwrappedException_inNameOrder() {
        ErrorTally tally = new ErrorTally();
        tally.add(AggregatedHttpResponse.of(HttpStatus.TOO_MANY_REQUESTS), null);
        tally.add(AggregatedHttpResponse.of(HttpStatus.TOO_MANY_REQUESTS), null);
        tally.add(null, new CompletionException(UnprocessedRequestException.of(new ConnectException("refused"))));
        tally.add(AggregatedHttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE), null);

        assertThat(tally.total()).isEqualTo(4);
        assertThat(tally.causes())
                .isEqualTo("HTTP 429: 2, HTTP 503: 1, UnprocessedRequestException(ConnectException): 1");
    }

    @Test
    void noErrors_nothingToSay() {
        ErrorTally tally = new ErrorTally();
        assertThat(tally.total()).isZero();
        assertThat(tally.causes()).isEmpty();
    }
}
