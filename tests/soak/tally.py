"""What the soak's workers share: the tally of what they did, a paced loop,
and the kernel's live connections (the targets of blind RSTs and SYNs)."""
import collections
import random
import threading
import time
import traceback

MAX_MESSAGES = 20  # failures kept word for word; the rest are counted


class Lost(Exception):
    """A step that the configured loss explains (a datagram that did not
    come back, a raw peer's handshake that did not complete): counted, not
    a failure."""


class Tally:
    """Per kind of traffic: steps done, lost (Lost raised) and failed (any
    other exception: a check that failed). Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.done = collections.Counter()
        self.lost = collections.Counter()
        self.failed = collections.Counter()
        self.sent = collections.Counter()  # raw frames, by kind
        self.expected = collections.Counter()  # drops the appliance must count, by reason
        self.messages = []

    def ok(self, kind, n=1):
        with self.lock:
            self.done[kind] += n

    def count_sent(self, kind, n=1):
        with self.lock:
            self.sent[kind] += n

    def expect_drop(self, reason):
        with self.lock:
            self.expected[reason] += 1

    def lose(self, kind):
        with self.lock:
            self.lost[kind] += 1

    def fail(self, kind, exc):
        with self.lock:
            self.failed[kind] += 1
            if len(self.messages) < MAX_MESSAGES:
                where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ \
                    else None
                self.messages.append("%s: %s: %s%s" % (
                    kind, type(exc).__name__, str(exc)[:300],
                    " (%s:%d)" % (where.filename.rsplit("/", 1)[-1], where.lineno)
                    if where else ""))

    def step(self, kind, fn, *args):
        """Run one step and tally it: done, lost or failed."""
        try:
            fn(*args)
        except Lost:
            self.lose(kind)
        except Exception as e:  # every other exception is a failed check
            self.fail(kind, e)
        else:
            self.ok(kind)

    def failures(self):
        return sum(self.failed.values())


def paced(stop, rate, body):
    """Call body() about rate times a second until stop is set. A body that
    runs late is not made up for with a burst."""
    period = 1.0 / rate
    due = time.monotonic()
    while not stop.is_set():
        body()
        due += period
        delay = due - time.monotonic()
        if delay > 0:
            stop.wait(delay)
        else:
            due = time.monotonic()


class LiveConns:
    """The kernel's TCP connections to the appliance that are open now:
    (v, kernel port, service port), for blind segments aimed at them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.conns = set()

    def add(self, key):
        with self.lock:
            self.conns.add(key)

    def remove(self, key):
        with self.lock:
            self.conns.discard(key)

    def pick(self, rng):
        with self.lock:
            return rng.choice(sorted(self.conns)) if self.conns else None


def start_thread(name, target, tally, *args):
    """target(*args) in a thread; an exception that escapes it is a failure."""
    def run():
        try:
            target(*args)
        except Exception as e:
            tally.fail("worker " + name, e)
    # Daemon: a thread stuck in a call must not keep an interrupted soak
    # from cleaning up and exiting.
    t = threading.Thread(target=run, name=name, daemon=True)
    t.start()
    return t


def make_rng(seed, name):
    return random.Random("%s/%s" % (seed, name))
