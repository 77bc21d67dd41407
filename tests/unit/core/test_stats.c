/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counter names and descriptions (non-empty, unique, usable as telemetry
 * keys) of drop reasons, replies, TCP events and the per-service counters,
 * ss_stats_add over every field, ss_stats_drops.
 */
#include "harness.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static void
check_identifier(const char *s)
{
	size_t i;

	assert_non_null(s);
	assert_true(s[0] != '\0');
	assert_true(islower((unsigned char)s[0]));
	for (i = 0; s[i] != '\0'; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_')
			fail_msg("counter name \"%s\" is not [a-z0-9_]", s);
}

static void
test_drop_names(void **state)
{
	unsigned int v, w;

	(void)state;
	assert_string_equal(ss_drop_name(SS_VERDICT_TX), "tx");
	for (v = SS_VERDICT_TX + 1; v < SS_VERDICT_MAX; v++) {
		check_identifier(ss_drop_name(v));
		assert_true(ss_drop_desc(v) != NULL && strlen(ss_drop_desc(v)) > 5);
		for (w = SS_VERDICT_TX; w < v; w++) {
			if (strcmp(ss_drop_name(v), ss_drop_name(w)) == 0)
				fail_msg("drop reasons %u and %u share the name %s", v, w,
						ss_drop_name(v));
			if (strcmp(ss_drop_desc(v), ss_drop_desc(w)) == 0)
				fail_msg("drop reasons %u and %u share a description", v, w);
		}
	}
	/* Spot checks that the X-macro lines up enums and names. */
	assert_string_equal(ss_drop_name(SS_DROP_ETH_RUNT), "eth_runt");
	assert_string_equal(ss_drop_name(SS_DROP_IP4_CKSUM), "ipv4_bad_checksum");
	assert_string_equal(ss_drop_name(SS_DROP_UDP_LOOP_GUARD), "udp_loop_guard");
	assert_string_equal(ss_drop_name(SS_DROP_CLOCK_UNSET), "clock_unset");
	assert_string_equal(ss_drop_name(SS_DROP_REPLY_TOO_BIG), "reply_exceeds_mtu");
	assert_string_equal(ss_drop_name(SS_DROP_TX_FULL), "tx_queue_full");
	assert_string_equal(ss_drop_name(SS_VERDICT_MAX), "unknown");
	assert_string_equal(ss_drop_desc(SS_VERDICT_MAX), "unknown");
	assert_string_equal(ss_drop_name((enum ss_verdict)1000), "unknown");
}

static void
test_reply_names(void **state)
{
	unsigned int r, s, v;

	(void)state;
	for (r = 0; r < SS_REPLY_MAX; r++) {
		check_identifier(ss_reply_name(r));
		for (s = 0; s < r; s++)
			if (strcmp(ss_reply_name(r), ss_reply_name(s)) == 0)
				fail_msg("reply kinds %u and %u share a name", r, s);
		/* Drops and replies appear side by side in telemetry. */
		for (v = 0; v < SS_VERDICT_MAX; v++)
			if (strcmp(ss_reply_name(r), ss_drop_name(v)) == 0)
				fail_msg("reply kind and drop reason share the name %s",
						ss_reply_name(r));
	}
	assert_string_equal(ss_reply_name(SS_REPLY_ARP), "arp_reply");
	assert_string_equal(ss_reply_name(SS_REPLY_TCP6_RST), "tcp6_rst");
	assert_string_equal(ss_reply_name(SS_REPLY_MAX), "unknown");
}

static void
test_tcp_event_names(void **state)
{
	unsigned int e, f;

	(void)state;
	for (e = 0; e < SS_TCP_EV_MAX; e++) {
		check_identifier(ss_tcp_event_name(e));
		assert_true(strlen(ss_tcp_event_desc(e)) > 5);
		for (f = 0; f < e; f++) {
			if (strcmp(ss_tcp_event_name(e), ss_tcp_event_name(f)) == 0)
				fail_msg("TCP events %u and %u share the name %s", e, f,
						ss_tcp_event_name(e));
			if (strcmp(ss_tcp_event_desc(e), ss_tcp_event_desc(f)) == 0)
				fail_msg("TCP events %u and %u share a description", e, f);
		}
	}
	assert_string_equal(ss_tcp_event_name(SS_TCP_EV_SYNACK_COOKIE), "synack_cookie");
	assert_string_equal(ss_tcp_event_name(SS_TCP_EV_RTO), "rto");
	assert_string_equal(ss_tcp_event_name(SS_TCP_EV_MAX - 1), "ooo_tiny");
	assert_string_equal(ss_tcp_event_desc(SS_TCP_EV_RTO), "retransmission timeout");
	assert_string_equal(ss_tcp_event_name(SS_TCP_EV_MAX), "unknown");
	assert_string_equal(ss_tcp_event_desc(SS_TCP_EV_MAX), "unknown");
}

/* Each counter's name is its field's, at its field's index (telemetry walks them so). */
static void
test_counter_names(void **state)
{
#define AT(type, field) (offsetof(type, field) / sizeof(uint64_t))
	(void)state;
	assert_string_equal(ss_svc_counter_name(AT(struct ss_svc_counters, requests)), "requests");
	assert_string_equal(ss_svc_counter_name(AT(struct ss_svc_counters, replies)), "replies");
	assert_string_equal(ss_svc_counter_name(AT(struct ss_svc_counters, bytes_in)), "bytes_in");
	assert_string_equal(ss_svc_counter_name(AT(struct ss_svc_counters, bytes_out)),
			"bytes_out");
	assert_string_equal(ss_svc_counter_name(SS_SVC_COUNTERS), "unknown");
	assert_string_equal(ss_tcp_counter_name(AT(struct ss_tcp_counters, closed)), "closed");
	assert_string_equal(ss_tcp_counter_name(AT(struct ss_tcp_counters, refused)), "refused");
	assert_string_equal(ss_tcp_counter_name(AT(struct ss_tcp_counters, reset)), "reset");
	assert_string_equal(ss_tcp_counter_name(AT(struct ss_tcp_counters, timed_out)),
			"timed_out");
	assert_string_equal(ss_tcp_counter_name(AT(struct ss_tcp_counters, retransmits)),
			"retransmits");
	assert_string_equal(ss_tcp_counter_name(SS_TCP_COUNTERS), "unknown");
#undef AT
}

static void
test_add_every_field(void **state)
{
	struct ss_stats *sum = calloc(1, sizeof(*sum));
	struct ss_stats *a = calloc(1, sizeof(*a));
	const size_t n = sizeof(*sum) / sizeof(uint64_t);
	uint64_t *ps = (uint64_t *)sum, *pa = (uint64_t *)a;
	size_t i;

	(void)state;
	assert_non_null(sum);
	assert_non_null(a);
	for (i = 0; i < n; i++) {
		ps[i] = 1000000 * i;
		pa[i] = i + 1;
	}
	ss_stats_add(sum, a);
	for (i = 0; i < n; i++)
		if (ps[i] != 1000000 * i + i + 1)
			fail_msg("word %zu of struct ss_stats not summed", i);
	/* A second add sums the same again (nothing of the source was used up). */
	ss_stats_add(sum, a);
	for (i = 0; i < n; i++)
		if (ps[i] != 1000000 * i + 2 * (i + 1))
			fail_msg("word %zu of struct ss_stats not summed twice", i);
	free(sum);
	free(a);
}

static void
test_add_named_fields(void **state)
{
	struct ss_stats *sum = calloc(1, sizeof(*sum));
	struct ss_stats *a = calloc(1, sizeof(*a));

	(void)state;
	assert_non_null(sum);
	assert_non_null(a);
	a->rx_pkts = 10;
	a->rx_bytes = 640;
	a->tx_pkts = 7;
	a->tx_bytes = 448;
	a->drop[SS_DROP_UDP_CKSUM] = 3;
	a->drop[SS_VERDICT_MAX - 1] = 1;
	a->reply[SS_REPLY_ARP] = 2;
	a->reply[SS_REPLY_MAX - 1] = 5;
	a->svc[SS_SVC_TIME][SS_TCP][SS_AF6].bytes_out = 44;
	a->svc[SS_SVC_ECHO][SS_UDP][SS_AF4].requests = UINT64_C(1) << 40;
	sum->rx_pkts = 1;
	sum->svc[SS_SVC_ECHO][SS_UDP][SS_AF4].requests = 1;
	ss_stats_add(sum, a);
	ss_stats_add(sum, a);
	assert_int_equal(sum->rx_pkts, 21);
	assert_int_equal(sum->rx_bytes, 1280);
	assert_int_equal(sum->tx_pkts, 14);
	assert_int_equal(sum->tx_bytes, 896);
	assert_int_equal(sum->drop[SS_DROP_UDP_CKSUM], 6);
	assert_int_equal(sum->drop[SS_VERDICT_MAX - 1], 2);
	assert_int_equal(sum->reply[SS_REPLY_ARP], 4);
	assert_int_equal(sum->reply[SS_REPLY_MAX - 1], 10);
	assert_int_equal(sum->svc[SS_SVC_TIME][SS_TCP][SS_AF6].bytes_out, 88);
	assert_true(sum->svc[SS_SVC_ECHO][SS_UDP][SS_AF4].requests == (UINT64_C(1) << 41) + 1);
	assert_int_equal(sum->svc[SS_SVC_TIME][SS_TCP][SS_AF4].bytes_out, 0);
	free(sum);
	free(a);
}

static void
test_drops(void **state)
{
	struct ss_stats *s = calloc(1, sizeof(*s));
	uint64_t want = 0;
	unsigned int v;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ss_stats_drops(s), 0);
	/* "Answered" and "taken by TCP" are verdicts, not drops. */
	s->drop[SS_VERDICT_TX] = 1000;
	s->drop[SS_VERDICT_TCP] = 2000;
	assert_int_equal(ss_stats_drops(s), 0);
	for (v = SS_DROP_FIRST; v < SS_VERDICT_MAX; v++) {
		s->drop[v] = v * 3;
		want += v * 3;
	}
	/* Other counters are not drops either. */
	s->rx_pkts = 99999;
	s->tx_pkts = 77777;
	s->reply[0] = 55555;
	assert_int_equal(ss_stats_drops(s), want);
	s->drop[SS_VERDICT_MAX - 1] += 1;
	assert_int_equal(ss_stats_drops(s), want + 1);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_names),
		cmocka_unit_test(test_reply_names),
		cmocka_unit_test(test_tcp_event_names),
		cmocka_unit_test(test_counter_names),
		cmocka_unit_test(test_add_every_field),
		cmocka_unit_test(test_add_named_fields),
		cmocka_unit_test(test_drops),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
