/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_decode.c: the headers of good frames field by field; every prefix
 * of them, as cut by the wire and as cut by the copy, decoded from a buffer
 * that ends at an unmapped page (a read past the bytes given faults); the
 * layer a drop reason belongs to; and the words of each kind of verdict.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_tcp.h>

#include "stats.h"
#include "tcp_conn.h"
#include "trace_decode.h"

#define L3 14

/* A copy of the first have bytes of frame, ending where an unmapped page begins. */
struct guarded {
	uint8_t *map;
	size_t map_len;
	uint8_t *bytes;
};

static void
guarded_copy(struct guarded *g, const uint8_t *frame, size_t have)
{
	size_t page = sysconf(_SC_PAGESIZE), span = (have + page - 1) / page * page + page;

	g->map_len = span + page;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + span, page, PROT_NONE), 0);
	g->bytes = g->map + span - have;
	memcpy(g->bytes, frame, have);
}

static void
guarded_free(struct guarded *g)
{
	munmap(g->map, g->map_len);
}

static void
decode(const uint8_t *frame, size_t len, struct ss_trace_hdrs *h)
{
	ss_trace_decode(frame, len, len, h);
}

static void
check_layers(const struct ss_trace_hdrs *h, unsigned int n, const enum ss_trace_layer *l)
{
	unsigned int i;

	assert_int_equal(h->n, n);
	for (i = 0; i < n; i++)
		assert_int_equal(h->layer[i], l[i]);
}

static size_t
udp4(uint8_t *buf, uint16_t sport, uint16_t dport, const char *payload)
{
	struct test_frame f;

	test_frame_defaults(&f, 0);
	return test_build_udp(buf, &f, sport, dport, payload, strlen(payload));
}

static void
test_decode_udp4(void **state)
{
	static const enum ss_trace_layer want[] = { SS_TL_ETH, SS_TL_IPV4, SS_TL_UDP };
	const uint8_t us[6] = TEST_MAC_US, peer[6] = TEST_MAC_PEER;
	struct ss_trace_hdrs h;
	uint8_t buf[9100];
	size_t len = udp4(buf, 40000, 7, "echo");

	(void)state;
	decode(buf, len, &h);
	check_layers(&h, 3, want);
	assert_int_equal(h.cut, SS_TRACE_WHOLE);
	assert_memory_equal(h.dst_mac, us, 6);
	assert_memory_equal(h.src_mac, peer, 6);
	assert_int_equal(h.vlan, -1);
	assert_int_equal(h.ethertype, 0x0800);
	assert_int_equal(h.version, 4);
	test_check_addr(h.src + 12, 0, TEST_IP4_PEER);
	test_check_addr(h.dst + 12, 0, TEST_IP4_US);
	assert_int_equal(h.src[10], 0xff);
	assert_int_equal(h.ttl, 64);
	assert_int_equal(h.proto, IPPROTO_UDP);
	assert_int_equal(h.ip_hlen, 20);
	assert_int_equal(h.ip_len, 20 + 8 + 4);
	assert_int_equal(h.l4_len, 12);
	assert_int_equal(h.sport, 40000);
	assert_int_equal(h.dport, 7);
	assert_int_equal(h.udp_len, 12);
}

/* Ethernet pads a short frame: the upper layer's length is the IP header's word. */
static void
test_decode_padding(void **state)
{
	struct ss_trace_hdrs h;
	uint8_t buf[9100] = { 0 };
	size_t len = udp4(buf, 40000, 7, "x");

	(void)state;
	assert_true(len < 60);
	decode(buf, 60, &h);
	assert_int_equal(h.l4_len, 9);
	assert_int_equal(h.udp_len, 9);
	assert_int_equal(h.cut, SS_TRACE_WHOLE);
}

static size_t
udp6_hbh(uint8_t *buf)
{
	static const uint8_t pad[8] = { 0, 0, 1, 4, 0, 0, 0, 0 }; /* PadN */
	struct test_frame f;
	size_t len;

	test_frame_defaults(&f, 1);
	len = test_build_udp(buf, &f, 40000, 13, "", 0);
	return test_ip6_add_ext(buf, len, L3, IPPROTO_HOPOPTS, pad, sizeof(pad));
}

static void
test_decode_udp6_ext(void **state)
{
	static const enum ss_trace_layer want[] = { SS_TL_ETH, SS_TL_IPV6, SS_TL_UDP };
	struct ss_trace_hdrs h;
	uint8_t buf[9100];
	size_t len = udp6_hbh(buf);

	(void)state;
	decode(buf, len, &h);
	check_layers(&h, 3, want);
	assert_int_equal(h.version, 6);
	test_check_addr(h.src, 1, TEST_IP6_PEER);
	test_check_addr(h.dst, 1, TEST_IP6_US);
	assert_int_equal(h.n_ext, 1);
	assert_int_equal(h.ext[0], IPPROTO_HOPOPTS);
	assert_int_equal(h.proto, IPPROTO_UDP);
	assert_int_equal(h.ip_hlen, 48);
	assert_int_equal(h.ip_len, 16);
	assert_int_equal(h.dport, 13);
}

static size_t
tcp4_vlan(uint8_t *buf)
{
	uint8_t opt[40];
	struct test_frame f;
	size_t opt_len;

	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	f.vlan = 7;
	opt_len = test_syn_options(opt, 1460, 7, 1);
	return test_build_tcp_opt(buf, &f, 30000, 7, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 1000,
			2000, 8192, opt, opt_len, "hey", 3);
}

static void
test_decode_tcp_vlan(void **state)
{
	static const enum ss_trace_layer want[] = { SS_TL_ETH, SS_TL_IPV4, SS_TL_TCP };
	struct ss_trace_hdrs h;
	uint8_t buf[9100];
	size_t len = tcp4_vlan(buf);

	(void)state;
	decode(buf, len, &h);
	check_layers(&h, 3, want);
	assert_int_equal(h.vlan, 7);
	assert_int_equal(h.ethertype, 0x0800);
	assert_int_equal(h.sport, 30000);
	assert_int_equal(h.dport, 7);
	assert_int_equal(h.tcp_flags, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG);
	assert_int_equal(h.tcp_seq, 1000);
	assert_int_equal(h.tcp_ack, 2000);
	assert_int_equal(h.tcp_win, 8192);
	assert_int_equal(h.tcp_hlen, 32);
	assert_int_equal(h.tcp_data, 3);
}

static size_t
udp4_options(uint8_t *buf)
{
	static const uint8_t nops[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	size_t len = udp4(buf, 40000, 7, "opt");

	return test_ip4_add_options(buf, len, L3, nops, sizeof(nops));
}

static void
test_decode_ipv4_options(void **state)
{
	struct ss_trace_hdrs h;
	uint8_t buf[9100];
	size_t len = udp4_options(buf);

	(void)state;
	decode(buf, len, &h);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.ip_hlen, 28);
	assert_int_equal(h.l4_len, 11);
	assert_int_equal(h.dport, 7);
}

static void
test_decode_arp_icmp(void **state)
{
	struct ss_trace_hdrs h;
	struct test_frame f;
	uint8_t buf[9100], body[20] = { 0 };
	size_t len;

	(void)state;
	len = test_build_arp_request(buf, TEST_IP4_US);
	decode(buf, len, &h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.layer[1], SS_TL_ARP);
	assert_int_equal(h.arp_op, 1);
	test_check_addr(h.arp_tpa, 0, TEST_IP4_US);
	test_check_addr(h.arp_spa, 0, TEST_IP4_PEER);

	len = test_build_ping(buf, 0, NULL, 0x1234, 9, "ping", 4);
	decode(buf, len, &h);
	assert_int_equal(h.layer[2], SS_TL_ICMP4);
	assert_int_equal(h.icmp_type, 8);
	assert_int_equal(h.icmp_id, 0x1234);
	assert_int_equal(h.icmp_seq, 9);

	/* A neighbour solicitation: its target is named. */
	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	test_addr(TEST_IP6_US, 1, body + 4);
	len = test_build_icmp(buf, &f, 135, 0, body, 20);
	decode(buf, len, &h);
	assert_int_equal(h.layer[2], SS_TL_ICMP6);
	assert_int_equal(h.icmp_type, 135);
	assert_true(h.nd_target_set);
	test_check_addr(h.nd_target, 1, TEST_IP6_US);
}

static void
test_decode_other_ethertype(void **state)
{
	struct ss_trace_hdrs h;
	uint8_t buf[9100];
	size_t len = udp4(buf, 1, 2, "");

	(void)state;
	buf[12] = 0x88;
	buf[13] = 0xcc; /* LLDP */
	decode(buf, len, &h);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.ethertype, 0x88cc);
	assert_int_equal(h.cut, SS_TRACE_WHOLE);
	/* IPv4's EtherType with another version: nothing decoded past the version. */
	udp4(buf, 1, 2, "");
	buf[L3] = 0x65;
	decode(buf, len, &h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.version, 6);
}

/* Every prefix of frame, cut by the wire and cut by the copy, from a guarded buffer. */
static void
check_prefixes(const uint8_t *frame, size_t len)
{
	struct ss_trace_hdrs full, h;
	unsigned int last_n = 0;
	struct guarded g;
	size_t have;

	decode(frame, len, &full);
	for (have = 0; have <= len; have++) {
		guarded_copy(&g, frame, have);
		/* The frame ends here. */
		ss_trace_decode(g.bytes, have, have, &h);
		assert_true(h.n >= 1 && h.n <= full.n);
		assert_true(h.n >= last_n);
		last_n = h.n;
		assert_true(h.cut == SS_TRACE_WHOLE || h.cut == SS_TRACE_SHORT);
		if (h.cut == SS_TRACE_SHORT)
			assert_true(h.cut_have < h.cut_need);
		/* The frame goes on, the copy does not: short only where the whole is. */
		ss_trace_decode(g.bytes, have, len, &h);
		assert_true(h.cut == SS_TRACE_WHOLE || h.cut == SS_TRACE_NOT_COPIED ||
				(h.cut == SS_TRACE_SHORT && full.cut == SS_TRACE_SHORT));
		assert_true(h.n <= full.n);
		if (have == len)
			assert_memory_equal(&h, &full, sizeof(h));
		guarded_free(&g);
	}
}

static void
test_decode_prefixes(void **state)
{
	struct test_frame f;
	uint8_t buf[9100], body[20] = { 0 };
	size_t len;

	(void)state;
	check_prefixes(buf, udp4(buf, 40000, 7, "echo"));
	check_prefixes(buf, udp6_hbh(buf));
	check_prefixes(buf, tcp4_vlan(buf));
	check_prefixes(buf, udp4_options(buf));
	check_prefixes(buf, test_build_arp_request(buf, TEST_IP4_US));
	check_prefixes(buf, test_build_ping(buf, 1, NULL, 1, 2, "ping6", 5));
	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	len = test_build_icmp(buf, &f, 135, 0, body, 20);
	check_prefixes(buf, len);
	/* Headers that say more than there is: lengths past the end, a runaway extension. */
	len = udp4(buf, 40000, 7, "echo");
	test_set_ip_payload_len(buf, L3, 0, 400);
	check_prefixes(buf, len);
	len = udp6_hbh(buf);
	buf[L3 + 41] = 200;
	check_prefixes(buf, len);
}

/* The entry for a frame and its reply (NULL: none) with verdict v. */
static void
entry(struct ss_trace_entry *e, const uint8_t *req, size_t len, const uint8_t *rep, size_t rep_len,
		enum ss_verdict v)
{
	memset(e, 0, sizeof(*e));
	e->seq = 3;
	e->rx_len = len;
	e->req_n = RTE_MIN(len, (size_t)SS_TRACE_REQ_BYTES);
	memcpy(e->req, req, e->req_n);
	e->verdict = v;
	if (rep != NULL) {
		e->rep_len = rep_len;
		e->rep_n = RTE_MIN(rep_len, (size_t)SS_TRACE_REP_BYTES);
		memcpy(e->rep, rep, e->rep_n);
	}
}

static const char *
part(const struct ss_trace_text *t, const char *key)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->part[i].key, key) == 0)
			return t->part[i].text;
	return NULL;
}

static void
check_keys(const struct ss_trace_text *t, const char *const *keys, unsigned int n)
{
	unsigned int i;

	assert_int_equal(t->n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(t->part[i].key, keys[i]);
}

/* An echo reply to udp4(..., 40000, 7, "echo"): what udp.c makes of it. */
static size_t
echo_reply(uint8_t *buf)
{
	struct test_frame f;

	test_frame_defaults(&f, 0);
	memcpy(f.src_mac, (uint8_t[])TEST_MAC_US, 6);
	memcpy(f.dst_mac, (uint8_t[])TEST_MAC_PEER, 6);
	f.src = TEST_IP4_US;
	f.dst = TEST_IP4_PEER;
	return test_build_udp(buf, &f, 7, 40000, "echo", 4);
}

static void
test_format_answered(void **state)
{
	static const char *const keys[] = { "rx", "eth", "ipv4", "udp", "verdict", "outcome",
		"reply" };
	struct test_env *env = *state;
	struct ss_trace_entry e;
	struct ss_trace_text t;
	uint8_t req[9100], rep[9100];
	char line[SS_TRACE_LINE_MAX];
	size_t len = udp4(req, 40000, 7, "echo"), rlen = echo_reply(rep);
	int n;

	entry(&e, req, len, rep, rlen, SS_VERDICT_TX);
	ss_trace_format(&e, 1, &env->cfg, &t);
	check_keys(&t, keys, RTE_DIM(keys));
	assert_string_equal(part(&t, "rx"), "w1 #3 port 0 rx 46B");
	assert_string_equal(part(&t, "eth"), "02:00:00:00:00:fe>02:00:00:00:00:01 ipv4: ok");
	assert_string_equal(part(&t, "ipv4"),
			"192.0.2.254>192.0.2.1 ttl 64 len 32 udp: checked, to us");
	assert_string_equal(part(&t, "udp"), "40000>7 len 12: checked, echo");
	assert_string_equal(part(&t, "verdict"), "answered");
	assert_string_equal(part(&t, "outcome"), "answered");
	assert_string_equal(part(&t, "reply"),
			"192.0.2.1>192.0.2.254 udp 7>40000 len 12 (46B frame)");
	/* Called first: the order of an assertion's two arguments is not defined. */
	n = ss_trace_line(&t, line, sizeof(line));
	assert_int_equal(n, strlen(line));
	assert_string_equal(line,
			"w1 #3 port 0 rx 46B: eth 02:00:00:00:00:fe>02:00:00:00:00:01 "
			"ipv4: ok | ipv4 192.0.2.254>192.0.2.1 ttl 64 len 32 udp: checked, to us | "
			"udp 40000>7 len 12: checked, echo | answered: 192.0.2.1>192.0.2.254 udp 7>40000 "
			"len 12 (46B frame)");
	/* A short buffer gets what fits, terminated. */
	assert_int_equal(ss_trace_line(&t, line, 12), 11);
	assert_string_equal(line, "w1 #3 port ");
	/* Without a configuration, no service is named. */
	ss_trace_format(&e, 0, NULL, &t);
	assert_string_equal(part(&t, "udp"), "40000>7 len 12: checked");
	/* A closed port is said to be one. */
	len = udp4(req, 40000, 4444, "x");
	entry(&e, req, len, rep, rlen, SS_VERDICT_TX);
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "udp"), "40000>4444 len 9: checked, closed port");
}

static void
test_format_dropped(void **state)
{
	static const char *const keys[] = { "rx", "eth", "ipv4", "verdict", "outcome" };
	struct test_env *env = *state;
	struct ss_trace_entry e;
	struct ss_trace_text t;
	uint8_t req[9100];
	char line[SS_TRACE_LINE_MAX], want[256];
	size_t len = udp4(req, 19, 7, "loop");

	/* The layer whose check it is says the reason, the outcome why. */
	entry(&e, req, len, NULL, 0, SS_DROP_UDP_LOOP_GUARD);
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "udp"), "19>7 len 12: udp_loop_guard");
	assert_string_equal(part(&t, "verdict"), "udp_loop_guard");
	snprintf(want, sizeof(want), "dropped: %s", ss_drop_desc(SS_DROP_UDP_LOOP_GUARD));
	assert_string_equal(part(&t, "outcome"), want);
	assert_null(part(&t, "reply"));
	ss_trace_line(&t, line, sizeof(line));
	assert_non_null(strstr(line, "| udp 19>7 len 12: udp_loop_guard | dropped: "));
	/* A check of IP: nothing after it is shown, the layers before it passed. */
	entry(&e, req, len, NULL, 0, SS_DROP_IP4_CKSUM);
	ss_trace_format(&e, 0, &env->cfg, &t);
	check_keys(&t, keys, RTE_DIM(keys));
	assert_string_equal(part(&t, "eth"), "02:00:00:00:00:fe>02:00:00:00:00:01 ipv4: ok");
	assert_string_equal(part(&t, "ipv4"),
			"192.0.2.254>192.0.2.1 ttl 64 len 32 udp: ipv4_bad_checksum");
	/* A reason of a layer the frame does not have goes to the deepest one it has. */
	entry(&e, req, len, NULL, 0, SS_DROP_ICMP4_RATELIMIT);
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "udp"), "19>7 len 12: icmp4_error_ratelimited");
	entry(&e, req, len, NULL, 0, SS_DROP_CLOCK_UNSET);
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "udp"), "19>7 len 12: clock_unset");
	/* A runt: the Ethernet layer is cut, and says how far it got. */
	entry(&e, req, 10, NULL, 0, SS_DROP_ETH_RUNT);
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "eth"), "truncated, 10 of 14 bytes: eth_runt");
	/* Options cut by the wire: the fixed header is there, and shown. */
	len = udp4_options(req);
	entry(&e, req, L3 + 24, NULL, 0, SS_DROP_IP4_TRUNCATED);
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "ipv4"),
			"192.0.2.254>192.0.2.1 ttl 64 len 39 options 8B "
			"udp, then truncated, 24 of 28 bytes: ipv4_truncated");
}

static void
test_format_tcp(void **state)
{
	struct test_env *env = *state;
	struct ss_trace_entry e;
	struct ss_trace_text t;
	struct test_frame f;
	uint8_t req[9100];
	char line[SS_TRACE_LINE_MAX];
	size_t len;

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_TCP;
	len = test_build_tcp(req, &f, 30000, 7, RTE_TCP_PSH_FLAG | RTE_TCP_ACK_FLAG, 5, 9, "hello",
			5);
	entry(&e, req, len, NULL, 0, SS_VERDICT_TCP);
	e.flags = SS_TRACE_F_TCP | SS_TRACE_F_CONN;
	e.conn_state = SS_TCP_ESTABLISHED;
	e.n_segs = 2;
	e.seg[0] = (struct ss_trace_seg){ .flags = RTE_TCP_ACK_FLAG, .len = 0 };
	e.seg[1] = (struct ss_trace_seg){ .flags = RTE_TCP_PSH_FLAG | RTE_TCP_ACK_FLAG, .len = 5 };
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "ipv6"),
			"2001:db8::fe>2001:db8::1 hlim 64 plen 25 tcp: checked, to us");
	assert_string_equal(part(&t, "tcp"),
			"30000>7 [PA] seq 5 ack 9 win 65535 5B: checked, echo");
	assert_string_equal(part(&t, "verdict"), "tcp");
	assert_string_equal(part(&t, "outcome"), "to TCP");
	assert_string_equal(part(&t, "conn"),
			"ESTABLISHED, 2 segments queued for it: [A] 0B, [PA] 5B");
	ss_trace_line(&t, line, sizeof(line));
	assert_non_null(strstr(line, " | to TCP | conn ESTABLISHED, 2 segments"));
	/* Gone, and more segments than are described, some of them out of sight. */
	e.flags = SS_TRACE_F_TCP | SS_TRACE_F_SEGS_LOST;
	e.n_segs = SS_TRACE_SEGS + 3;
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_non_null(strstr(part(&t, "conn"), "no connection, 7 segments queued for it: "));
	assert_non_null(strstr(part(&t, "conn"),
			", ... (some may have gone out before they could be seen)"));
	e.n_segs = 0;
	e.flags = SS_TRACE_F_TCP;
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_string_equal(part(&t, "conn"), "no connection, nothing queued for it");
	/* No TCP flag: no connection part. */
	e.flags = 0;
	ss_trace_format(&e, 0, &env->cfg, &t);
	assert_null(part(&t, "conn"));
}

/* Every part stays within a telemetry string, whatever the addresses. */
static void
test_format_bounded(void **state)
{
	struct test_env *env = *state;
	struct ss_trace_entry e;
	struct ss_trace_text t;
	struct test_frame f;
	uint8_t req[9100], opt[40];
	unsigned int i;
	size_t len;

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_TCP;
	f.src = "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe";
	f.dst = "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff";
	len = test_build_tcp_opt(req, &f, 65535, 65535, 0xff, 4294967295u, 4294967295u, 65535, opt,
			test_syn_options(opt, 1460, 14, 1), "data", 4);
	entry(&e, req, len, req, len, SS_VERDICT_TX);
	e.flags = SS_TRACE_F_TCP | SS_TRACE_F_CONN | SS_TRACE_F_SEGS_LOST;
	e.conn_state = 200;
	e.n_segs = 65535;
	for (i = 0; i < SS_TRACE_SEGS; i++)
		e.seg[i] = (struct ss_trace_seg){ .flags = 0xff, .len = 65535 };
	ss_trace_format(&e, 4000000000u, &env->cfg, &t);
	for (i = 0; i < t.n; i++)
		assert_true(strlen(t.part[i].text) < SS_TRACE_TEXT);
	assert_string_equal(part(&t, "conn") + strlen(part(&t, "conn")) - 3, "...");
}

static void
test_reason_layers(void **state)
{
	unsigned int v;

	(void)state;
	assert_int_equal(ss_trace_reason_layer(SS_DROP_ETH_RUNT), SS_TL_ETH);
	assert_int_equal(ss_trace_reason_layer(SS_DROP_MBUF_MULTISEG), SS_TL_ETH);
	assert_int_equal(ss_trace_reason_layer(SS_DROP_ARP_NOT_OURS), SS_TL_ARP);
	assert_int_equal(ss_trace_reason_layer(SS_DROP_IP6_EXTHDR), SS_TL_IPV6);
	assert_int_equal(ss_trace_reason_layer(SS_DROP_ND_INVALID), SS_TL_ICMP6);
	assert_int_equal(ss_trace_reason_layer(SS_DROP_TCP_SYN_FIN), SS_TL_TCP);
	assert_int_equal(ss_trace_reason_layer(SS_VERDICT_TX), SS_TL_MAX);
	assert_int_equal(ss_trace_reason_layer(SS_VERDICT_TCP), SS_TL_MAX);
	/* Every reason names its layer but these, which any layer (or both IPs) may reach. */
	for (v = SS_DROP_FIRST; v < SS_VERDICT_MAX; v++) {
		if (v == SS_DROP_CLOCK_UNSET || v == SS_DROP_REPLY_TOO_BIG ||
				v == SS_DROP_TX_FULL ||
				(v >= SS_DROP_FRAG_TABLE_FULL && v <= SS_DROP_FRAG_NO_MBUF))
			assert_int_equal(ss_trace_reason_layer(v), SS_TL_MAX);
		else
			assert_true(ss_trace_reason_layer(v) < SS_TL_MAX);
	}
	assert_string_equal(ss_trace_layer_name(SS_TL_ICMP6), "icmp6");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_udp4),
		cmocka_unit_test(test_decode_padding),
		cmocka_unit_test(test_decode_udp6_ext),
		cmocka_unit_test(test_decode_tcp_vlan),
		cmocka_unit_test(test_decode_ipv4_options),
		cmocka_unit_test(test_decode_arp_icmp),
		cmocka_unit_test(test_decode_other_ethertype),
		cmocka_unit_test(test_decode_prefixes),
		cmocka_unit_test(test_reason_layers),
		cmocka_unit_test_setup_teardown(test_format_answered, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_format_dropped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_format_tcp, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_format_bounded, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("trace_decode", tests, NULL, NULL);
}
