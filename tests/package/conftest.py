"""Fixtures of the package suite: the Debian package, built once from a copy of the
tree, and the tree installed with meson into a prefix of its own."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "live"))


@pytest.fixture(scope="session", autouse=True)
def _root():
    if os.geteuid() != 0:
        pytest.fail("the package tests need root (the package's files owned by root, "
                    "net_tap, network namespaces)")
