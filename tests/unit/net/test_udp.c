/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * udp.c: every service over IPv4 and IPv6 with its exact payload, the
 * reply's addressing, lengths and checksums, the datagram checks, the
 * loop guard, the amplification limits, the MTU, and the port map.
 */
#include "harness.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ip.h>

#include "stats.h"

#define L3 14

/* 2022-11-18T12:03:18Z, a Friday: the clock every service test runs at. */
#define NOW 1668772998
static const char daytime_now[] = "Fri Nov 18 12:03:18 2022\r\n";
static const uint8_t time_now[4] = { 0xe7, 0x21, 0xf3, 0x06 };

static int
setup(void **state)
{
	struct test_env *env = test_env_new();

	ss_clock_set(&env->worker.clock, NOW);
	*state = env;
	return 0;
}

/* test_env_set(), then the wall clock back at NOW. */
static void
set(struct test_env *env, const char *section, const char *key, const char *value)
{
	test_env_set(env, section, key, value);
	ss_clock_set(&env->worker.clock, NOW);
}

/* A datagram from src:sport to dst:dport (NULL addresses: the defaults). */
static size_t
dgram(uint8_t *buf, int v6, const char *src, const char *dst, uint16_t sport, uint16_t dport,
		const void *payload, size_t len)
{
	struct test_frame f;

	test_frame_defaults(&f, v6);
	if (src != NULL)
		f.src = src;
	if (dst != NULL)
		f.dst = dst;
	return test_build_udp(buf, &f, sport, dport, payload, len);
}

/*
 * A UDP reply from from:sport to to:dport carrying exactly payload; returns
 * nothing, checks everything: frame, IP header, UDP length and checksum.
 */
static void
check_reply(const uint8_t *out, size_t out_len, int v6, const char *from, const char *to,
		uint16_t sport, uint16_t dport, const void *payload, size_t len)
{
	size_t l4 = test_l4_off_af(v6);

	assert_int_equal(out_len, l4 + 8 + len);
	test_check_ip_reply(out, L3, v6, from, to, IPPROTO_UDP, 8 + len);
	assert_int_equal(test_be16(out, l4), sport);
	assert_int_equal(test_be16(out, l4 + 2), dport);
	assert_int_equal(test_be16(out, l4 + 4), 8 + len);
	/* A zero checksum is "none" over IPv4 only. */
	if (v6 || test_be16(out, l4 + 6) != 0)
		assert_true(test_l4_cksum_ok(out, out_len, L3, v6));
	if (len > 0)
		assert_memory_equal(out + l4 + 8, payload, len);
}

/* Send payload to port on us from the peer, expect a reply payload of exp. */
static void
service(struct test_env *env, int v6, uint16_t port, const void *req, size_t req_len,
		const void *exp, size_t exp_len)
{
	uint8_t buf[9100], out[9100];
	size_t len = dgram(buf, v6, NULL, NULL, 40000, port, req, req_len);
	size_t out_len = sizeof(out);

	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, v6, test_ip_us[v6], test_ip_peer[v6], port, 40000, exp, exp_len);
}

static enum ss_verdict
send_only(struct test_env *env, int v6, const char *src, uint16_t sport, uint16_t dport,
		const void *req, size_t req_len)
{
	uint8_t buf[9100], out[9100];
	size_t len = dgram(buf, v6, src, NULL, sport, dport, req, req_len);
	size_t out_len = sizeof(out);

	return test_input(env, buf, len, out, &out_len);
}

static const struct ss_svc_counters *
counters(struct test_env *env, enum ss_svc svc, int v6)
{
	return &env->worker.stats[0].svc[svc][SS_UDP][v6 ? SS_AF6 : SS_AF4];
}

/* ---- services ---- */

static void
test_echo(void **state)
{
	struct test_env *env = *state;
	uint8_t big[1400];
	int v6;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = i;
	for (v6 = 0; v6 <= 1; v6++) {
		service(env, v6, 7, "hello", 5, "hello", 5);
		service(env, v6, 7, "\r\n\r\n", 4, "\r\n\r\n", 4); /* nmap's probe */
		service(env, v6, 7, NULL, 0, NULL, 0);             /* empty: echoed too */
		service(env, v6, 7, big, sizeof(big), big, sizeof(big));
		assert_int_equal(counters(env, SS_SVC_ECHO, v6)->requests, 4);
		assert_int_equal(counters(env, SS_SVC_ECHO, v6)->replies, 4);
		assert_int_equal(counters(env, SS_SVC_ECHO, v6)->bytes_in, 5 + 4 + sizeof(big));
		assert_int_equal(counters(env, SS_SVC_ECHO, v6)->bytes_out, 5 + 4 + sizeof(big));
	}
}

static void
test_echo_ipv4_zero_checksum(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);
	uint16_t c;

	/* RFC 768: no checksum. The reply carries none or a right one. */
	len = dgram(buf, 0, NULL, NULL, 40000, 7, "zero", 4);
	buf[L3 + 20 + 6] = buf[L3 + 20 + 7] = 0;
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, 0, TEST_IP4_US, TEST_IP4_PEER, 7, 40000, "zero", 4);
	c = test_be16(out, L3 + 20 + 6);
	assert_true(c == 0 || test_l4_cksum_ok(out, out_len, L3, 0));
}

static void
test_daytime(void **state)
{
	struct test_env *env = *state;
	const size_t n = sizeof(daytime_now) - 1;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		service(env, v6, 13, NULL, 0, daytime_now, n);           /* rdate-style */
		service(env, v6, 13, "\n", 1, daytime_now, n);           /* Net::Time */
		service(env, v6, 13, "help\r\n\r\n", 8, daytime_now, n); /* nmap */
	}
	assert_int_equal(daytime_now[n - 2], '\r');
	assert_int_equal(daytime_now[n - 1], '\n');
	assert_int_equal(counters(env, SS_SVC_DAYTIME, 1)->bytes_out, 3 * n);
}

static void
test_daytime_follows_clock(void **state)
{
	struct test_env *env = *state;
	static const char later[] = "Sat Jan  1 00:00:00 2000\r\n";

	ss_clock_set(&env->worker.clock, 946684800);
	service(env, 0, 13, NULL, 0, later, sizeof(later) - 1);
	service(env, 1, 13, NULL, 0, later, sizeof(later) - 1);
}

static void
test_time(void **state)
{
	struct test_env *env = *state;
	static const uint8_t y2k[4] = { 0xbc, 0x17, 0xc2, 0x00 };
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		service(env, v6, 37, NULL, 0, time_now, 4);
		service(env, v6, 37, "whatever", 8, time_now, 4);
	}
	ss_clock_set(&env->worker.clock, 946684800);
	service(env, 0, 37, NULL, 0, y2k, 4);
	service(env, 1, 37, NULL, 0, y2k, 4);
}

static void
test_clock_unset(void **state)
{
	struct test_env *env = *state;
	int v6;

	/* RFC 868: a server that does not know the time stays silent. */
	ss_clock_set(&env->worker.clock, 86400);
	for (v6 = 0; v6 <= 1; v6++) {
		assert_int_equal(send_only(env, v6, NULL, 40000, 13, NULL, 0), SS_DROP_CLOCK_UNSET);
		assert_int_equal(send_only(env, v6, NULL, 40000, 37, NULL, 0), SS_DROP_CLOCK_UNSET);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_CLOCK_UNSET], 4);
}

/* Line n of the chargen ring: 72 characters from n, CR LF. */
static void
chargen_line(unsigned int n, uint8_t *out)
{
	unsigned int c;

	for (c = 0; c < 72; c++)
		out[c] = 0x20 + (n + c) % 95;
	out[72] = '\r';
	out[73] = '\n';
}

static void
test_chargen(void **state)
{
	struct test_env *env = *state;
	uint8_t line[74];
	unsigned int n;

	chargen_line(0, line);
	assert_memory_equal(line,
			" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW"
			"XYZ[\\]^_`abcdefg\r\n",
			74);
	/* The ring goes on from datagram to datagram, whatever the family, and wraps. */
	for (n = 0; n < 2 * 95 + 3; n++) {
		chargen_line(n % 95, line);
		service(env, n % 2, 19, n % 3 ? "x" : NULL, n % 3 ? 1 : 0, line, 74);
	}
	assert_int_equal(counters(env, SS_SVC_CHARGEN, 0)->replies +
					counters(env, SS_SVC_CHARGEN, 1)->replies,
			2 * 95 + 3);
}

static void
test_chargen_random(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len, k, longest = 0;
	unsigned int n;

	set(env, "chargen", "udp_mode", "random");
	set(env, "abuse", "amplify_rate_per_source", "0");
	for (n = 0; n < 200; n++) {
		len = dgram(buf, n % 2, NULL, NULL, 40000, 19, NULL, 0);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		len = out_len - test_l4_off_af(n % 2) - 8;
		assert_true(len <= 512);
		check_reply(out, out_len, n % 2, test_ip_us[n % 2], test_ip_peer[n % 2], 19, 40000,
				out + test_l4_off_af(n % 2) + 8, len);
		/* The stream from the start of line n. */
		for (k = 0; k < len; k++) {
			uint64_t off = (uint64_t)(n % 95) * 74 + k;
			uint64_t col = off % 74, ln = off / 74 % 95;
			uint8_t exp = col == 72 ? '\r' : col == 73 ? '\n' : 0x20 + (ln + col) % 95;

			assert_int_equal(out[test_l4_off_af(n % 2) + 8 + k], exp);
		}
		longest = RTE_MAX(longest, len);
	}
	/* Random lengths, not a constant: 200 draws from 0..512 reach past 74. */
	assert_true(longest > 74);
}

static void
test_discard(void **state)
{
	struct test_env *env = *state;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		assert_int_equal(send_only(env, v6, NULL, 40000, 9, "gone", 4),
				SS_DROP_UDP_DISCARD);
		assert_int_equal(send_only(env, v6, NULL, 40000, 9, NULL, 0), SS_DROP_UDP_DISCARD);
		assert_int_equal(counters(env, SS_SVC_DISCARD, v6)->requests, 2);
		assert_int_equal(counters(env, SS_SVC_DISCARD, v6)->bytes_in, 4);
		assert_int_equal(counters(env, SS_SVC_DISCARD, v6)->replies, 0);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_DISCARD], 4);
}

static void
check_port_unreachable(const uint8_t *out, size_t out_len, int v6)
{
	size_t l4 = test_l4_off_af(v6);

	assert_true(out_len > l4 + 8);
	if (v6) {
		assert_int_equal(out[L3 + 6], IPPROTO_ICMPV6);
		assert_int_equal(out[l4], 1);
		assert_int_equal(out[l4 + 1], 4);
	} else {
		assert_int_equal(out[L3 + 9], IPPROTO_ICMP);
		assert_int_equal(out[l4], 3);
		assert_int_equal(out[l4 + 1], 3);
	}
}

static void
test_qotd_off_by_default(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		len = dgram(buf, v6, NULL, NULL, 40000, 17, NULL, 0);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		check_port_unreachable(out, out_len, v6);
		assert_int_equal(counters(env, SS_SVC_QOTD, v6)->requests, 0);
	}
}

static void
test_qotd_on(void **state)
{
	struct test_env *env = *state;
	static const char builtin[] =
			"\"Be conservative in what you do, be liberal in what you accept from\r\n"
			"others.\" -- Jon Postel, RFC 793\r\n";
	char path[] = "/tmp/ss_unit_qotd_XXXXXX";
	int fd, v6;

	set(env, "qotd", "udp", "on");
	for (v6 = 0; v6 <= 1; v6++)
		service(env, v6, 17, NULL, 0, builtin, sizeof(builtin) - 1);
	/* From a file: the quotes in turn, with CR LF line ends. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "first one\n%\nsecond\nline\n", 24), 24);
	close(fd);
	set(env, "qotd", "file", path);
	unlink(path);
	service(env, 0, 17, NULL, 0, "first one\r\n", 11);
	service(env, 1, 17, NULL, 0, "second\r\nline\r\n", 14);
	service(env, 0, 17, "x", 1, "first one\r\n", 11);
}

static void
test_reply_from_address_asked(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	set(env, "port0", "ipv4", "192.0.2.1/24,198.51.100.7/24");
	set(env, "port0", "ipv6", "2001:db8::1/64,2001:db8:5::5/64");
	len = dgram(buf, 0, "203.0.113.5", "198.51.100.7", 12345, 13, NULL, 0);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, 0, "198.51.100.7", "203.0.113.5", 13, 12345, daytime_now,
			sizeof(daytime_now) - 1);
	len = dgram(buf, 1, "2001:db8:7::7", "2001:db8:5::5", 12345, 37, NULL, 0);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, 1, "2001:db8:5::5", "2001:db8:7::7", 37, 12345, time_now, 4);
	len = dgram(buf, 1, "2001:db8:7::7", "2001:db8:5::5", 1024, 7, "e", 1);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, 1, "2001:db8:5::5", "2001:db8:7::7", 7, 1024, "e", 1);
}

/* ---- datagram checks ---- */

static void
test_bad_checksum(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		len = dgram(buf, v6, NULL, NULL, 40000, 7, "data", 4);
		buf[test_l4_off_af(v6) + 7] ^= 0x01;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_UDP_CKSUM);
		len = dgram(buf, v6, NULL, NULL, 40000, 7, "data", 4);
		buf[len - 1] ^= 0x80;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_UDP_CKSUM);
		/* Also for a closed port: no ICMP error for a corrupt datagram. */
		len = dgram(buf, v6, NULL, NULL, 40000, 4444, "data", 4);
		buf[len - 1] ^= 0x80;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_UDP_CKSUM);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_CKSUM], 6);
}

static void
test_ipv6_zero_checksum(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	len = dgram(buf, 1, NULL, NULL, 40000, 7, "data", 4);
	buf[L3 + 40 + 6] = buf[L3 + 40 + 7] = 0;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_UDP_ZERO_CKSUM6);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_ZERO_CKSUM6], 1);
}

static void
test_rx_cksum_flags(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* The port vouches for the datagram: not checked again. */
		len = dgram(buf, v6, NULL, NULL, 40000, 13, "data", 4);
		buf[test_l4_off_af(v6) + 7] ^= 0x01;
		out_len = sizeof(out);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_GOOD, out,
						 &out_len),
				SS_VERDICT_TX);
		check_reply(out, out_len, v6, test_ip_us[v6], test_ip_peer[v6], 13, 40000,
				daytime_now, sizeof(daytime_now) - 1);
		/* The port says bad: believed, though it is right. */
		len = dgram(buf, v6, NULL, NULL, 40000, 7, "data", 4);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_BAD, NULL,
						 NULL),
				SS_DROP_UDP_CKSUM);
	}
}

static void
test_rx_cksum_flag_none(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	uint16_t svc;
	int v6;

	/*
	 * NONE: the data was verified but the checksum field is not a right
	 * checksum (virtio's partial sum). Accepted; every reply, echo
	 * included, must carry a checksum of its own.
	 */
	for (v6 = 0; v6 <= 1; v6++) {
		for (svc = 7; svc <= 13; svc += 6) {
			len = dgram(buf, v6, NULL, NULL, 40000, svc, "data", 4);
			buf[test_l4_off_af(v6) + 6] = 0x12;
			buf[test_l4_off_af(v6) + 7] = 0x34;
			out_len = sizeof(out);
			assert_int_equal(test_input_flags(env, buf, len,
							 RTE_MBUF_F_RX_L4_CKSUM_NONE, out,
							 &out_len),
					SS_VERDICT_TX);
			assert_true(test_l4_cksum_ok(out, out_len, L3, v6));
			if (svc == 7)
				check_reply(out, out_len, v6, test_ip_us[v6], test_ip_peer[v6], 7,
						40000, "data", 4);
		}
	}
}

static void
test_length_too_short(void **state)
{
	struct test_env *env = *state;
	const uint16_t lens[] = { 0, 1, 7 };
	uint8_t buf[9100];
	unsigned int i;
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < RTE_DIM(lens); i++) {
			len = dgram(buf, v6, NULL, NULL, 40000, 7, "data", 4);
			buf[test_l4_off_af(v6) + 4] = lens[i] >> 8;
			buf[test_l4_off_af(v6) + 5] = lens[i] & 0xff;
			test_fix_l4_cksum(buf, L3, v6);
			assert_int_equal(test_input(env, buf, len, NULL, NULL),
					SS_DROP_UDP_TRUNCATED);
		}
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_TRUNCATED], 2 * RTE_DIM(lens));
}

static void
test_length_past_ip_payload(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* One byte more than the IP payload, though the frame has bytes behind it. */
		len = dgram(buf, v6, NULL, NULL, 40000, 7, "data", 4);
		buf[test_l4_off_af(v6) + 5] += 1;
		memset(buf + len, 'p', 10);
		assert_int_equal(test_input(env, buf, len + 10, NULL, NULL), SS_DROP_UDP_TRUNCATED);
		len = dgram(buf, v6, NULL, NULL, 40000, 7, "data", 4);
		buf[test_l4_off_af(v6) + 4] = 0xff;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_UDP_TRUNCATED);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_TRUNCATED], 4);
}

static void
test_header_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	/* An IPv4 datagram with 4 bytes of UDP header. */
	len = dgram(buf, 0, NULL, NULL, 40000, 7, NULL, 0);
	buf[L3 + 3] = 24;
	test_fix_ip4_cksum(buf, L3);
	assert_int_equal(test_input(env, buf, len - 4, NULL, NULL), SS_DROP_UDP_TRUNCATED);
	/* An IPv6 one with none. */
	len = dgram(buf, 1, NULL, NULL, 40000, 7, NULL, 0);
	buf[L3 + 5] = 0;
	assert_int_equal(test_input(env, buf, L3 + 40, NULL, NULL), SS_DROP_UDP_TRUNCATED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_TRUNCATED], 2);
}

static void
test_length_shorter_than_ip_payload(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], tmp[9100];
	size_t len, out_len;
	int v6;

	/* UDP says 8 + 3 in an IP payload of 8 + 10: the datagram is 3 bytes. */
	for (v6 = 0; v6 <= 1; v6++) {
		len = dgram(buf, v6, NULL, NULL, 40000, 7, "abcdefghij", 10);
		buf[test_l4_off_af(v6) + 5] = 11;
		/* Its checksum covers those 11 bytes: compute it where IP agrees. */
		memcpy(tmp, buf, len);
		test_set_ip_payload_len(tmp, L3, v6, 11);
		test_fix_l4_cksum(tmp, L3, v6);
		memcpy(buf + test_l4_off_af(v6) + 6, tmp + test_l4_off_af(v6) + 6, 2);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		check_reply(out, out_len, v6, test_ip_us[v6], test_ip_peer[v6], 7, 40000, "abc", 3);
	}
}

/* ---- loop guard ---- */

static const uint16_t guarded[] = { 0, 7, 9, 11, 13, 17, 19, 37, 53, 69, 123, 161 };

static void
test_loop_guard_defaults(void **state)
{
	struct test_env *env = *state;
	const uint16_t svc_ports[] = { 7, 13, 19, 37 };
	unsigned int i, j;
	int v6;

	for (v6 = 0; v6 <= 1; v6++)
		for (i = 0; i < RTE_DIM(guarded); i++)
			for (j = 0; j < RTE_DIM(svc_ports); j++)
				assert_int_equal(send_only(env, v6, NULL, guarded[i], svc_ports[j],
								 "loop", 4),
						SS_DROP_UDP_LOOP_GUARD);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_LOOP_GUARD],
			2 * RTE_DIM(guarded) * RTE_DIM(svc_ports));
	/* Ports next to them are not guarded. */
	service(env, 0, 7, "ok", 2, "ok", 2);
	assert_int_equal(send_only(env, 0, NULL, 8, 7, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 1, NULL, 1, 7, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 0, NULL, 1024, 13, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 1, NULL, 65535, 37, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 0, NULL, 162, 19, "x", 1), SS_VERDICT_TX);
}

static void
test_loop_guard_configured(void **state)
{
	struct test_env *env = *state;

	set(env, "abuse", "loop_guard_ports", "5000 6000");
	assert_int_equal(send_only(env, 0, NULL, 5000, 7, "x", 1), SS_DROP_UDP_LOOP_GUARD);
	assert_int_equal(send_only(env, 1, NULL, 6000, 19, "x", 1), SS_DROP_UDP_LOOP_GUARD);
	/* The list replaces the defaults (53, 123: not services of ours)... */
	assert_int_equal(send_only(env, 0, NULL, 53, 7, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 1, NULL, 123, 7, "x", 1), SS_VERDICT_TX);
	/* ... but never the ports of our own UDP services. */
	assert_int_equal(send_only(env, 1, NULL, 7, 7, "x", 1), SS_DROP_UDP_LOOP_GUARD);
	assert_int_equal(send_only(env, 0, NULL, 19, 7, "x", 1), SS_DROP_UDP_LOOP_GUARD);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_LOOP_GUARD], 4);
}

/*
 * Issue 8, defect 7: with echo moved to 7007 on two appliances configured
 * alike, a datagram from 7007 to 7007 was echoed, and so for ever. The
 * guard covers every port a UDP service of ours answers on.
 */
static void
test_loop_guard_service_ports(void **state)
{
	struct test_env *env = *state;

	set(env, "echo", "udp_port", "7007");
	set(env, "daytime", "udp_port", "1313");
	assert_int_equal(send_only(env, 0, NULL, 7007, 7007, "loop", 4), SS_DROP_UDP_LOOP_GUARD);
	assert_int_equal(send_only(env, 1, NULL, 1313, 7007, "loop", 4), SS_DROP_UDP_LOOP_GUARD);
	assert_int_equal(send_only(env, 0, NULL, 7007, 1313, NULL, 0), SS_DROP_UDP_LOOP_GUARD);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_LOOP_GUARD], 3);
	/* Even with an empty list of its own. */
	set(env, "abuse", "loop_guard_ports", "");
	assert_int_equal(send_only(env, 1, NULL, 7007, 7007, "loop", 4), SS_DROP_UDP_LOOP_GUARD);
	/* A service that is off has no port to guard; off means off for all. */
	set(env, "daytime", "udp", "off");
	assert_int_equal(send_only(env, 0, NULL, 1313, 7007, "ok", 2), SS_VERDICT_TX);
	set(env, "abuse", "loop_guard", "off");
	assert_int_equal(send_only(env, 0, NULL, 7007, 7007, "ok", 2), SS_VERDICT_TX);
}

static void
test_loop_guard_off(void **state)
{
	struct test_env *env = *state;
	unsigned int i;

	set(env, "abuse", "loop_guard", "off");
	for (i = 0; i < RTE_DIM(guarded); i++)
		assert_int_equal(send_only(env, i % 2, NULL, guarded[i], 7, "x", 1), SS_VERDICT_TX);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_LOOP_GUARD], 0);
}

/* ---- amplification limits ---- */

static void
test_amplify_per_source(void **state)
{
	struct test_env *env = *state;
	unsigned int i;

	set(env, "abuse", "amplify_rate_per_source", "2");
	set(env, "abuse", "amplify_burst_per_source", "3");
	/* chargen: 74 bytes for 1. */
	for (i = 0; i < 3; i++)
		assert_int_equal(send_only(env, 0, NULL, 40000, 19, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 0, NULL, 40000, 19, "x", 1), SS_DROP_UDP_RATELIMIT_SOURCE);
	/* Any amplifying service of the same source shares its budget. */
	assert_int_equal(send_only(env, 0, NULL, 40001, 13, NULL, 0), SS_DROP_UDP_RATELIMIT_SOURCE);
	/* Other sources, of either family, have their own. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_only(env, 0, "198.51.100.9", 40000, 19, "x", 1),
				SS_VERDICT_TX);
		assert_int_equal(send_only(env, 1, NULL, 40000, 13, NULL, 0), SS_VERDICT_TX);
	}
	assert_int_equal(send_only(env, 1, NULL, 40000, 13, NULL, 0), SS_DROP_UDP_RATELIMIT_SOURCE);
	/* IPv6 sources by their /64 (issue 8, defect 10): another address in it is no help. */
	assert_int_equal(send_only(env, 1, "2001:db8::77", 40000, 13, NULL, 0),
			SS_DROP_UDP_RATELIMIT_SOURCE);
	assert_int_equal(send_only(env, 1, "2001:db8:0:1::77", 40000, 13, NULL, 0), SS_VERDICT_TX);
	/* Not amplifying: not limited. A 4-byte time reply to a 4-byte request. */
	assert_int_equal(send_only(env, 0, NULL, 40000, 37, "abcd", 4), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 0, NULL, 40000, 13, daytime_now, sizeof(daytime_now) - 1),
			SS_VERDICT_TX);
	/* Half a second later (2/s), one more. */
	env->worker.now += env->worker.hz / 2;
	assert_int_equal(send_only(env, 0, NULL, 40000, 19, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 0, NULL, 40000, 19, "x", 1), SS_DROP_UDP_RATELIMIT_SOURCE);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_RATELIMIT_SOURCE], 5);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_RATELIMIT_GLOBAL], 0);
}

/* The prefix is configurable: /128 makes every address a source of its own again. */
static void
test_amplify_source_prefix(void **state)
{
	struct test_env *env = *state;

	set(env, "abuse", "amplify_rate_per_source", "1");
	set(env, "abuse", "amplify_burst_per_source", "1");
	set(env, "abuse", "ipv6_source_prefix", "128");
	assert_int_equal(send_only(env, 1, NULL, 40000, 13, NULL, 0), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 1, NULL, 40000, 13, NULL, 0), SS_DROP_UDP_RATELIMIT_SOURCE);
	assert_int_equal(send_only(env, 1, "2001:db8::77", 40000, 13, NULL, 0), SS_VERDICT_TX);
	set(env, "abuse", "ipv6_source_prefix", "48");
	assert_int_equal(send_only(env, 1, "2001:db8:1::78", 40000, 13, NULL, 0), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 1, "2001:db8:1:2::78", 40000, 13, NULL, 0),
			SS_DROP_UDP_RATELIMIT_SOURCE);
}

static void
test_amplify_global(void **state)
{
	struct test_env *env = *state;
	char src[32];
	unsigned int i;

	set(env, "abuse", "amplify_rate_per_source", "0");
	set(env, "abuse", "amplify_rate_global", "10");
	set(env, "abuse", "amplify_burst_global", "5");
	/* Five sources, one datagram each, then the sixth is one too many. */
	for (i = 0; i < 5; i++) {
		snprintf(src, sizeof(src), "198.51.100.%u", 10 + i);
		assert_int_equal(send_only(env, 0, src, 40000, 19, NULL, 0), SS_VERDICT_TX);
	}
	assert_int_equal(send_only(env, 1, NULL, 40000, 19, NULL, 0), SS_DROP_UDP_RATELIMIT_GLOBAL);
	assert_int_equal(send_only(env, 0, "203.0.113.1", 40000, 13, NULL, 0),
			SS_DROP_UDP_RATELIMIT_GLOBAL);
	env->worker.now += env->worker.hz / 10;
	assert_int_equal(send_only(env, 0, "203.0.113.1", 40000, 13, NULL, 0), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 0, "203.0.113.2", 40000, 13, NULL, 0),
			SS_DROP_UDP_RATELIMIT_GLOBAL);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_RATELIMIT_GLOBAL], 3);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_RATELIMIT_SOURCE], 0);
}

static void
test_echo_never_limited(void **state)
{
	struct test_env *env = *state;
	uint8_t data[1000];
	unsigned int i;

	memset(data, 'e', sizeof(data));
	set(env, "abuse", "amplify_rate_per_source", "1");
	set(env, "abuse", "amplify_burst_per_source", "1");
	set(env, "abuse", "amplify_rate_global", "1");
	set(env, "abuse", "amplify_burst_global", "1");
	for (i = 0; i < 1000; i++)
		service(env, i % 2, 7, data, i, data, i);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_RATELIMIT_SOURCE], 0);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_RATELIMIT_GLOBAL], 0);
	/* While an amplifying service is limited at once. */
	assert_int_equal(send_only(env, 0, NULL, 40000, 19, NULL, 0), SS_VERDICT_TX);
	assert_int_equal(send_only(env, 0, NULL, 40000, 19, NULL, 0), SS_DROP_UDP_RATELIMIT_SOURCE);
}

/* ---- MTU ---- */

static void
test_reply_exceeds_mtu(void **state)
{
	struct test_env *env = *state;
	uint8_t data[1400];
	int v6;

	memset(data, 'm', sizeof(data));
	set(env, "port0", "mtu", "1280");
	for (v6 = 0; v6 <= 1; v6++) {
		size_t fits = 1280 - (v6 ? 48 : 28);

		service(env, v6, 7, data, fits, data, fits);
		assert_int_equal(send_only(env, v6, NULL, 40000, 7, data, fits + 1),
				SS_DROP_REPLY_TOO_BIG);
		assert_int_equal(send_only(env, v6, NULL, 40000, 7, data, 1300),
				SS_DROP_REPLY_TOO_BIG);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_REPLY_TOO_BIG], 4);
}

static void
test_jumbo_echo(void **state)
{
	struct test_env *env = *state;
	static uint8_t data[8000];
	size_t i;
	int v6;

	/* Never truncated, up to what the MTU carries. */
	for (i = 0; i < sizeof(data); i++)
		data[i] = i * 31;
	set(env, "port0", "mtu", "9000");
	for (v6 = 0; v6 <= 1; v6++)
		service(env, v6, 7, data, sizeof(data), data, sizeof(data));
}

/* ---- port map ---- */

static void
test_service_moved(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	int v6;

	set(env, "echo", "udp_port", "7007");
	set(env, "daytime", "udp_port", "7");
	for (v6 = 0; v6 <= 1; v6++) {
		service(env, v6, 7007, "moved", 5, "moved", 5);
		service(env, v6, 7, "x", 1, daytime_now, sizeof(daytime_now) - 1);
		len = dgram(buf, v6, NULL, NULL, 40000, 13, NULL, 0);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		check_port_unreachable(out, out_len, v6);
	}
	assert_int_equal(counters(env, SS_SVC_ECHO, 0)->requests, 1);
	assert_int_equal(counters(env, SS_SVC_DAYTIME, 1)->requests, 1);
}

static void
test_service_disabled(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	int v6;

	set(env, "time", "udp", "off");
	set(env, "discard", "udp", "off");
	/* TCP's switch does not touch UDP. */
	set(env, "echo", "tcp", "off");
	for (v6 = 0; v6 <= 1; v6++) {
		len = dgram(buf, v6, NULL, NULL, 40000, 37, NULL, 0);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		check_port_unreachable(out, out_len, v6);
		len = dgram(buf, v6, NULL, NULL, 40000, 9, "x", 1);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		check_port_unreachable(out, out_len, v6);
		service(env, v6, 7, "still", 5, "still", 5);
		assert_int_equal(counters(env, SS_SVC_TIME, v6)->requests, 0);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_DISCARD], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_ipv4_zero_checksum, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_daytime, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_daytime_follows_clock, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_time, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_clock_unset, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_chargen, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_chargen_random, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_discard, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_qotd_off_by_default, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_qotd_on, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_reply_from_address_asked, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_zero_checksum, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flags, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flag_none, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_length_too_short, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_length_past_ip_payload, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_header_truncated, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_length_shorter_than_ip_payload, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_loop_guard_defaults, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_loop_guard_service_ports, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_loop_guard_configured, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_loop_guard_off, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_amplify_per_source, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_amplify_source_prefix, setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_amplify_global, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_never_limited, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_reply_exceeds_mtu, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_jumbo_echo, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_service_moved, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_service_disabled, setup, test_env_teardown),
	};

	return cmocka_run_group_tests_name("udp", tests, NULL, NULL);
}
