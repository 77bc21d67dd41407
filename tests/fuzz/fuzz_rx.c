/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer over the receive path: arbitrary bytes as a received frame,
 * a burst of one through ss_worker_process() with every service on, every
 * other one traced (trace.h), half of them with the fast path off (the
 * general path alone). The properties checked are
 * those of the data path's contract: no crash, no read or write past the
 * mbuf (AddressSanitizer), a verdict that is TX or a known reason, and a
 * reply that is a well-formed frame (fz_check_frame(): one segment, no
 * larger than the port's MTU allows, lengths and checksums right, from our
 * MAC and addresses); a traced frame's entry says what became of it, in
 * words that fit.
 *
 * An input that starts with "FRAG" is a sequence of fragments instead
 * (frag_input()): a datagram built from its first bytes, cut as its
 * descriptors say, in any order, overlapping, repeated, from four sources,
 * with time passing between them; the reassembly table is checked against
 * itself after every sequence (ss_reasm_check()), and the counters add up.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "config.h"
#include "daytime.h"
#include "eth.h"
#include "fuzz_common.h"
#include "ip_reasm.h"
#include "tcp_priv.h"
#include "trace_decode.h"
#include "worker.h"

#define MAX_FRAME 9100
#define TABLE_CHECK_EVERY 4096

static struct ss_config cfg;
static struct ss_iface iface;
static struct ss_worker worker;
static struct ss_run run;
static struct rte_mempool *pool;
static uint64_t inputs;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct rte_ether_addr mac = { .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00,
								   0x01 } };

	(void)argc;
	(void)argv;
	fz_eal_init("ssfuzz", NULL);
	ss_config_defaults(&cfg);
	fz_config_set(&cfg, "port0", "ipv4", "192.0.2.1/24 198.51.100.1/31");
	fz_config_set(&cfg, "port0", "ipv6", "2001:db8::1/64");
	fz_config_set(&cfg, "qotd", "udp", "on");
	/* Small bounds, so that sequences reach them. */
	fz_config_set(&cfg, "ip", "reassembly_datagrams", "16");
	fz_config_set(&cfg, "ip", "reassembly_fragments", "48");
	fz_config_set(&cfg, "ip", "reassembly_held", "128");
	fz_config_set(&cfg, "ip", "reassembly_per_source", "8");
	fz_config_finish(&cfg);
	ss_daytime_apply_timezone(&cfg.daytime);
	/* Enough for what TCP connections hold (echo data, segments ahead of a hole). */
	pool = rte_pktmbuf_pool_create("fuzz", 8192, 0, 0, RTE_PKTMBUF_HEADROOM + MAX_FRAME, 0);
	if (pool == NULL)
		abort();
	iface.mtu = 1500;
	iface.nb_queues = 1;
	iface.mac = mac;
	iface.cfg = &cfg.port[0];
	/*
	 * The worker lives across inputs (what one leaves, the next may meet),
	 * but starts the same in every run: a fixed cookie secret, the TCP
	 * clock at its first tick (ss_worker_init() reads the TSC before the
	 * TCP takes its base), the wall clock at a fixed time. libFuzzer's
	 * -seed then replays a run.
	 */
	ss_tcp_cookie_secret_set(&ss_tcp_secret, (const uint8_t *)"smallsrv fuzz rx", true);
	if (ss_worker_init(&worker, 0, 1, &cfg, &iface, 1, pool, &run, 0) < 0)
		abort();
	worker.now = worker.tcp.tsc_base;
	ss_clock_set(&worker.clock, 1668772998);
	return 0;
}

/* A reply is a frame we may send (fuzz_common.c says what that means). */
static void
check_reply(const struct rte_mbuf *m)
{
	struct fz_frame f;

	fz_check_frame(m, &iface.mac, iface.cfg, iface.mtu, &f);
}

/* The counter of verdict v. */
static uint64_t
verdict_count(const struct ss_stats *st, enum ss_verdict v)
{
	if (v == SS_VERDICT_TX)
		return st->rx_answered;
	if (v == SS_VERDICT_TCP)
		return st->rx_tcp;
	return v == SS_VERDICT_HELD ? st->rx_held : st->drop[v];
}

/*
 * A traced input's entry (every other input is traced): one, with a verdict
 * that is TX exactly when there was a reply, and words that fit their parts
 * whatever the bytes were (the decoder reads only what the worker copied).
 */
static void
check_trace(uint16_t nb_tx, const struct ss_stats *before)
{
	char line[SS_TRACE_LINE_MAX];
	const struct ss_trace_entry *e;
	struct ss_trace_text text;
	unsigned int i;

	if (ss_trace_count(&worker.trace) != 1)
		abort();
	e = ss_trace_entry(&worker.trace, 0);
	if (e->verdict >= SS_VERDICT_MAX || (e->verdict == SS_VERDICT_TX) != (nb_tx == 1))
		abort();
	/* The verdict is the one counter the packet moved. */
	if (verdict_count(&worker.stats[0], e->verdict) != verdict_count(before, e->verdict) + 1)
		abort();
	ss_trace_format(e, 0, &cfg, &text);
	for (i = 0; i < text.n; i++)
		if (strlen(text.part[i].text) >= SS_TRACE_TEXT)
			abort();
	if (ss_trace_line(&text, line, sizeof(line)) != (int)strlen(line))
		abort();
}

/* One frame through the data path as a burst of one, with the replies and segments it made checked. */
static void
one_frame(const uint8_t *data, size_t size, bool traced)
{
	struct ss_stats before;
	struct rte_mbuf *pkts[1];
	uint16_t nb_tx;

	pkts[0] = rte_pktmbuf_alloc(pool);
	if (pkts[0] == NULL)
		abort();
	memcpy(rte_pktmbuf_append(pkts[0], size), data, size);
	/* Time moves on, so that the rate limits let some replies through. */
	worker.now += worker.hz / 1000;
	if (traced) {
		ss_trace_reset(&worker.trace);
		ss_trace_arm(&worker.trace, 1);
		before = worker.stats[0];
	}
	/* A burst of one: drops are freed, what TCP or reassembly took it keeps, a reply comes back. */
	nb_tx = ss_worker_process(&worker, 0, pkts, 1);
	if (traced)
		check_trace(nb_tx, &before);
	if (nb_tx == 1) {
		check_reply(pkts[0]);
		rte_pktmbuf_free(pkts[0]);
	}
	/* What TCP connections owe goes out, here into the void; their timers run. */
	ss_tcp_timers(&worker);
	ss_reasm_expire(&worker.reasm, worker.stats, worker.now);
	ss_tcp_flush(&worker);
	for (unsigned int i = 0; i < worker.txbuf[0].n; i++)
		check_reply(worker.txbuf[0].pkts[i]);
	rte_pktmbuf_free_bulk(worker.txbuf[0].pkts, worker.txbuf[0].n);
	worker.txbuf[0].n = 0;
}

/* The datagram of a fragment sequence, whole, as a frame: its first bytes say what it is. */
static uint8_t whole[RTE_ETHER_HDR_LEN + 40 + 65536];
static uint8_t frame[RTE_ETHER_HDR_LEN + 48 + 1500];

#define FRAG_MAGIC "FRAG"
#define FRAG_DESC 5 /* offset in 8-byte units (2), length (2), flags (1) */
#define F_MORE 0x01
#define F_ID_SHIFT 1 /* 2 bits: another datagram of the same source */
#define F_JUMP 0x08  /* past the reassembly timeout first */
#define F_WAIT 0x10  /* a tenth of a second first */

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x00 };

/*
 * Build the datagram: b0 bit 0 IPv6, bits 1-2 what (UDP echo, UDP daytime,
 * ICMP echo, TCP SYN to echo), bits 3-4 the source, bit 5 a wrong sum;
 * b1-b2 its payload's length. Returns the length of its IP payload, the
 * bytes that are cut into fragments (at whole + l4), and its protocol.
 */
static uint32_t
build_whole(const uint8_t *d, bool ipv6, uint16_t *l4, uint8_t *proto)
{
	static const uint8_t protos[4] = { 17, 17, 1, 6 };
	/* As large as fz_fix_checksums() takes: the whole frame in 65535 bytes. */
	uint32_t max = 65535 - RTE_ETHER_HDR_LEN - (ipv6 ? 40 : 20) - 8;
	uint32_t len = (d[1] << 8 | d[2]) % (max + 1);
	uint8_t what = (d[0] >> 1) & 3, src = (d[0] >> 3) & 3;
	uint8_t *ip = whole + RTE_ETHER_HDR_LEN, *up;
	uint32_t l4_len, i;

	memset(whole, 0, RTE_ETHER_HDR_LEN + (ipv6 ? 40 : 20) + 20);
	memcpy(whole, iface.mac.addr_bytes, 6);
	memcpy(whole + 6, peer_mac, 6);
	whole[11] = src;
	*proto = protos[what];
	if (what == 2 && ipv6)
		*proto = 58;
	l4_len = (what == 3 ? 20 : 8) + (what == 3 ? 0 : len);
	if (ipv6) {
		fz_put16(whole + 12, 0x86dd);
		ip[0] = 0x60;
		fz_put16(ip + 4, l4_len);
		ip[6] = *proto;
		ip[7] = 64;
		fz_put16(ip + 8, 0x2001);
		fz_put16(ip + 10, 0x0db8);
		ip[23] = 0x80 + src;
		fz_put16(ip + 24, 0x2001);
		fz_put16(ip + 26, 0x0db8);
		ip[39] = 1;
		*l4 = RTE_ETHER_HDR_LEN + 40;
	} else {
		fz_put16(whole + 12, 0x0800);
		ip[0] = 0x45;
		fz_put16(ip + 2, 20 + l4_len);
		ip[8] = 64;
		ip[9] = *proto;
		memcpy(ip + 12, (const uint8_t[]){ 192, 0, 2, 128 + src }, 4);
		memcpy(ip + 16, (const uint8_t[]){ 192, 0, 2, 1 }, 4);
		*l4 = RTE_ETHER_HDR_LEN + 20;
	}
	up = whole + *l4;
	if (what == 3) {
		fz_put16(up, 40000 + src);
		fz_put16(up + 2, 7);
		fz_put32(up + 4, 1000);
		up[12] = 5 << 4;
		up[13] = 0x02; /* SYN */
		fz_put16(up + 14, 8192);
	} else if (*proto == 17) {
		fz_put16(up, 40000 + src);
		fz_put16(up + 2, what == 0 ? 7 : 13);
		fz_put16(up + 4, l4_len);
	} else {
		up[0] = ipv6 ? 128 : 8; /* echo request */
		fz_put16(up + 4, 1);
	}
	for (i = up - whole + (what == 3 ? 20 : 8); i < *l4 + l4_len; i++)
		whole[i] = (uint8_t)(i * 7);
	if (!fz_fix_checksums(whole, *l4 + l4_len))
		abort();
	if (d[0] & 0x20)
		whole[*l4 + l4_len - 1] ^= 0x55;
	return l4_len;
}

/* The fragment of the datagram that descriptor x names, as a frame; its length. */
static uint16_t
build_fragment(const uint8_t *x, bool ipv6, uint16_t l4, uint32_t l4_len, uint8_t proto)
{
	uint32_t off = (x[0] << 8 | x[1]) % 8192 * 8;
	uint16_t len = (x[2] << 8 | x[3]) % (ipv6 ? 1453 : 1481);
	uint16_t hdr = l4 + (ipv6 ? 8 : 0), i;
	uint32_t id = 0x1234 + ((x[4] >> F_ID_SHIFT) & 3);
	bool more = x[4] & F_MORE;
	uint8_t *ip = frame + RTE_ETHER_HDR_LEN;

	memcpy(frame, whole, l4);
	for (i = 0; i < len; i++)
		frame[hdr + i] = off + i < l4_len ? whole[l4 + off + i] : 0;
	if (ipv6) {
		fz_put16(ip + 4, 8 + len);
		ip[6] = 44;
		ip[40] = proto;
		ip[41] = 0;
		fz_put16(ip + 42, off | more);
		fz_put32(ip + 44, id);
	} else {
		fz_put16(ip + 2, 20 + len);
		fz_put16(ip + 4, id);
		fz_put16(ip + 6, (off / 8 & 0x1fff) | (more ? 0x2000 : 0));
		ip[10] = ip[11] = 0;
		fz_put16(ip + 10, (uint16_t)~fz_sum(ip, 20, 0));
	}
	return hdr + len;
}

static void
frag_input(const uint8_t *d, size_t size)
{
	bool ipv6 = d[0] & 1;
	uint16_t l4;
	uint8_t proto;
	uint32_t l4_len;
	size_t at;
	int bad;

	l4_len = build_whole(d, ipv6, &l4, &proto);
	for (at = 3; at + FRAG_DESC <= size; at += FRAG_DESC) {
		const uint8_t *x = d + at;

		if (x[4] & F_JUMP)
			worker.now += worker.reasm.timeout + 1;
		if (x[4] & F_WAIT)
			worker.now += worker.hz / 10;
		one_frame(frame, build_fragment(x, ipv6, l4, l4_len, proto), false);
	}
	bad = ss_reasm_check(&worker.reasm);
	if (bad != 0)
		fz_fail("reassembly table inconsistent (check %d)", bad);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_FRAME)
		return 0;
	/* Half the inputs go the general way only: the UDP it would answer is fuzzed too. */
	cfg.fast_path = (inputs & 2) != 0;
	if (size >= 4 + 3 && memcmp(data, FRAG_MAGIC, 4) == 0)
		frag_input(data + 4, size - 4);
	else
		one_frame(data, size, (inputs & 1) != 0);
	fz_check_counters(&worker.stats[0], "rx");
	/* The table checked against itself now and then: it has 65536 entries to walk. */
	if (++inputs % TABLE_CHECK_EVERY == 0)
		fz_check_tcp_table(&worker, 'W');
	return 0;
}
