"""What the whole fuzzing run sent and found, printed and checked.

It reads the counters of tests/fuzz/harness.py, so it must run after the other modules
of the package: pytest collects a directory's files in name order, and this name sorts last.
"""

import pytest

from tests.fuzz.harness import FAILURES, SENT, STATUSES


def test_fuzzing_sent_enough_requests_and_found_nothing():
    if len(SENT) < 20:
        pytest.skip("only part of the fuzzing ran")
    total = sum(SENT.values())
    print(f"\nfuzzing: {total} requests, {len(FAILURES)} failed: {dict(SENT)}")
    print(sorted(STATUSES.items()))
    for failure in FAILURES[:40]:
        print(" -", failure)
    assert total >= 1000
    assert not FAILURES
