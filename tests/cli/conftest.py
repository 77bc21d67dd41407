"""Fixtures of the command-line and configuration suite."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from common import BIN  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _binary():
    if not os.access(BIN, os.X_OK):
        pytest.fail("no smallsrv binary at %s (build it, or set SMALLSRV_BIN)" % BIN)
    if os.geteuid() != 0:
        pytest.fail("the cli tests need root (DPDK's runtime directory /var/run/dpdk)")
