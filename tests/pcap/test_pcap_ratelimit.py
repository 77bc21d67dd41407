"""Amplification and ICMP error limits. "Amplifying" is a reply payload longer
than the request's: echo never is, an empty daytime request is. Each topic is
one run; the limits' refill rates are set low (1/s) or left at their defaults
(100/s, 1000/s) so that nothing refills during the few milliseconds the
capture takes."""
from scapy.all import IP, IPv6

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6
from pcaplib import (Case, Topic, chargen_check, chargen_line, check_icmp_unreach,
                     check_proto_unreach, check_udp, daytime_check, echo_check, eth, time_check,
                     topic_tests, udp_payload, udp_req)


def chargen_some_line(ctx, req, rep):
    """A full chargen ring line (which one depends on the datagrams before)."""
    data = udp_payload(rep)
    assert data in [chargen_line(n) for n in range(95)], "not a chargen line: %r" % data
    check_udp(ctx, req, rep, data)


def n_cases(n, name, build_of, check=None, drop=None, allowed=None):
    """n cases; the first `allowed` get check, the rest drop (None: all check)."""
    out = []
    for i in range(n):
        ok = allowed is None or i < allowed
        out.append(Case("%s-%d" % (name, i), build_of(i), check if ok else None,
                        None if ok else drop))
    return out


# Per-source limit: burst 3, then 1/s. ICMP errors: burst 2, then 1/s.
def _run_a():
    return TOPIC_A.result.run


TOPIC_A = Topic(
    n_cases(10, "chargen-one-source-v4", lambda i: udp_req(4, 19, b""), chargen_some_line,
            "udp_ratelimit_source", allowed=3) +
    n_cases(10, "chargen-ten-sources-v4",
            lambda i: udp_req(4, 19, b"", src="192.0.2.%d" % (10 + i)), chargen_some_line) +
    n_cases(5, "echo-limited-source-v4", lambda i: udp_req(4, 7, b"still echoed"), echo_check) +
    [
        Case("daytime-empty-limited-source-v4", udp_req(4, 13, b""),
             drop="udp_ratelimit_source"),
        # A reply no longer than the request does not amplify: no limit applies.
        Case("daytime-long-request-limited-source-v4", udp_req(4, 13, b"x" * 100),
             daytime_check(_run_a)),
        Case("time-4-byte-request-limited-source-v4", udp_req(4, 37, b"abcd"),
             time_check(_run_a)),
        Case("time-3-byte-request-limited-source-v4", udp_req(4, 37, b"abc"),
             drop="udp_ratelimit_source"),
    ] +
    n_cases(5, "chargen-one-source-v6", lambda i: udp_req(6, 19, b""), chargen_some_line,
            "udp_ratelimit_source", allowed=3) +
    # Five IPv6 sources are five /64s ([abuse] ipv6_source_prefix).
    n_cases(5, "chargen-five-sources-v6",
            lambda i: udp_req(6, 19, b"", src="2001:db8:%x::1" % (0x100 + i)),
            chargen_some_line) +
    n_cases(2, "chargen-same-64-v6",
            lambda i: udp_req(6, 19, b"", src="2001:db8::%x" % (0x100 + i)), None,
            "udp_ratelimit_source", allowed=0) +
    n_cases(3, "closed-port-v4", lambda i: udp_req(4, 4000 + i, b"?"), check_icmp_unreach,
            "icmp4_error_ratelimited", allowed=2) +
    # One ICMP error budget for both families: it is spent.
    n_cases(2, "closed-port-v6", lambda i: udp_req(6, 4000 + i, b"?"), None,
            "icmp6_error_ratelimited", allowed=0),
    ["--set", "abuse.amplify_burst_per_source=3", "--set", "abuse.amplify_rate_per_source=1",
     "--set", "abuse.icmp_error_burst=2", "--set", "abuse.icmp_error_rate=1"])

result_a, test_case_a, test_run_a = topic_tests(TOPIC_A, "result_a")


def test_chargen_lines_in_order(result_a):
    """Chargen replies go round the ring line after line: a refused request
    uses up no line (the limit is asked before the reply is made)."""
    lines = [chargen_line(n) for n in range(95)]
    seen = [lines.index(udp_payload(r)) for r in result_a.run.replies
            if r.haslayer("UDP") and r["UDP"].sport == 19]
    assert len(seen) == 3 + 10 + 3 + 5
    assert seen == list(range(seen[0], seen[0] + len(seen)))


# Global limit: burst 5, then 1/s, over every source.
TOPIC_B = Topic(
    n_cases(10, "chargen-ten-sources-v4",
            lambda i: udp_req(4, 19, b"", src="198.51.100.%d" % (10 + i)), chargen_some_line,
            "udp_ratelimit_global", allowed=5) +
    n_cases(3, "chargen-more-sources-v6",
            lambda i: udp_req(6, 19, b"", src="2001:db8::%x" % (0x200 + i)), None,
            "udp_ratelimit_global", allowed=0) +
    n_cases(3, "echo-v4", lambda i: udp_req(4, 7, b"echo is never limited",
                                            src="198.51.100.%d" % (10 + i)), echo_check),
    ["--set", "abuse.amplify_burst_global=5", "--set", "abuse.amplify_rate_global=1"])

result_b, test_case_b, test_run_b = topic_tests(TOPIC_B, "result_b")


# Rate 0: no per-source limit; the ring then continues line after line.
TOPIC_C = Topic(
    [Case("chargen-unlimited-%d" % i, udp_req(4 if i % 2 else 6, 19, b""), chargen_check(i))
     for i in range(150)],
    ["--set", "abuse.amplify_rate_per_source=0"])

result_c, test_case_c, test_run_c = topic_tests(TOPIC_C, "result_c")


# The default bursts: 100 amplifying replies per source, 50 ICMP errors, at
# once. The refill rates go down to 1/s: at the default 100/s and 1000/s a
# pause of 10 ms or 1 ms between two bursts on a busy machine would earn a
# token, and that is not what this checks.
TOPIC_D = Topic(
    n_cases(110, "chargen-default-burst-v4", lambda i: udp_req(4, 19, b""), chargen_some_line,
            "udp_ratelimit_source", allowed=100) +
    n_cases(55, "closed-port-default-burst-v6",
            lambda i: udp_req(6, 5000 + i, b"", src="2001:db8::%x" % (0x300 + i)),
            check_icmp_unreach, "icmp6_error_ratelimited", allowed=50),
    ["--set", "abuse.amplify_rate_per_source=1", "--set", "abuse.icmp_error_rate=1"])

result_d, test_case_d, test_run_d = topic_tests(TOPIC_D, "result_d")




# Protocol unreachable and parameter problem spend the one ICMP error budget
# with port unreachable: burst 3, then 1/s, IPv4 and IPv6 together.
def other_proto(v, proto):
    def build(ctx):
        if v == 4:
            return eth(ctx) / IP(src=PEER_IP4, dst=APP_IP4, proto=proto) / b"nmap -sO"
        return eth(ctx) / IPv6(src=PEER_IP6, dst=APP_IP6, nh=proto) / b"nmap -sO"
    return build


TOPIC_E = Topic(
    n_cases(2, "proto-unreach-v4", lambda i: other_proto(4, 253), check_proto_unreach()) +
    [Case("param-problem-v6", other_proto(6, 253), check_proto_unreach(6))] +
    n_cases(3, "proto-unreach-v4-limited", lambda i: other_proto(4, 200 + i), None,
            "icmp4_error_ratelimited", allowed=0) +
    n_cases(3, "param-problem-v6-limited", lambda i: other_proto(6, 200 + i), None,
            "icmp6_error_ratelimited", allowed=0) +
    [Case("closed-port-v4-limited", udp_req(4, 4444, b"?"), drop="icmp4_error_ratelimited"),
     # Echo is no error: the budget does not touch it.
     Case("echo-v4", udp_req(4, 7, b"not an error"), echo_check)],
    ["--set", "abuse.icmp_error_burst=3", "--set", "abuse.icmp_error_rate=1"])

result_e, test_case_e, test_run_e = topic_tests(TOPIC_E, "result_e")


def test_proto_errors_counted(result_e):
    r = result_e.run.summary["replies"]
    assert (r["icmp4_proto_unreachable"], r["icmp6_param_problem"]) == (2, 1), r
