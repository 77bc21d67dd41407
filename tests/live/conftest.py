"""Fixtures of the live suite: smallsrv on net_tap in a network namespace.

Starting EAL costs time, so the tests of a module share one appliance
(`app`); a test that needs another configuration starts its own with
`appliance(extra_args)`.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from common import BIN  # noqa: E402
from livelib import Appliance  # noqa: E402


def _check_prerequisites():
    if os.geteuid() != 0:
        pytest.fail("the live tests need root (network namespaces, TAP devices)")
    if not os.access(BIN, os.X_OK):
        pytest.fail("no smallsrv binary at %s (build it, or set SMALLSRV_BIN)" % BIN)


def _stop_and_check(a):
    """Teardown: a clean exit with a summary whose counters add up."""
    try:
        s = a.stop()
        for label, t in list(s["ports"].items()) + [("total", s["total"])]:
            assert t["rx_pkts"] == t["answered"] + t["rx_tcp"] + t["rx_held"] + t["not_answered"], \
                "%s: rx != answered + to TCP + held for reassembly + not answered: %r" % (label, t)
            assert t["tx_pkts"] >= t["answered"], \
                "%s: fewer packets sent than answered in place: %r" % (label, t)
    finally:
        a.cleanup()


@pytest.fixture(autouse=True)
def appliances_alive(request):
    """An appliance that ends on its own fails the test it ended in, with its
    stderr (a crash, a sanitizer report: the sanitizer suites halt on the
    first one); the tests after it that share it fail at once."""
    for a in list(Appliance.running):
        a.check_alive(request.node.nodeid)
    yield
    for a in list(Appliance.running):
        a.check_alive(request.node.nodeid)


@pytest.fixture(scope="module")
def app():
    """The appliance with the default configuration, shared by a module."""
    _check_prerequisites()
    a = Appliance().start()
    yield a
    _stop_and_check(a)


@pytest.fixture
def appliance():
    """A factory for appliances with their own options, stopped after the test."""
    _check_prerequisites()
    started = []

    def start(extra=(), **kw):
        a = Appliance(extra, **kw)
        started.append(a)
        return a.start()

    yield start
    for a in started:
        _stop_and_check(a)


@pytest.fixture(scope="module")
def module_appliance():
    """A factory like `appliance`, for appliances that a whole module shares."""
    _check_prerequisites()
    started = []

    def start(extra=(), **kw):
        a = Appliance(extra, **kw)
        started.append(a)
        return a.start()

    yield start
    for a in started:
        _stop_and_check(a)
