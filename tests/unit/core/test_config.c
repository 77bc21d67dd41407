/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration: defaults, every key of the key table with good and
 * bad values, INI files (good, syntax errors, bad values), the checks of
 * ss_config_finish() and what it derives (port map, loop-guard set).
 */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "service.h"

static struct ss_config *cfg;
static char dir[64];
static unsigned int file_no;
static char err[1024];

static int
group_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sscfgXXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	cfg = malloc(sizeof(*cfg));
	return cfg == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char path[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < file_no; i++) {
		snprintf(path, sizeof(path), "%s/f%u.ini", dir, i);
		unlink(path);
	}
	rmdir(dir);
	free(cfg);
	return 0;
}

/* Every test starts from the defaults. */
static int
fresh(void **state)
{
	(void)state;
	ss_config_defaults(cfg);
	memset(err, 0, sizeof(err));
	return 0;
}

/* A new file in the test directory with this text; returns its path. */
static const char *
write_file(const char *fmt, ...)
{
	/* A few paths stay valid at once: a test may write several files. */
	static char paths[8][128];
	char *path = paths[file_no % 8];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(paths[0]), "%s/f%u.ini", dir, file_no);
	file_no++;
	f = fopen(path, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
set_ok(const char *section, const char *key, const char *value)
{
	err[0] = '\0';
	if (ss_config_set(cfg, section, key, value, err, sizeof(err)) != 0)
		fail_msg("[%s] %s = \"%s\" refused: %s", section, key, value, err);
}

static void
set_bad(const char *section, const char *key, const char *value, const char *reason)
{
	err[0] = '\0';
	if (ss_config_set(cfg, section, key, value, err, sizeof(err)) != -1)
		fail_msg("[%s] %s = \"%s\" accepted", section, key, value);
	if (strstr(err, reason) == NULL)
		fail_msg("[%s] %s = \"%s\": error \"%s\" does not say \"%s\"", section, key, value,
				err, reason);
}

static void
finish_ok(void)
{
	err[0] = '\0';
	if (ss_config_finish(cfg, err, sizeof(err)) != 0)
		fail_msg("ss_config_finish: %s", err);
}

static void
finish_bad(const char *reason)
{
	err[0] = '\0';
	if (ss_config_finish(cfg, err, sizeof(err)) != -1)
		fail_msg("ss_config_finish accepted the configuration");
	if (strstr(err, reason) == NULL)
		fail_msg("ss_config_finish: \"%s\" does not say \"%s\"", err, reason);
}

/* Is the port set in bits (loop_ports_listed, loop_ports) exactly ports? */
static bool
port_set_is(const uint64_t *bits, const char *ports)
{
	bool want[65536] = { false };
	char copy[256], *tok, *save;
	unsigned int p;

	snprintf(copy, sizeof(copy), "%s", ports);
	for (tok = strtok_r(copy, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save))
		want[atoi(tok)] = true;
	for (p = 0; p < 65536; p++) {
		bool is = (bits[p >> 6] >> (p & 63)) & 1;

		if (is != want[p]) {
			print_error("loop guard port %u: %d, expected %d\n", p, is, want[p]);
			return false;
		}
	}
	return true;
}

/* loop_guard_ports as parsed. */
static bool
loop_set_is(const char *ports)
{
	return port_set_is(cfg->abuse.loop_ports_listed, ports);
}

/* What the guard covers once the configuration is finished (ss_config_loop_port). */
static bool
guarded_is(const char *ports)
{
	unsigned int p;

	for (p = 0; p < 65536; p++)
		if (ss_config_loop_port(cfg, p) !=
				((cfg->abuse.loop_ports[p >> 6] >> (p & 63)) & 1))
			return false;
	return port_set_is(cfg->abuse.loop_ports, ports);
}

static void
test_defaults(void **state)
{
	unsigned int s, t, p;

	(void)state;
	assert_int_equal(cfg->n_ports, 0);
	assert_int_equal(cfg->rx_desc, 1024);
	assert_int_equal(cfg->tx_desc, 1024);
	assert_int_equal(cfg->burst, 32);
	for (p = 0; p < SS_MAX_PORTS; p++) {
		assert_int_equal(cfg->port[p].mtu, 1500);
		assert_int_equal(cfg->port[p].n_ip4, 0);
		assert_int_equal(cfg->port[p].n_ip6, 0);
	}
	for (s = 0; s < SS_SVC_MAX; s++) {
		for (t = 0; t < SS_TRANSPORT_MAX; t++) {
			/* qotd is an amplifier: off unless asked for. */
			assert_int_equal(cfg->svc[s][t].enabled, s != SS_SVC_QOTD);
			assert_int_equal(cfg->svc[s][t].port, ss_svc_default_port(s));
		}
	}
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_BSD);
	assert_string_equal(cfg->daytime.pattern, "%a %b %e %H:%M:%S %Y");
	assert_false(cfg->daytime.upper_case);
	assert_string_equal(cfg->daytime.timezone, "UTC");
	assert_int_equal(cfg->chargen_udp_mode, SS_CHARGEN_UDP_LINE);
	assert_string_equal(cfg->qotd_file, "");
	assert_true(cfg->abuse.loop_guard);
	assert_true(loop_set_is("0 7 9 11 13 17 19 37 53 69 123 161"));
	assert_true(cfg->abuse.source_check);
	assert_int_equal(cfg->abuse.amplify_per_source.rate, 100);
	assert_int_equal(cfg->abuse.amplify_per_source.burst, 100);
	assert_int_equal(cfg->abuse.amplify_global.rate, 10000);
	assert_int_equal(cfg->abuse.amplify_global.burst, 1000);
	assert_int_equal(cfg->abuse.ratelimit_sources, 4096);
	assert_int_equal(cfg->abuse.icmp_error.rate, 1000);
	assert_int_equal(cfg->abuse.icmp_error.burst, 50);
	assert_int_equal(cfg->abuse.clock_min_year, 2000);
}

/* Numeric keys: the field each one sets and its range. */
#define GET(name, expr)                                       \
	static uint64_t get_##name(const struct ss_config *c) \
	{                                                     \
		return c->expr;                               \
	}
GET(rx_desc, rx_desc)
GET(tx_desc, tx_desc)
GET(burst, burst)
GET(trace, trace)
GET(mtu0, port[0].mtu)
GET(mtu7, port[7].mtu)
GET(aps_rate, abuse.amplify_per_source.rate)
GET(aps_burst, abuse.amplify_per_source.burst)
GET(ag_rate, abuse.amplify_global.rate)
GET(ag_burst, abuse.amplify_global.burst)
GET(icmp_rate, abuse.icmp_error.rate)
GET(icmp_burst, abuse.icmp_error.burst)
GET(min_year, abuse.clock_min_year)
GET(v6_prefix, abuse.ipv6_source_prefix)
GET(max_connections, tcp.max_connections)
GET(max_half_open, tcp.max_half_open)
GET(max_per_source, tcp.max_per_source)
GET(mss, tcp.mss)
GET(window, tcp.window)
GET(echo_buffer, tcp.echo_buffer)
GET(rto_initial, tcp.rto_initial_ms)
GET(rto_min, tcp.rto_min_ms)
GET(rto_max, tcp.rto_max_ms)
GET(max_retries, tcp.max_retries)
GET(syn_retries, tcp.syn_retries)
GET(idle, tcp.idle_timeout_ms)
GET(zero_window, tcp.zero_window_timeout_ms)
GET(fin_wait2, tcp.fin_wait2_timeout_ms)
GET(time_wait, tcp.time_wait_ms)
GET(invalid_ack, tcp.invalid_ack_interval_ms)
GET(challenge, tcp.challenge_ack_rate)
GET(held_per_source, tcp.max_held_per_source)
GET(half_open_per_source, tcp.max_half_open_per_source)
#undef GET

static const struct {
	const char *section;
	const char *key;
	uint64_t min, max;
	uint64_t (*get)(const struct ss_config *c);
} num_keys[] = {
	{ "general", "rx_desc", 64, 16384, get_rx_desc },
	{ "general", "tx_desc", 64, 16384, get_tx_desc },
	{ "general", "burst", 1, 256, get_burst },
	{ "general", "trace", 0, 65535, get_trace },
	{ "port0", "mtu", 1280, 9000, get_mtu0 },
	{ "port7", "mtu", 1280, 9000, get_mtu7 },
	{ "abuse", "amplify_rate_per_source", 0, 100000000, get_aps_rate },
	{ "abuse", "amplify_burst_per_source", 1, 100000000, get_aps_burst },
	{ "abuse", "amplify_rate_global", 0, 1000000000, get_ag_rate },
	{ "abuse", "amplify_burst_global", 1, 1000000000, get_ag_burst },
	{ "abuse", "icmp_error_rate", 0, 100000000, get_icmp_rate },
	{ "abuse", "icmp_error_burst", 1, 100000000, get_icmp_burst },
	{ "abuse", "clock_min_year", 1970, 9999, get_min_year },
	{ "abuse", "ipv6_source_prefix", 1, 128, get_v6_prefix },
	{ "tcp", "max_connections", 1, 1u << 26, get_max_connections },
	{ "tcp", "max_half_open", 0, 1u << 24, get_max_half_open },
	{ "tcp", "max_per_source", 1, 65535, get_max_per_source },
	{ "tcp", "mss", 536, 8960, get_mss },
	{ "tcp", "window", 1024, 1u << 30, get_window },
	{ "tcp", "echo_buffer", 1024, 1u << 24, get_echo_buffer },
	{ "tcp", "rto_initial_ms", 10, 60000, get_rto_initial },
	{ "tcp", "rto_min_ms", 1, 60000, get_rto_min },
	{ "tcp", "rto_max_ms", 100, 60000, get_rto_max },
	{ "tcp", "max_retries", 1, 30, get_max_retries },
	{ "tcp", "syn_retries", 0, 10, get_syn_retries },
	{ "tcp", "idle_timeout_ms", 100, 86400000, get_idle },
	{ "tcp", "zero_window_timeout_ms", 100, 86400000, get_zero_window },
	{ "tcp", "fin_wait2_timeout_ms", 100, 86400000, get_fin_wait2 },
	{ "tcp", "time_wait_ms", 0, 240000, get_time_wait },
	{ "tcp", "invalid_ack_interval_ms", 0, 60000, get_invalid_ack },
	{ "tcp", "challenge_ack_rate", 0, 100000000, get_challenge },
	{ "tcp", "max_held_per_source", 65536, 1u << 31, get_held_per_source },
	{ "tcp", "max_half_open_per_source", 0, 65535, get_half_open_per_source },
};

static void
check_number_key(const char *section, const char *key, uint64_t min, uint64_t max,
		uint64_t (*get)(const struct ss_config *c))
{
	static const char *const not_numbers[] = { "", "abc", "-1", "+5", " 100", "100 ", "0x100",
		"1.5", "1e3", "100k", "99999999999999999999999" };
	char v[32], range[64];
	uint64_t before, mid = min + (max - min) / 2;
	unsigned int i;

	snprintf(range, sizeof(range), "must be %llu..%llu", (unsigned long long)min,
			(unsigned long long)max);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)min);
	set_ok(section, key, v);
	assert_true(get(cfg) == min);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)max);
	set_ok(section, key, v);
	assert_true(get(cfg) == max);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)mid);
	set_ok(section, key, v);
	assert_true(get(cfg) == mid);
	/* A refused value leaves the previous one in place. */
	before = get(cfg);
	if (min > 0) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)min - 1);
		set_bad(section, key, v, range);
	}
	snprintf(v, sizeof(v), "%llu", (unsigned long long)max + 1);
	set_bad(section, key, v, range);
	set_bad(section, key, "4294967296", range);
	for (i = 0; i < RTE_DIM(not_numbers); i++)
		set_bad(section, key, not_numbers[i], "not a number");
	assert_true(get(cfg) == before);
}

static void
test_number_keys(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(num_keys); i++)
		check_number_key(num_keys[i].section, num_keys[i].key, num_keys[i].min,
				num_keys[i].max, num_keys[i].get);
}

static unsigned int svc_under_test;
static uint64_t
get_udp_port(const struct ss_config *c)
{
	return c->svc[svc_under_test][SS_UDP].port;
}

static uint64_t
get_tcp_port(const struct ss_config *c)
{
	return c->svc[svc_under_test][SS_TCP].port;
}

static void
test_service_keys(void **state)
{
	static const char *const bad_bools[] = { "", "2", "onn", "enable", " on" };
	unsigned int s, t, i;

	(void)state;
	for (s = 0; s < SS_SVC_MAX; s++) {
		const char *name = ss_svc_name(s);

		svc_under_test = s;
		check_number_key(name, "udp_port", 1, 65535, get_udp_port);
		check_number_key(name, "tcp_port", 1, 65535, get_tcp_port);
		for (t = 0; t < SS_TRANSPORT_MAX; t++) {
			const char *key = ss_transport_name(t);

			set_ok(name, key, "off");
			assert_false(cfg->svc[s][t].enabled);
			set_ok(name, key, "on");
			assert_true(cfg->svc[s][t].enabled);
			set_ok(name, key, "no");
			assert_false(cfg->svc[s][t].enabled);
			set_ok(name, key, "YES");
			assert_true(cfg->svc[s][t].enabled);
			set_ok(name, key, "0");
			assert_false(cfg->svc[s][t].enabled);
			set_ok(name, key, "true");
			assert_true(cfg->svc[s][t].enabled);
			for (i = 0; i < RTE_DIM(bad_bools); i++)
				set_bad(name, key, bad_bools[i], "not a boolean");
			assert_true(cfg->svc[s][t].enabled);
		}
		/* The other transport and the other services are untouched. */
		set_ok(name, "udp", "off");
		assert_true(cfg->svc[s][SS_TCP].enabled);
		assert_int_equal(cfg->svc[(s + 1) % SS_SVC_MAX][SS_UDP].enabled,
				(s + 1) % SS_SVC_MAX != SS_SVC_QOTD);
		ss_config_defaults(cfg);
	}
}

static void
test_abuse_bool_keys(void **state)
{
	(void)state;
	set_ok("abuse", "source_check", "off");
	assert_false(cfg->abuse.source_check);
	set_ok("abuse", "source_check", "On");
	assert_true(cfg->abuse.source_check);
	set_bad("abuse", "source_check", "maybe", "not a boolean");
	set_bad("abuse", "source_check", "", "not a boolean");
	assert_true(cfg->abuse.source_check);
	set_ok("abuse", "loop_guard", "false");
	assert_false(cfg->abuse.loop_guard);
	set_ok("abuse", "loop_guard", "1");
	assert_true(cfg->abuse.loop_guard);
	set_bad("abuse", "loop_guard", "disabled", "not a boolean");
	assert_true(cfg->abuse.loop_guard);
	/* Not [abuse]'s, but a boolean all the same. */
	assert_true(cfg->fast_path);
	set_ok("general", "fast_path", "off");
	assert_false(cfg->fast_path);
	set_bad("general", "fast_path", "fast", "not a boolean");
	assert_false(cfg->fast_path);
	assert_true(cfg->tx_cksum_offload);
	set_ok("general", "tx_cksum_offload", "no");
	assert_false(cfg->tx_cksum_offload);
	set_bad("general", "tx_cksum_offload", "hw", "not a boolean");
	assert_false(cfg->tx_cksum_offload);
}

static void
check_ip4(unsigned int port, unsigned int i, const char *addr, uint8_t len)
{
	uint32_t a;

	test_addr(addr, 0, (uint8_t *)&a);
	assert_int_equal(cfg->port[port].ip4[i].addr, a);
	assert_int_equal(cfg->port[port].ip4[i].len, len);
}

static void
test_port_ipv4(void **state)
{
	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24");
	assert_int_equal(cfg->n_ports, 1);
	assert_int_equal(cfg->port[0].n_ip4, 1);
	check_ip4(0, 0, "192.0.2.1", 24);
	/* Commas or blanks between entries; setting again replaces the list. */
	set_ok("port0", "ipv4", "198.51.100.1/24, 203.0.113.7/32 192.0.2.0/31");
	assert_int_equal(cfg->port[0].n_ip4, 3);
	check_ip4(0, 0, "198.51.100.1", 24);
	check_ip4(0, 1, "203.0.113.7", 32);
	check_ip4(0, 2, "192.0.2.0", 31);
	set_ok("port0", "ipv4",
			"192.0.2.1/24,192.0.2.2/24,192.0.2.3/24,192.0.2.4/24,"
			"192.0.2.5/24,192.0.2.6/24,192.0.2.7/24,192.0.2.8/24");
	assert_int_equal(cfg->port[0].n_ip4, SS_MAX_ADDRS);
	check_ip4(0, 7, "192.0.2.8", 24);
	set_bad("port0", "ipv4",
			"192.0.2.1/24,192.0.2.2/24,192.0.2.3/24,192.0.2.4/24,"
			"192.0.2.5/24,192.0.2.6/24,192.0.2.7/24,192.0.2.8/24,192.0.2.9/24",
			"more than 8 entries");
	set_bad("port0", "ipv4", "192.0.2.1", "missing /prefix-length");
	set_bad("port0", "ipv4", "192.0.2.1/33", "prefix length must be 1..32");
	set_bad("port0", "ipv4", "192.0.2.1/0", "prefix length must be 1..32");
	set_bad("port0", "ipv4", "192.0.2.1/abc", "prefix length not a number");
	set_bad("port0", "ipv4", "192.0.2.300/24", "not an IPv4 address");
	set_bad("port0", "ipv4", "2001:db8::1/24", "not an IPv4 address");
	set_bad("port0", "ipv4", "2001:db8::1/64", "not an IPv4 address");
	set_bad("port0", "ipv4", "192.0.2.0/24", "network or broadcast");
	set_bad("port0", "ipv4", "192.0.2.255/24", "network or broadcast");
	set_bad("port0", "ipv4", "127.0.0.1/8", "not a unicast host address");
	set_bad("port0", "ipv4", "0.0.0.1/8", "not a unicast host address");
	set_bad("port0", "ipv4", "224.0.0.5/24", "not a unicast host address");
	set_bad("port0", "ipv4", "255.255.255.255/32", "not a unicast host address");
	/* One bad entry spoils the list. */
	set_bad("port0", "ipv4", "192.0.2.1/24, 127.0.0.1/8", "not a unicast host address");
	assert_int_equal(cfg->port[0].n_ip4, SS_MAX_ADDRS);
	/* Other ports, up to the last one. */
	set_ok("port7", "ipv4", "203.0.113.1/24");
	assert_int_equal(cfg->n_ports, 8);
	check_ip4(7, 0, "203.0.113.1", 24);
	assert_int_equal(cfg->port[0].n_ip4, SS_MAX_ADDRS);
}

static void
test_port_ipv6(void **state)
{
	uint8_t a[16];

	(void)state;
	set_ok("port2", "ipv6", "2001:db8::1/64, 2001:db8:1::1/48");
	assert_int_equal(cfg->n_ports, 3);
	assert_int_equal(cfg->port[2].n_ip6, 2);
	test_addr("2001:db8:1::1", 1, a);
	assert_memory_equal(cfg->port[2].ip6[1].addr, a, 16);
	assert_int_equal(cfg->port[2].ip6[1].len, 48);
	set_bad("port2", "ipv6", "2001:db8::1", "missing /prefix-length");
	set_bad("port2", "ipv6", "2001:db8::1/129", "prefix length must be 1..128");
	set_bad("port2", "ipv6", "2001:db8::zz/64", "not an IPv6 address");
	set_bad("port2", "ipv6", "::1/128", "not a unicast host address");
	set_bad("port2", "ipv6", "::/0", "prefix length");
	set_bad("port2", "ipv6", "::/64", "not a unicast host address");
	set_bad("port2", "ipv6", "ff02::1/64", "not a unicast host address");
	set_bad("port2", "ipv6", "::ffff:192.0.2.1/120", "not a unicast host address");
	set_bad("port2", "ipv6",
			"1::1/64 2::1/64 3::1/64 4::1/64 5::1/64 6::1/64 7::1/64 "
			"8::1/64 9::1/64",
			"more than 8 entries");
	assert_int_equal(cfg->port[2].n_ip6, 2);
}

static void
test_port_ipv6_link_local(void **state)
{
	static const char *const bad[] = { "on", "AUTO", "fe80::", "fe80::1/64", "fe80:0:0:1::1",
		"febf::1", "2001:db8::1", "ff02::1", "fe80::zz", "" };
	uint8_t a[16];
	unsigned int i;

	(void)state;
	/* auto by default, on every port. */
	for (i = 0; i < SS_MAX_PORTS; i++)
		assert_int_equal(cfg->port[i].link_local, SS_LINK_LOCAL_AUTO);
	set_ok("port1", "ipv6_link_local", "off");
	assert_int_equal(cfg->port[1].link_local, SS_LINK_LOCAL_OFF);
	assert_int_equal(cfg->n_ports, 2);
	set_ok("port1", "ipv6_link_local", "fe80::53");
	assert_int_equal(cfg->port[1].link_local, SS_LINK_LOCAL_ADDR);
	test_addr("fe80::53", 1, a);
	assert_memory_equal(cfg->port[1].link_local_addr, a, 16);
	set_ok("port1", "ipv6_link_local", "auto");
	assert_int_equal(cfg->port[1].link_local, SS_LINK_LOCAL_AUTO);
	/* Only fe80::/64 (RFC 4291 2.5.6), and not its subnet-router anycast fe80::. */
	for (i = 0; i < RTE_DIM(bad); i++)
		set_bad("port1", "ipv6_link_local", bad[i], "must be auto, off, or an address");
	assert_int_equal(cfg->port[1].link_local, SS_LINK_LOCAL_AUTO);
	/* It is no address of its own: the port still needs one. */
	set_ok("port0", "ipv4", "192.0.2.1/24");
	finish_bad("[port1]: no address (set ipv4 or ipv6)");
}

static void
test_port_sections(void **state)
{
	static const char *const bad[] = { "port8", "port99", "port", "portx", "port1x", "port-1",
		"port 1", "Port0", "port4294967296", "ports", "port01", "port00" };
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(bad); i++)
		set_bad(bad[i], "mtu", "1500", "unknown section");
	assert_int_equal(cfg->n_ports, 0);
	/* An unknown key names no port. */
	set_bad("port5", "speed", "10G", "unknown key");
	assert_int_equal(cfg->n_ports, 0);
	set_ok("port3", "mtu", "9000");
	assert_int_equal(cfg->n_ports, 4);
	set_ok("port1", "mtu", "1280");
	assert_int_equal(cfg->n_ports, 4);
}

static void
test_daytime_keys(void **state)
{
	char pattern[SS_DAYTIME_PATTERN_MAX + 1];

	(void)state;
	set_ok("daytime", "format", "xinetd");
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_XINETD);
	assert_true(cfg->daytime.upper_case);
	set_ok("daytime", "format", "cisco");
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_CISCO);
	assert_false(cfg->daytime.upper_case);
	set_ok("daytime", "format", "rfc867");
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_RFC867);
	set_ok("daytime", "format", "bsd");
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_BSD);
	set_bad("daytime", "format", "iso8601", "must be bsd, cisco, xinetd, rfc867 or custom");
	set_bad("daytime", "format", "", "must be bsd");
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_BSD);
	/* A pattern needs format = custom first, or it would be overwritten. */
	set_bad("daytime", "pattern", "%Y", "needs format = custom before it");
	assert_string_equal(cfg->daytime.pattern, "%a %b %e %H:%M:%S %Y");
	set_ok("daytime", "format", "custom");
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_CUSTOM);
	set_ok("daytime", "pattern", "%Y-%m-%d");
	assert_string_equal(cfg->daytime.pattern, "%Y-%m-%d");
	memset(pattern, 'x', SS_DAYTIME_PATTERN_MAX - 1);
	pattern[SS_DAYTIME_PATTERN_MAX - 1] = '\0';
	set_ok("daytime", "pattern", pattern);
	memset(pattern, 'y', SS_DAYTIME_PATTERN_MAX);
	pattern[SS_DAYTIME_PATTERN_MAX] = '\0';
	set_bad("daytime", "pattern", pattern, "longer than 127 characters");
	assert_int_equal(cfg->daytime.pattern[0], 'x');
	set_ok("daytime", "timezone", "Europe/Berlin");
	assert_string_equal(cfg->daytime.timezone, "Europe/Berlin");
	set_ok("daytime", "timezone", "CET-1CEST,M3.5.0,M10.5.0/3");
	set_bad("daytime", "timezone", "Mars/Olympus_Mons", "not a time zone");
	set_bad("daytime", "timezone", "Europe", "not a time zone");
	assert_string_equal(cfg->daytime.timezone, "CET-1CEST,M3.5.0,M10.5.0/3");
	/* These keys are daytime's alone. */
	set_bad("echo", "format", "bsd", "unknown key");
	set_bad("time", "pattern", "%Y", "unknown key");
	set_bad("general", "timezone", "UTC", "unknown key");
}

static void
test_chargen_udp_mode(void **state)
{
	(void)state;
	set_ok("chargen", "udp_mode", "random");
	assert_int_equal(cfg->chargen_udp_mode, SS_CHARGEN_UDP_RANDOM);
	set_ok("chargen", "udp_mode", "line");
	assert_int_equal(cfg->chargen_udp_mode, SS_CHARGEN_UDP_LINE);
	set_bad("chargen", "udp_mode", "Random", "must be line or random");
	set_bad("chargen", "udp_mode", "lines", "must be line or random");
	set_bad("chargen", "udp_mode", "", "must be line or random");
	assert_int_equal(cfg->chargen_udp_mode, SS_CHARGEN_UDP_LINE);
	set_bad("echo", "udp_mode", "random", "unknown key");
	set_bad("qotd", "udp_mode", "random", "unknown key");
}

static void
test_qotd_file_key(void **state)
{
	char long_path[300];
	const char *path;

	(void)state;
	path = write_file("a quote\n");
	set_ok("qotd", "file", path);
	assert_string_equal(cfg->qotd_file, path);
	set_bad("qotd", "file", "/nonexistent/quotes", "cannot read the file");
	assert_string_equal(cfg->qotd_file, path);
	memset(long_path, 'q', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	set_bad("qotd", "file", long_path, "path too long");
	set_bad("daytime", "file", path, "unknown key");
}

static void
test_loop_guard_ports(void **state)
{
	char many[512];
	unsigned int i, off = 0;

	(void)state;
	set_ok("abuse", "loop_guard_ports", "1 2, 3");
	assert_true(loop_set_is("1 2 3"));
	set_ok("abuse", "loop_guard_ports", "0,65535");
	assert_true(loop_set_is("0 65535"));
	set_ok("abuse", "loop_guard_ports", "");
	assert_true(loop_set_is(""));
	set_bad("abuse", "loop_guard_ports", "7 65536", "must be 0..65535");
	set_bad("abuse", "loop_guard_ports", "7 -1", "not a number");
	set_bad("abuse", "loop_guard_ports", "echo", "not a number");
	for (i = 0; i < 64; i++)
		off += snprintf(many + off, sizeof(many) - off, "%u ", 1000 + i);
	set_ok("abuse", "loop_guard_ports", many);
	set_ok("port0", "ipv4", "192.0.2.1/24");
	finish_ok();
	assert_true(ss_config_loop_port(cfg, 1000));
	assert_true(ss_config_loop_port(cfg, 1063));
	assert_false(ss_config_loop_port(cfg, 1064));
	assert_false(ss_config_loop_port(cfg, 999));
	snprintf(many + off, sizeof(many) - off, "2000");
	set_bad("abuse", "loop_guard_ports", many, "more than 64 entries");
}

static void
test_ratelimit_sources(void **state)
{
	static const char *const good[] = { "16", "32", "1024", "65536", "16777216" };
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(good); i++) {
		set_ok("abuse", "ratelimit_sources", good[i]);
		assert_int_equal(cfg->abuse.ratelimit_sources, strtoul(good[i], NULL, 10));
	}
	set_bad("abuse", "ratelimit_sources", "8", "must be 16..16777216");
	set_bad("abuse", "ratelimit_sources", "0", "must be 16..16777216");
	set_bad("abuse", "ratelimit_sources", "33554432", "must be 16..16777216");
	set_bad("abuse", "ratelimit_sources", "17", "must be a power of 2");
	set_bad("abuse", "ratelimit_sources", "1000", "must be a power of 2");
	set_bad("abuse", "ratelimit_sources", "4095", "must be a power of 2");
	set_bad("abuse", "ratelimit_sources", "many", "not a number");
	assert_int_equal(cfg->abuse.ratelimit_sources, 16777216);
}

static void
test_unknown_keys_and_sections(void **state)
{
	static const char *const sections[] = { "", "generals", "General", "ECHO", "services",
		"qotd2", "abuse ", "[general]" };
	unsigned int i;

	(void)state;
	set_bad("general", "foo", "1", "unknown key");
	set_bad("general", "ipv4", "192.0.2.1/24", "unknown key");
	set_bad("abuse", "udp", "on", "unknown key");
	set_bad("port0", "udp", "on", "unknown key");
	set_bad("echo", "mtu", "1500", "unknown key");
	set_bad("echo", "", "1", "unknown key");
	set_bad("echo", "UDP", "on", "unknown key");
	set_bad("tcp", "max_connection", "1", "unknown key");
	/* A key that went says why: an old config learns what replaced it. */
	set_bad("tcp", "challenge_ack_burst", "100",
			"no longer a key: the challenge-ACK "
			"budget is drawn each second (challenge_ack_rate), and each connection answers "
			"once per invalid_ack_interval_ms");
	for (i = 0; i < RTE_DIM(sections); i++)
		set_bad(sections[i], "udp", "on", "unknown section");
	/* The reason lists what would have been right. */
	assert_non_null(strstr(err, "portN"));
	assert_non_null(strstr(err, "chargen"));
}

/*
 * The table smallsrv(8) is made from (ss_config_key_get): every key it names is
 * one ss_config_set() takes in its section, and setting each documented default
 * leaves the configuration as ss_config_defaults() made it, byte for byte.
 */
static void
test_key_table_defaults(void **state)
{
	struct ss_config *want = malloc(sizeof(*want));
	unsigned int i, n = 0, with_default = 0;
	struct ss_config_key k;
	const char *section;

	(void)state;
	assert_non_null(want);
	ss_config_defaults(want);
	for (i = 0; ss_config_key_get(i, &k) == 0; i++, n++) {
		assert_non_null(k.key);
		assert_non_null(k.doc);
		assert_true(strlen(k.doc) > 10);
		if (strcmp(k.section, "portN") == 0)
			section = "port0";
		else if (strcmp(k.section, "SERVICE") == 0)
			section = "time";
		else
			section = k.section;
		if (k.def == NULL) {
			/* No default to set: a bad value is refused as bad, not as unknown. */
			assert_int_equal(ss_config_set(cfg, section, k.key, "?", err, sizeof(err)),
					-1);
			assert_null(strstr(err, "unknown"));
			continue;
		}
		if (k.has_range) {
			assert_true(k.min <= strtoull(k.def, NULL, 10));
			assert_true(strtoull(k.def, NULL, 10) <= k.max);
		}
		with_default++;
		if (ss_config_set(cfg, section, k.key, k.def, err, sizeof(err)) != 0)
			fail_msg("[%s] %s = %s: %s", section, k.key, k.def, err);
	}
	cfg->n_ports = 0; /* counted by the [port0] keys */
	assert_memory_equal(cfg, want, sizeof(*cfg));
	assert_true(n > 50);
	assert_true(with_default > 40);
	assert_int_equal(ss_config_key_get(n, &k), -1);
	free(want);
}

static void
test_load_good(void **state)
{
	const char *quotes, *path;
	uint32_t a;

	(void)state;
	quotes = write_file("one\n%%\ntwo\n");
	path =
			write_file("; smallsrv test configuration\n"
				   "[general]\n"
				   "rx_desc = 2048\n"
				   "tx_desc=512\n"
				   "  burst   =   64   ; inline comment\n"
				   "\n"
				   "[port0]\n"
				   "ipv4 = 192.0.2.1/24, 198.51.100.1/24\n"
				   "ipv6 = 2001:db8::1/64\n"
				   "mtu = 9000\n"
				   "[port1]\r\n"
				   "ipv4 = 203.0.113.1/24\r\n"
				   "[echo]\n"
				   "udp_port = 7007\n"
				   "tcp = off\n"
				   "[daytime]\n"
				   "format = custom\n"
				   "pattern = %%Y-%%m-%%d %%H:%%M:%%S %%Z\n"
				   "timezone = Europe/Berlin\n"
				   "[qotd]\n"
				   "udp = on\n"
				   "file = %s\n"
				   "[chargen]\n"
				   "udp_mode = random\n"
				   "[time]\n"
				   "udp = off\n"
				   "[abuse]\n"
				   "loop_guard_ports = 7 19\n"
				   "source_check = off\n"
				   "amplify_rate_per_source = 5\n"
				   "amplify_burst_per_source = 6\n"
				   "amplify_rate_global = 0\n"
				   "amplify_burst_global = 7\n"
				   "ratelimit_sources = 1024\n"
				   "icmp_error_rate = 8\n"
				   "icmp_error_burst = 9\n"
				   "clock_min_year = 2020\n",
					quotes);
	if (ss_config_load(cfg, path, err, sizeof(err)) != 0)
		fail_msg("load: %s", err);
	assert_int_equal(cfg->rx_desc, 2048);
	assert_int_equal(cfg->tx_desc, 512);
	assert_int_equal(cfg->burst, 64);
	assert_int_equal(cfg->n_ports, 2);
	assert_int_equal(cfg->port[0].n_ip4, 2);
	assert_int_equal(cfg->port[0].n_ip6, 1);
	assert_int_equal(cfg->port[0].mtu, 9000);
	assert_int_equal(cfg->port[1].mtu, 1500);
	test_addr("203.0.113.1", 0, (uint8_t *)&a);
	assert_int_equal(cfg->port[1].ip4[0].addr, a);
	assert_int_equal(cfg->svc[SS_SVC_ECHO][SS_UDP].port, 7007);
	assert_false(cfg->svc[SS_SVC_ECHO][SS_TCP].enabled);
	assert_int_equal(cfg->daytime.style, SS_DAYTIME_CUSTOM);
	assert_string_equal(cfg->daytime.pattern, "%Y-%m-%d %H:%M:%S %Z");
	assert_string_equal(cfg->daytime.timezone, "Europe/Berlin");
	assert_true(cfg->svc[SS_SVC_QOTD][SS_UDP].enabled);
	assert_false(cfg->svc[SS_SVC_QOTD][SS_TCP].enabled);
	assert_string_equal(cfg->qotd_file, quotes);
	assert_int_equal(cfg->chargen_udp_mode, SS_CHARGEN_UDP_RANDOM);
	assert_false(cfg->svc[SS_SVC_TIME][SS_UDP].enabled);
	assert_true(loop_set_is("7 19"));
	assert_false(cfg->abuse.source_check);
	assert_int_equal(cfg->abuse.amplify_per_source.rate, 5);
	assert_int_equal(cfg->abuse.amplify_per_source.burst, 6);
	assert_int_equal(cfg->abuse.amplify_global.rate, 0);
	assert_int_equal(cfg->abuse.amplify_global.burst, 7);
	assert_int_equal(cfg->abuse.ratelimit_sources, 1024);
	assert_int_equal(cfg->abuse.icmp_error.rate, 8);
	assert_int_equal(cfg->abuse.icmp_error.burst, 9);
	assert_int_equal(cfg->abuse.clock_min_year, 2020);
	finish_ok();
	assert_int_equal(cfg->n_quotes, 2);
	assert_string_equal(cfg->quotes[1], "two\r\n");
	assert_int_equal(cfg->port_map[SS_UDP][7007], SS_SVC_ECHO);
	assert_int_equal(cfg->port_map[SS_UDP][7], SS_SVC_NONE);
	assert_int_equal(cfg->port_map[SS_TCP][7], SS_SVC_NONE);
	assert_int_equal(cfg->port_map[SS_UDP][17], SS_SVC_QOTD);
	assert_int_equal(cfg->port_map[SS_TCP][17], SS_SVC_NONE);
	assert_int_equal(cfg->port_map[SS_UDP][37], SS_SVC_NONE);
	assert_int_equal(cfg->port_map[SS_TCP][37], SS_SVC_TIME);
}

static void
test_load_then_override(void **state)
{
	const char *a, *b;

	(void)state;
	a = write_file("[general]\nburst = 8\nrx_desc = 128\n");
	b = write_file("[general]\nburst = 16\n");
	assert_int_equal(ss_config_load(cfg, a, err, sizeof(err)), 0);
	assert_int_equal(ss_config_load(cfg, b, err, sizeof(err)), 0);
	assert_int_equal(cfg->burst, 16);
	assert_int_equal(cfg->rx_desc, 128);
	/* A command-line --set comes after the file. */
	set_ok("general", "burst", "4");
	assert_int_equal(cfg->burst, 4);
}

static void
test_load_repeated_section(void **state)
{
	const char *path;

	(void)state;
	/* Both halves of a section written twice count, the later value last. */
	path =
			write_file("[general]\nburst = 8\n[abuse]\nsource_check = off\n"
				   "[general]\nrx_desc = 128\nburst = 9\n");
	if (ss_config_load(cfg, path, err, sizeof(err)) != 0)
		fail_msg("load: %s", err);
	assert_int_equal(cfg->rx_desc, 128);
	assert_int_equal(cfg->burst, 9);
	assert_false(cfg->abuse.source_check);
}

/* Load text from a file; the error must be want, in which %s stands for the path. */
static void
load_bad(const char *text, const char *want)
{
	char full[1024];
	const char *path;

	path = write_file("%s", text);
	snprintf(full, sizeof(full), want, path);
	err[0] = '\0';
	if (ss_config_load(cfg, path, err, sizeof(err)) != -1)
		fail_msg("load accepted:\n%s", text);
	if (strcmp(err, full) != 0)
		fail_msg("load error\n  \"%s\", expected\n  \"%s\"", err, full);
}

static void
test_load_syntax_errors(void **state)
{
	(void)state;
	/* A line that is neither a section nor a key, with its line number. */
	load_bad("[general]\nrx_desc = 128\nbogus line\n",
			"%s:3: not an INI line (\"[section]\" or \"key = value\"): bogus line");
	load_bad("[echo]\nudp_port 7\n",
			"%s:2: not an INI line (\"[section]\" or \"key = value\"): udp_port 7");
	load_bad("; comment\n\n[general\nburst = 8\n", "%s:3: not a \"[section]\" line: [general");
	load_bad("[general] burst = 8\n", "%s:1: not a \"[section]\" line: [general] burst = 8");
	load_bad("[]\n", "%s:1: not a \"[section]\" line: []");
	load_bad("rx_desc = 512\n[general]\n",
			"%s:1: key before the first [section]: rx_desc = 512");
	load_bad("[general]\nburst =   ; nothing\n", "%s:2: empty value: burst =");
	load_bad("[general]\n = 5\n", "%s:2: no key before '=': = 5");
	assert_int_equal(cfg->rx_desc, 1024); /* nothing of a bad file is applied */
}

static void
test_load_long_lines(void **state)
{
	char text[1024], want[256];
	const char *path;

	(void)state;
	memset(text, 0, sizeof(text));
	strcpy(text, "[qotd]\nfile = /");
	memset(text + strlen(text), 'a', 300);
	strcat(text, "\n");
	/* The line is quoted up to 80 characters. */
	snprintf(want, sizeof(want), "%%s:2: key or value too long: %.80s", text + 7);
	load_bad(text, want);
	memset(text, 0, sizeof(text));
	strcpy(text, "[general]\n");
	memset(text + strlen(text), 'k', 900);
	strcat(text, " = 1\n");
	path = write_file("%s", text);
	assert_int_equal(ss_config_load(cfg, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: line too long", path);
	assert_memory_equal(err, want, strlen(want));
}

static void
test_load_bad_values(void **state)
{
	(void)state;
	load_bad("[general]\nburst = 999\n", "%s: [general] burst = \"999\": must be 1..256");
	load_bad("[port0]\nipv4 = 192.0.2.0/24\n",
			"%s: [port0] ipv4 = \"192.0.2.0/24\": is the subnet's network or broadcast address");
	load_bad("[echo]\nudp = perhaps\n", "%s: [echo] udp = \"perhaps\": not a boolean (on/off)");
	load_bad("[echo]\ncolour = blue\n", "%s: [echo] colour = \"blue\": unknown key");
	load_bad("[port9]\nmtu = 1500\n",
			"%s: [port9] mtu = \"1500\": unknown section "
			"(general, portN with N < 8, abuse, tcp, ip, or a service: echo, discard, daytime, qotd, "
			"chargen, time)");
	load_bad("[daytime]\npattern = %Y\nformat = custom\n",
			"%s: [daytime] pattern = \"%%Y\": needs format = custom before it");
	/* The first bad key is the one named. */
	load_bad("[general]\nburst = 8\nrx_desc = 1\ntx_desc = 2\n",
			"%s: [general] rx_desc = \"1\": must be 64..16384");
}

static void
test_load_pattern_after_format(void **state)
{
	const char *path;

	(void)state;
	path = write_file("[daytime]\nformat = custom\npattern = %%H:%%M\n");
	assert_int_equal(ss_config_load(cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg->daytime.pattern, "%H:%M");
}

static void
test_load_missing_file(void **state)
{
	char path[128], want[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/none.ini", dir);
	assert_int_equal(ss_config_load(cfg, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot read: No such file or directory", path);
	assert_string_equal(err, want);
	assert_int_equal(ss_config_load(cfg, dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, dir));
}

static void
test_load_empty_file(void **state)
{
	const char *path = write_file("; nothing here\n\n");

	(void)state;
	assert_int_equal(ss_config_load(cfg, path, err, sizeof(err)), 0);
	assert_int_equal(cfg->n_ports, 0);
	assert_int_equal(cfg->burst, 32);
}

static void
test_finish_no_port(void **state)
{
	(void)state;
	finish_bad("no port configured");
}

static void
test_finish_port_without_address(void **state)
{
	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("port1", "mtu", "1500");
	finish_bad("[port1]: no address");
	/* A gap in the numbering is a port without address too. */
	fresh(NULL);
	set_ok("port0", "ipv6", "2001:db8::1/64");
	set_ok("port2", "ipv4", "192.0.2.1/24");
	finish_bad("[port1]: no address");
	fresh(NULL);
	set_ok("port0", "mtu", "1500");
	finish_bad("[port0]: no address (set ipv4 or ipv6, or --ipv4/--ipv6)");
	/* Either family alone is enough. */
	fresh(NULL);
	set_ok("port0", "ipv6", "2001:db8::1/64");
	finish_ok();
}

static void
test_finish_duplicate_address(void **state)
{
	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24, 192.0.2.1/25");
	finish_bad("[port0]: an address is configured twice (port0)");
	fresh(NULL);
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("port1", "ipv4", "198.51.100.1/24 192.0.2.1/24");
	finish_bad("[port0]: an address is configured twice (port1)");
	fresh(NULL);
	set_ok("port0", "ipv6", "2001:db8::1/64");
	set_ok("port1", "ipv6", "2001:db8::2/64, 2001:db8:0::1/48");
	finish_bad("an address is configured twice (port1)");
	/* Same subnet, different hosts: fine. */
	fresh(NULL);
	set_ok("port0", "ipv4", "192.0.2.1/24, 192.0.2.2/24");
	set_ok("port1", "ipv6", "2001:db8::2/64");
	set_ok("port1", "ipv4", "192.0.2.3/24");
	finish_ok();
}

static void
test_finish_port_conflict(void **state)
{
	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("echo", "udp_port", "9");
	/* The message names both services, the transport and the port. */
	finish_bad("[discard] udp_port = \"9\": echo already uses udp port 9");
	fresh(NULL);
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("time", "tcp_port", "13");
	finish_bad("[time] tcp_port = \"13\": daytime already uses tcp port 13");
	/* qotd is off by default: its port is free until it is switched on. */
	fresh(NULL);
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("chargen", "udp_port", "17");
	finish_ok();
	assert_int_equal(cfg->port_map[SS_UDP][17], SS_SVC_CHARGEN);
	set_ok("qotd", "udp", "on");
	finish_bad("[chargen] udp_port = \"17\": qotd already uses udp port 17");
	/* A disabled service holds no port; transports do not collide. */
	fresh(NULL);
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("discard", "udp", "off");
	set_ok("echo", "udp_port", "9");
	finish_ok();
	assert_int_equal(cfg->port_map[SS_UDP][9], SS_SVC_ECHO);
	assert_int_equal(cfg->port_map[SS_TCP][9], SS_SVC_DISCARD);
	assert_int_equal(cfg->port_map[SS_UDP][7], SS_SVC_NONE);
	assert_int_equal(cfg->port_map[SS_TCP][7], SS_SVC_ECHO);
}

static void
test_finish_pattern(void **state)
{
	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("daytime", "format", "custom");
	set_ok("daytime", "pattern", "%n");
	finish_bad("[daytime] pattern = \"%n\": gives an empty, non-printable or over-long line");
	set_ok("daytime", "pattern", "%Y%t%m");
	finish_bad("[daytime] pattern = \"%Y%t%m\"");
	set_ok("daytime", "pattern", "%c %c %c %c %c %c %c");
	finish_bad("over-long");
	set_ok("daytime", "pattern", "%F %T");
	finish_ok();
}

static void
test_finish_qotd(void **state)
{
	char path[128], want[700];
	FILE *f;

	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24");
	finish_ok();
	assert_int_equal(cfg->n_quotes, 1); /* the built-in quote */
	set_ok("qotd", "file", write_file(""));
	finish_bad("holds no quote");
	set_ok("qotd", "file", write_file("fine\n%%\nbad\ttab\n"));
	snprintf(want, sizeof(want),
			"[qotd] file = \"%s\": quote 2 has a character that "
			"is not printable ASCII (0x09)",
			cfg->qotd_file);
	finish_bad(want);
	/* A file that went away between the key and the check. */
	snprintf(path, sizeof(path), "%s/vanishing", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("quote\n", f);
	fclose(f);
	set_ok("qotd", "file", path);
	assert_int_equal(unlink(path), 0);
	finish_bad("cannot open");
}

static void
test_port_map_defaults(void **state)
{
	static const struct {
		uint16_t port;
		uint8_t svc;
	} want[] = {
		{ 7, SS_SVC_ECHO },
		{ 9, SS_SVC_DISCARD },
		{ 13, SS_SVC_DAYTIME },
		{ 17, SS_SVC_NONE },
		{ 19, SS_SVC_CHARGEN },
		{ 37, SS_SVC_TIME },
	};
	unsigned int t, i, p, mapped;

	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24");
	finish_ok();
	for (t = 0; t < SS_TRANSPORT_MAX; t++) {
		for (i = 0; i < RTE_DIM(want); i++)
			assert_int_equal(cfg->port_map[t][want[i].port], want[i].svc);
		/* And nothing else listens. */
		for (p = 0, mapped = 0; p < 65536; p++)
			mapped += cfg->port_map[t][p] != SS_SVC_NONE;
		assert_int_equal(mapped, 5);
	}
	/* Moving a service frees its old port. */
	set_ok("chargen", "udp_port", "1919");
	finish_ok();
	assert_int_equal(cfg->port_map[SS_UDP][19], SS_SVC_NONE);
	assert_int_equal(cfg->port_map[SS_UDP][1919], SS_SVC_CHARGEN);
	assert_int_equal(cfg->port_map[SS_TCP][19], SS_SVC_CHARGEN);
}

static void
test_loop_guard_off(void **state)
{
	(void)state;
	set_ok("port0", "ipv4", "192.0.2.1/24");
	finish_ok();
	assert_true(guarded_is("0 7 9 11 13 17 19 37 53 69 123 161"));
	set_ok("abuse", "loop_guard", "off");
	finish_ok();
	assert_true(guarded_is(""));
	/* The ports given with the guard off do not count either. */
	set_ok("abuse", "loop_guard_ports", "5 6");
	finish_ok();
	assert_true(guarded_is(""));
	fresh(NULL);
	set_ok("port0", "ipv4", "192.0.2.1/24");
	set_ok("abuse", "loop_guard_ports", "5 6");
	finish_ok();
	/* Those given, and those our UDP services answer on (qotd's is off by default). */
	assert_true(guarded_is("5 6 7 9 13 19 37"));
	/* Issue 8, defect 7: a service moved takes the guard with it. */
	set_ok("echo", "udp_port", "7007");
	set_ok("qotd", "udp", "on");
	set_ok("chargen", "udp", "off");
	finish_ok();
	assert_true(guarded_is("5 6 7007 9 13 17 37"));
}

#define T(f) cmocka_unit_test_setup(f, fresh)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_number_keys),
		T(test_service_keys),
		T(test_abuse_bool_keys),
		T(test_port_ipv4),
		T(test_port_ipv6),
		T(test_port_ipv6_link_local),
		T(test_port_sections),
		T(test_daytime_keys),
		T(test_chargen_udp_mode),
		T(test_qotd_file_key),
		T(test_loop_guard_ports),
		T(test_ratelimit_sources),
		T(test_unknown_keys_and_sections),
		T(test_key_table_defaults),
		T(test_load_good),
		T(test_load_then_override),
		T(test_load_repeated_section),
		T(test_load_syntax_errors),
		T(test_load_long_lines),
		T(test_load_bad_values),
		T(test_load_pattern_after_format),
		T(test_load_missing_file),
		T(test_load_empty_file),
		T(test_finish_no_port),
		T(test_finish_port_without_address),
		T(test_finish_duplicate_address),
		T(test_finish_port_conflict),
		T(test_finish_pattern),
		T(test_finish_qotd),
		T(test_port_map_defaults),
		T(test_loop_guard_off),
	};

	return cmocka_run_group_tests_name("config", tests, group_setup, group_teardown);
}
