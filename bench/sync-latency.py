#!/usr/bin/env python3
"""How long one durable audit write takes on this disk, by how long the disk was idle before it.

With `audit.sync: disk` every answer waits for a journal append and its `fdatasync` (docs/benchmarks.md). This
writes what the journal writes for one event (about 1.3 KB into space already zero-filled, then `fdatasync`) over
and over, with a pause of each given length before each write, and prints the percentiles. Back to back the wait is
the disk's own sync; after a pause, what the disk (or the virtual machine's storage) adds when it has been idle:
what a gateway serving a request every so often pays. Needs only Python 3; writes into target/ (deleted after).

Usage: bench/sync-latency.py [writes-per-gap=200] [gap-ms...=0 1 10 50]
"""
import os
import sys
import tempfile
import time

RECORD = b"x" * 1300  # about one CloudTrail-shaped event in the journal
AREA = 4 << 20  # zero-filled ahead, as the journal's segments are


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def measure(fd, writes, gap_seconds):
    latencies = []
    offset = 0
    for _ in range(writes):
        if gap_seconds:
            time.sleep(gap_seconds)
        start = time.perf_counter()
        os.pwrite(fd, RECORD, offset)
        os.fdatasync(fd)
        latencies.append((time.perf_counter() - start) * 1e6)
        offset = (offset + len(RECORD)) % (AREA - len(RECORD))
    return sorted(latencies)


def main():
    writes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    gaps = [float(g) for g in sys.argv[2:]] or [0, 1, 10, 50]
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target"))
    os.makedirs(root, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix="sync-latency-") as directory:
        fd = os.open(os.path.join(directory, "journal"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, b"\0" * AREA, 0)
            os.fsync(fd)
            print(f"{writes} writes of {len(RECORD)} bytes + fdatasync per gap, into {directory}")
            print(f"{'gap ms':>8} {'p50 us':>8} {'p90 us':>8} {'p99 us':>8}")
            for gap in gaps:
                values = measure(fd, writes, gap / 1000)
                print(f"{gap:>8g} {percentile(values, 50):>8.0f} {percentile(values, 90):>8.0f}"
                      f" {percentile(values, 99):>8.0f}")
        finally:
            os.close(fd)


if __name__ == "__main__":
    main()
