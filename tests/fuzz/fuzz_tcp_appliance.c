/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The appliances of fuzz_tcp: a worker each on a net_ring port, run as the
 * poll loop runs them (ss_worker_process(), ss_worker_transmit() and
 * ss_worker_flush() for a burst; ss_tcp_timers(), ss_tcp_flush() and
 * ss_worker_flush() for a tick), everything they send read back from the
 * port's ring, checked, shown to the client slots, and carried to the
 * other appliance when it is addressed to its MAC.
 */
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "fuzz_tcp.h"
#include "tcp_priv.h"

/*
 * Frames one received segment may make its appliance send, whatever the
 * windows: its reply in place (SYN-ACK or RST), a duplicate ACK for data
 * ahead of a hole, two retransmissions (fast retransmit or a NewReno
 * partial ACK's, and a SACK hole), an ACK, a lone FIN, a first segment cut
 * short by the window, the ACK sent on the way into a TIME-WAIT that lasts
 * no time. 8, with one to spare.
 */
#define PER_SEGMENT 8
/*
 * Frames one connection may send on a tick, whatever the windows: a
 * SYN-ACK again; or, after a timeout, one segment (cwnd is one MSS), with
 * the FIN on it, and the ACK owed; or a window probe; or the RST when it
 * gives up.
 */
#define PER_TIMER 4
/* Segments without data that may cross the wire in one run of it, beyond those below. */
#define WIRE_CTRL_ALLOWANCE 32
#define WIRE_ROUNDS_MAX 64

static const struct rte_ether_addr macs[FZ_APPS] = {
	{ .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } },
	{ .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } },
};
static const uint8_t addr4[FZ_APPS][4] = { { 192, 0, 2, 1 }, { 192, 0, 2, 2 } };
static const uint8_t addr6[FZ_APPS][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
};
static uint16_t ports[FZ_APPS];
static struct rte_ring *rings[FZ_APPS];

const struct rte_ether_addr *
fz_app_mac(unsigned int idx)
{
	return &macs[idx];
}

const uint8_t *
fz_app_addr(unsigned int idx, bool v6)
{
	return v6 ? addr6[idx] : addr4[idx];
}

/* A net_ring port per appliance: what it transmits stays in the ring for us to read. */
void
fz_app_init_ports(struct rte_mempool *pool)
{
	struct rte_eth_conf conf;
	char name[32], ring[64];
	unsigned int i;

	memset(&conf, 0, sizeof(conf));
	for (i = 0; i < FZ_APPS; i++) {
		snprintf(name, sizeof(name), "net_ring_fz%u", i);
		if (rte_eal_hotplug_add("vdev", name, "") < 0 ||
				rte_eth_dev_get_port_by_name(name, &ports[i]) < 0 ||
				rte_eth_dev_configure(ports[i], 1, 1, &conf) < 0 ||
				rte_eth_rx_queue_setup(ports[i], 0, 64, 0, NULL, pool) < 0 ||
				rte_eth_tx_queue_setup(ports[i], 0, 64, 0, NULL) < 0 ||
				rte_eth_dev_start(ports[i]) < 0)
			fz_fail("port %s did not start", name);
		snprintf(ring, sizeof(ring), "ETH_RXTX0_%s", name);
		rings[i] = rte_ring_lookup(ring);
		if (rings[i] == NULL)
			fz_fail("no ring %s", ring);
	}
}

static int64_t
wall(void)
{
	return fz.wall_unset ? 0 : fz.wall_base + (int64_t)(fz.ms / 1000);
}

static void
set_time(struct fz_app *a)
{
	a->w.now = a->w.tcp.tsc_base + (fz.tick0 + fz.ms) * a->w.tcp.cycles_per_tick;
	if (a->w.clock.sec != wall())
		ss_clock_set(&a->w.clock, wall());
}

void
fz_app_set_wall(void)
{
	unsigned int i;

	for (i = 0; i < FZ_APPS; i++)
		if (fz.app[i].up)
			set_time(&fz.app[i]);
}

void
fz_app_up(unsigned int idx)
{
	struct fz_app *a = &fz.app[idx];

	if (a->up)
		return;
	a->idx = idx;
	a->cfg = &fz.var->cfg[idx];
	a->ring = rings[idx];
	a->iface.port_id = ports[idx];
	a->iface.mtu = a->cfg->port[0].mtu;
	a->iface.nb_queues = 1;
	a->iface.mac = macs[idx];
	a->iface.cfg = &a->cfg->port[0];
	if (ss_worker_init(&a->w, 0, 1, a->cfg, &a->iface, 1, fz.var->pool, &a->run, 0) < 0)
		fz_fail("worker %u did not start", idx);
	if (a->w.tcp.table.capacity > FZ_TABLE_MAX)
		fz_fail("table of %u connections", a->w.tcp.table.capacity);
	a->up = true;
	/* The clock starts with the input (worker.c set w->now before the TCP's base). */
	set_time(a);
	ss_tcp_timers(&a->w);
}

struct rte_mbuf *
fz_app_mbuf(void)
{
	return rte_pktmbuf_alloc(fz.var->pool);
}

static uint64_t
out_count(const struct fz_app *a)
{
	const struct ss_stats *st = &a->w.stats[0];

	return st->tx_pkts + st->tx_unsent + st->drop[SS_DROP_TX_FULL];
}

/* New data a connection's output pass may send: its window in segments. */
static uint32_t
window_segments(const struct ss_tcp_conn *c)
{
	uint32_t wnd = RTE_MIN(c->cwnd, c->snd_wnd), mss = RTE_MAX(c->mss, (uint16_t)1);

	return (wnd + mss - 1) / mss;
}

static uint64_t
all_window_segments(const struct fz_app *a)
{
	const struct ss_tcp_table *t = &a->w.tcp.table;
	uint64_t n = 0;
	uint32_t i;

	for (i = 1; i <= t->capacity; i++)
		if (t->conns[i].state != SS_TCP_CLOSED)
			n += window_segments(&t->conns[i]);
	return n;
}

/*
 * What a burst of n segments may make an appliance send: PER_SEGMENT for
 * each, and once for each connection the burst reached, what its window
 * lets out (the output pass runs once, after the whole burst). An ACK
 * loop or a retransmission storm sends more than that.
 */
static uint64_t
burst_bound(struct fz_app *a, uint16_t n)
{
	uint64_t bound = (uint64_t)n * PER_SEGMENT;
	bool unknown = false;
	uint16_t i, j;

	for (i = 0; i < n; i++) {
		struct ss_tcp_conn *c;

		if (!a->fed[i].tcp) {
			unknown = true; /* could be TCP in a way fz_frame_seg() does not parse */
			continue;
		}
		for (j = 0; j < i; j++)
			if (a->fed[j].tcp && memcmp(&a->fed[j].key, &a->fed[i].key,
					sizeof(a->fed[i].key)) == 0)
				break;
		if (j < i)
			continue;
		c = ss_tcp_lookup(&a->w.tcp.table, &a->fed[i].key);
		if (c != NULL)
			bound += window_segments(c);
	}
	if (unknown)
		bound += all_window_segments(a);
	return bound;
}

/* Read back what the appliance sent: check it, show it to the slots, carry it over the wire. */
static void
collect(struct fz_app *a)
{
	struct fz_app *other = &fz.app[1 - a->idx];
	struct rte_mbuf *m[64];
	struct fz_frame f;
	unsigned int n, i;

	while ((n = rte_ring_dequeue_burst(a->ring, (void **)m, RTE_DIM(m), NULL)) > 0) {
		for (i = 0; i < n; i++) {
			if (fz_trace)
				fz_trace_frame("<-", a->idx, rte_pktmbuf_mtod(m[i], const uint8_t *),
					m[i]->data_len);
			fz_check_frame(m[i], &a->iface.mac, a->iface.cfg, a->iface.mtu, &f);
			fz_slot_learn(a->idx, &f);
			if (other->up && memcmp(f.dst_mac, other->iface.mac.addr_bytes, 6) == 0 &&
					other->n_wire < FZ_WIRE_MAX && fz.crossings_left > 0) {
				other->wire[other->n_wire++] = m[i];
				fz.crossings_left--;
			} else {
				rte_pktmbuf_free(m[i]);
			}
		}
	}
}

/* Receive the waiting burst, as poll_iface() does, and check what came of it. */
static void
receive(struct fz_app *a)
{
	uint16_t n = a->n_burst, nb_tx;
	uint64_t before, sent, bound;
	char who[8];

	if (n == 0)
		return;
	snprintf(who, sizeof(who), "%c", 'A' + a->idx);
	a->n_burst = 0;
	before = out_count(a);
	nb_tx = ss_worker_process(&a->w, 0, a->burst, n);
	fz_check_counters(&a->w.stats[0], who);
	if (nb_tx > 0)
		ss_worker_transmit(&a->w, 0, a->burst, nb_tx);
	ss_worker_flush(&a->w);
	fz_check_counters(&a->w.stats[0], who);
	sent = out_count(a) - before;
	bound = burst_bound(a, n);
	if (sent > bound)
		fz_fail("%s sent %lu frames for a burst of %u (bound %lu)", who,
			(unsigned long)sent, n, (unsigned long)bound);
	collect(a);
}

/*
 * Queue a frame for the next burst. Its 4-tuple is remembered for the
 * bound when the frame is plain (built by a slot or by the other
 * appliance); a raw frame may be parsed by the appliance in ways
 * fz_frame_seg() does not follow, so it counts as reaching them all.
 */
static void
enqueue(struct fz_app *a, struct rte_mbuf *m, bool plain)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	struct fz_seg seg;

	if (a->n_burst == SS_BURST_MAX)
		receive(a);
	if (fz_trace)
		fz_trace_frame("->", a->idx, d, m->data_len);
	a->fed[a->n_burst].tcp = plain && fz_frame_seg(d, m->data_len, &seg);
	if (a->fed[a->n_burst].tcp)
		a->fed[a->n_burst].key = seg.key;
	a->burst[a->n_burst++] = m;
}

bool
fz_app_pending(unsigned int idx, const struct ss_tcp_key *k)
{
	const struct fz_app *a = &fz.app[idx];
	uint16_t i;

	for (i = 0; i < a->n_burst; i++)
		if (!a->fed[i].tcp || memcmp(&a->fed[i].key, k, sizeof(*k)) == 0)
			return true;
	return false;
}

void
fz_app_feed(unsigned int idx, struct rte_mbuf *m, bool plain)
{
	fz_app_up(idx);
	enqueue(&fz.app[idx], m, plain);
	fz.fed_since_pump++;
}

static unsigned int
live_connections(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < FZ_APPS; i++)
		if (fz.app[i].up)
			n += fz.app[i].w.tcp.table.used;
	return n;
}

static void
wire_drop(struct fz_app *a)
{
	rte_pktmbuf_free_bulk(a->wire, a->n_wire);
	a->n_wire = 0;
}

/*
 * Carry frames between the appliances until none is left. At a frozen
 * clock, segments without data that keep crossing are a loop (an ACK
 * answered by an ACK, a SYN-ACK by a SYN-ACK): besides a few per frame
 * the clients sent and per connection, each must be owed to data that
 * crossed. Data may flow for ever (chargen into discard over mirrored
 * connections is TCP working); the wire gives up after a while.
 */
static void
wire_run(void)
{
	unsigned int rounds, idx, i, ctrl = 0, data = 0, allowance;

	allowance = WIRE_CTRL_ALLOWANCE + 4 * fz.fed_since_pump + 4 * live_connections();
	fz.fed_since_pump = 0;
	for (rounds = 0; rounds < WIRE_ROUNDS_MAX; rounds++) {
		bool any = false;

		for (idx = 0; idx < FZ_APPS; idx++) {
			struct fz_app *a = &fz.app[idx];
			struct rte_mbuf *take[FZ_WIRE_MAX];
			uint16_t n = a->n_wire;
			struct fz_seg seg;

			if (n == 0)
				continue;
			any = true;
			memcpy(take, a->wire, n * sizeof(take[0]));
			a->n_wire = 0;
			for (i = 0; i < n; i++) {
				const uint8_t *d = rte_pktmbuf_mtod(take[i], const uint8_t *);

				if (fz_frame_seg(d, take[i]->data_len, &seg)) {
					if (seg.data_len > 0)
						data++;
					else
						ctrl++;
				}
				fz_slot_foreign(idx, d, take[i]->data_len);
				enqueue(a, take[i], true);
			}
			receive(a);
		}
		if (ctrl > allowance + 2 * data)
			fz_fail("%u segments without data crossed between the appliances, %u with "
				"data (allowance %u): they loop", ctrl, data, allowance);
		if (!any)
			return;
	}
	for (idx = 0; idx < FZ_APPS; idx++)
		wire_drop(&fz.app[idx]);
}

void
fz_app_receive_all(void)
{
	unsigned int i;

	for (i = 0; i < FZ_APPS; i++)
		if (fz.app[i].up)
			receive(&fz.app[i]);
	wire_run();
}

/* One tick of the poll loop after ms: timers, what they owe, and checks on how much. */
static void
tick(struct fz_app *a)
{
	static uint32_t pre[FZ_TABLE_MAX + 1];
	struct ss_tcp_table *t = &a->w.tcp.table;
	uint64_t before, sent, bound = 0;
	uint32_t i;

	for (i = 1; i <= t->capacity; i++)
		pre[i] = t->conns[i].state != SS_TCP_CLOSED ? PER_TIMER +
			window_segments(&t->conns[i]) : 0;
	set_time(a);
	before = out_count(a);
	ss_tcp_timers(&a->w);
	ss_tcp_flush(&a->w);
	ss_worker_flush(&a->w);
	sent = out_count(a) - before;
	for (i = 1; i <= t->capacity; i++) {
		uint32_t post = t->conns[i].state != SS_TCP_CLOSED ? PER_TIMER +
			window_segments(&t->conns[i]) : 0;

		bound += RTE_MAX(pre[i], post);
	}
	if (sent > bound)
		fz_fail("%c sent %lu frames on a tick (bound %lu)", 'A' + a->idx,
			(unsigned long)sent, (unsigned long)bound);
	collect(a);
}

/* Milliseconds to the next timer of an appliance's connections (or TIME-WAIT's end). */
uint64_t
fz_app_next_event(void)
{
	uint64_t next = UINT64_MAX;
	unsigned int idx;
	uint32_t i;

	for (idx = 0; idx < FZ_APPS; idx++) {
		const struct fz_app *a = &fz.app[idx];
		const struct ss_tcp_table *t = &a->w.tcp.table;
		uint32_t tick = a->w.tcp.tick, at;

		if (!a->up)
			continue;
		for (i = 1; i <= t->capacity; i++) {
			const struct ss_tcp_conn *c = &t->conns[i];

			if (c->state == SS_TCP_CLOSED)
				continue;
			if (c->state == SS_TCP_TIME_WAIT)
				at = c->since + a->cfg->tcp.time_wait_ms;
			else if (c->timer_at != 0)
				at = c->timer_at;
			else
				continue;
			next = RTE_MIN(next, ss_tick_before(tick, at) ? (uint64_t)(at - tick) : 1);
		}
	}
	return next;
}

void
fz_app_step(uint32_t ms)
{
	unsigned int i;

	fz.ms += ms;
	for (i = 0; i < FZ_APPS; i++)
		if (fz.app[i].up)
			tick(&fz.app[i]);
	wire_run();
}

void
fz_app_down_all(void)
{
	struct rte_mbuf *m[64];
	unsigned int i, n;

	for (i = 0; i < FZ_APPS; i++) {
		struct fz_app *a = &fz.app[i];

		if (!a->up)
			continue;
		rte_pktmbuf_free_bulk(a->burst, a->n_burst);
		a->n_burst = 0;
		wire_drop(a);
		ss_worker_free(&a->w);
		while ((n = rte_ring_dequeue_burst(a->ring, (void **)m, RTE_DIM(m), NULL)) > 0)
			rte_pktmbuf_free_bulk(m, n);
		a->up = false;
	}
}
