/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_reload.c: which keys a reload leaves as they are. Each restart key
 * changed alone is named and given back its running value; keys that
 * reload are neither named nor touched; ports compare as in effect; several
 * names are listed in order, and a short buffer is cut with "...".
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "config.h"
#include "config_reload.h"

static struct ss_config *run, *next;
static char names[512];

static void
set(struct ss_config *cfg, const char *section, const char *key, const char *value)
{
	char err[256];

	assert_int_equal(ss_config_set(cfg, section, key, value, err, sizeof(err)), 0);
}

/* The same file read twice: port 0 with both families, checked. */
static void
read_base(struct ss_config *cfg)
{
	ss_config_defaults(cfg);
	set(cfg, "port0", "ipv4", "192.0.2.1/24");
	set(cfg, "port0", "ipv6", "2001:db8::1/64");
}

static void
finish(struct ss_config *cfg)
{
	char err[256];

	assert_int_equal(ss_config_finish(cfg, err, sizeof(err)), 0);
}

static int
setup(void **state)
{
	(void)state;
	run = malloc(sizeof(*run));
	next = malloc(sizeof(*next));
	if (run == NULL || next == NULL)
		return -1;
	read_base(run);
	finish(run);
	read_base(next);
	memset(names, 0x55, sizeof(names));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(run);
	free(next);
	return 0;
}

static void
test_same(void **state)
{
	(void)state;
	finish(next);
	assert_int_equal(ss_config_restart_keys(run, next, names, sizeof(names)), 0);
	assert_string_equal(names, "");
	assert_memory_equal(run, next, sizeof(*run));
}

/* What reloads: named nowhere, and next keeps its own values. */
static void
test_live_keys_untouched(void **state)
{
	static const char *const live[][3] = {
		{ "general", "burst", "64" },
		{ "general", "fast_path", "off" },
		{ "echo", "udp", "off" },
		{ "echo", "tcp_port", "7007" },
		{ "daytime", "format", "cisco" },
		{ "daytime", "timezone", "Europe/Berlin" },
		{ "chargen", "udp_mode", "random" },
		{ "abuse", "loop_guard", "off" },
		{ "abuse", "loop_guard_ports", "53 123" },
		{ "abuse", "source_check", "off" },
		{ "abuse", "amplify_rate_per_source", "7" },
		{ "abuse", "amplify_burst_global", "9" },
		{ "abuse", "icmp_error_rate", "0" },
		{ "abuse", "clock_min_year", "2020" },
		{ "tcp", "idle_timeout_ms", "1000" },
		{ "tcp", "time_wait_ms", "0" },
		{ "tcp", "max_half_open", "3" },
		{ "tcp", "max_per_source", "2" },
		{ "tcp", "mss", "1000" },
		{ "tcp", "echo_buffer", "4096" },
		{ "tcp", "challenge_ack_rate", "10" },
		{ "tcp", "max_held_per_source", "65536" },
		{ "ip", "reassembly_per_source", "2" },
		{ "ip", "reassembly_timeout_ms", "100" },
	};
	struct ss_config *want = malloc(sizeof(*want));
	unsigned int i;

	(void)state;
	assert_non_null(want);
	for (i = 0; i < RTE_DIM(live); i++)
		set(next, live[i][0], live[i][1], live[i][2]);
	finish(next);
	memcpy(want, next, sizeof(*want));
	assert_int_equal(ss_config_restart_keys(run, next, names, sizeof(names)), 0);
	assert_string_equal(names, "");
	assert_memory_equal(want, next, sizeof(*want));
	free(want);
}

/* Each key a reload leaves as it runs: section, key, a new value, its name. */
static const char *const restart_cases[][4] = {
	{ "general", "rx_desc", "512", "general.rx_desc" },
	{ "general", "tx_desc", "2048", "general.tx_desc" },
	{ "general", "trace", "4", "general.trace" },
	{ "general", "tx_cksum_offload", "off", "general.tx_cksum_offload" },
	{ "port0", "ipv4", "198.51.100.1/24", "port0.ipv4" },
	{ "port0", "ipv6", "2001:db8:1::1/64", "port0.ipv6" },
	{ "port0", "mtu", "9000", "port0.mtu" },
	{ "port0", "ipv6_link_local", "off", "port0.ipv6_link_local" },
	{ "abuse", "ratelimit_sources", "1024", "abuse.ratelimit_sources" },
	{ "abuse", "ipv6_source_prefix", "56", "abuse.ipv6_source_prefix" },
	{ "tcp", "max_connections", "1000", "tcp.max_connections" },
	{ "tcp", "window", "262144", "tcp.window" },
	{ "ip", "reassembly_datagrams", "16", "ip.reassembly_datagrams" },
	{ "ip", "reassembly_fragments", "8", "ip.reassembly_fragments" },
	{ "ip", "reassembly_held", "64", "ip.reassembly_held" },
};

/* Each restart key alone: named as section.key, and its running value kept. */
static void
test_each_restart_key(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(restart_cases); i++) {
		read_base(next);
		set(next, restart_cases[i][0], restart_cases[i][1], restart_cases[i][2]);
		/* A key that reloads, beside it, still takes effect. */
		set(next, "daytime", "format", "xinetd");
		finish(next);
		assert_int_equal(ss_config_restart_keys(run, next, names, sizeof(names)), 1);
		assert_string_equal(names, restart_cases[i][3]);
		assert_memory_equal(&next->port, &run->port, sizeof(run->port));
		assert_int_equal(next->rx_desc, run->rx_desc);
		assert_int_equal(next->tx_desc, run->tx_desc);
		assert_int_equal(next->trace, run->trace);
		assert_int_equal(next->tx_cksum_offload, run->tx_cksum_offload);
		assert_int_equal(next->abuse.ratelimit_sources, run->abuse.ratelimit_sources);
		assert_int_equal(next->abuse.ipv6_source_prefix, run->abuse.ipv6_source_prefix);
		assert_int_equal(next->tcp.max_connections, run->tcp.max_connections);
		assert_int_equal(next->tcp.window, run->tcp.window);
		assert_memory_equal(&next->ip, &run->ip, sizeof(run->ip));
		assert_int_equal(next->daytime.style, SS_DAYTIME_XINETD);
	}
}

/*
 * What smallsrv(8) says of each key of the parser's table (a reload leaves
 * it, or not) is what a reload does: the keys above and no other.
 */
static void
test_needs_restart_agrees(void **state)
{
	struct ss_config_key k;
	unsigned int i, j, n = 0;

	(void)state;
	for (i = 0; ss_config_key_get(i, &k) == 0; i++) {
		bool want = false;

		for (j = 0; j < RTE_DIM(restart_cases); j++) {
			const char *sec = restart_cases[j][0];
			bool same_section = strcmp(k.section, "portN") == 0 ?
					strncmp(sec, "port", 4) == 0 :
					strcmp(k.section, sec) == 0;

			want |= same_section && strcmp(k.key, restart_cases[j][1]) == 0;
		}
		assert_int_equal(ss_config_key_needs_restart(k.section, k.key), want);
		n += want;
	}
	assert_int_equal(n, RTE_DIM(restart_cases));
}

/* A port the running configuration does not have: named, and not added. */
static void
test_new_port(void **state)
{
	(void)state;
	set(next, "port1", "ipv4", "203.0.113.1/24");
	finish(next);
	assert_int_equal(next->n_ports, 2);
	assert_int_equal(ss_config_restart_keys(run, next, names, sizeof(names)), 1);
	assert_string_equal(names, "port1.ipv4");
	assert_int_equal(next->n_ports, 1);
	assert_int_equal(next->port[1].n_ip4, 0);
}

/* The ports compare as in effect: a link-local address the running one got is no change. */
static void
test_link_local_in_effect(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 1 };

	(void)state;
	assert_non_null(ss_ip6_link_local_add(&run->port[0], mac));
	finish(next);
	assert_int_equal(ss_config_restart_keys(run, next, names, sizeof(names)), 1);
	assert_string_equal(names, "port0.ipv6");
	read_base(next);
	finish(next);
	assert_non_null(ss_ip6_link_local_add(&next->port[0], mac));
	assert_int_equal(ss_config_restart_keys(run, next, names, sizeof(names)), 0);
	assert_memory_equal(&next->port, &run->port, sizeof(run->port));
}

static void
test_several_in_order(void **state)
{
	(void)state;
	set(next, "tcp", "window", "131072");
	set(next, "general", "rx_desc", "256");
	set(next, "port0", "mtu", "1400");
	finish(next);
	assert_int_equal(ss_config_restart_keys(run, next, names, sizeof(names)), 3);
	assert_string_equal(names, "general.rx_desc, port0.mtu, tcp.window");
}

/* Too small a buffer: cut with "...", NUL-terminated, every key still counted. */
static void
test_short_buffer(void **state)
{
	char small[20];

	(void)state;
	set(next, "tcp", "window", "131072");
	set(next, "general", "rx_desc", "256");
	set(next, "port0", "mtu", "1400");
	finish(next);
	memset(small, 'x', sizeof(small));
	assert_int_equal(ss_config_restart_keys(run, next, small, sizeof(small)), 3);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_string_equal(small + sizeof(small) - 4, "...");
	assert_memory_equal(small, "general.rx_desc", 15);
	/* No room at all: nothing written, still counted, still kept. */
	read_base(next);
	set(next, "general", "rx_desc", "256");
	finish(next);
	assert_int_equal(ss_config_restart_keys(run, next, NULL, 0), 1);
	assert_int_equal(next->rx_desc, run->rx_desc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_keys_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_restart_key, setup, teardown),
		cmocka_unit_test(test_needs_restart_agrees),
		cmocka_unit_test_setup_teardown(test_new_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_local_in_effect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_buffer, setup, teardown),
	};

	return cmocka_run_group_tests_name("config_reload", tests, NULL, NULL);
}
