package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class ProcStatTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void aThreadThatSleepsAddsItsWakeUpsToTheProcesssContextSwitches() throws InterruptedException {
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long before = ProcStat.contextSwitches(SELF);
        Thread sleeper = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 50; i++) {
                LockSupport.parkNanos(100_000);
            }
            parked.countDown();
            try {
                release.await(); // alive while counted: an ended thread's switches are not
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        parked.await();
        long after = ProcStat.contextSwitches(SELF);
        release.countDown();
        sleeper.join();
        // each park gives up the CPU: at least 50 switches by the sleeper alone, none of them the main thread's
        assertThat(after - before).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aProcessThatIsNotThereCountsNothing() {
        assertThat(ProcStat.contextSwitches(Long.MAX_VALUE)).isZero();
        assertThat(ProcStat.cpuTicks(Long.MAX_VALUE)).isZero();
    }
}
