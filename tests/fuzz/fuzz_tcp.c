/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer over TCP conversations: one input is a sequence of operations
 * (fuzz_tcp_grammar.h) that client slots and a clock play against fresh
 * appliances, so that connections reach every state (ESTABLISHED, the FIN
 * states, TIME-WAIT), echo's hold queue, recovery with SACK, zero windows
 * and the timers; the cookie secret is fixed and the clock is the input's,
 * so that every input replays the same. After every op: the counter
 * identity of each worker, a bound on the frames sent for each burst
 * received and each tick, every frame well-formed, what the slots' models
 * allow (fuzz_tcp_slot.c), no loop over the wire between the appliances,
 * the tables consistent and every mbuf accounted for; after the input, the
 * pool as it was before it. A violation is abort(); a hang is caught by
 * libFuzzer's -timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mempool.h>
#include <rte_random.h>

#include "daytime.h"
#include "fuzz_tcp.h"
#include "tcp_priv.h"

#define MAX_OPS 512
#define FZ_TICK_WRAP_SOON (UINT64_C(0xffffffff) - 65536)
#define STEPS_PER_INPUT 1024
#define STEPS_PER_OP 32
#define CROSSINGS_PER_INPUT 8192
/* Enough for a jumbo frame in one mbuf. */
#define MBUF_DATA (RTE_PKTMBUF_HEADROOM + 9216)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_world fz;
bool fz_trace;
static struct fz_variant variants[FZ_VARIANTS];

/* Settings of a variant on top of the defaults: section, key, value, ..., NULL. */
static const char *const var_defaults[] = {
	"tcp", "max_connections", "32",
	"qotd", "tcp", "on",
	NULL,
};
/* SYN cookies only; a small table and per-source cap; short TIME-WAIT. */
static const char *const var_cookies[] = {
	"tcp", "max_half_open", "0",
	"tcp", "max_per_source", "2",
	"tcp", "max_connections", "6",
	"tcp", "time_wait_ms", "1000",
	NULL,
};
/*
 * Small windows and buffers, short timers, a tight challenge-ACK budget and
 * answer interval, the least a source may hold and few half-open entries
 * each; a small pool.
 */
static const char *const var_tight[] = {
	"tcp", "max_connections", "16",
	"tcp", "window", "4096",
	"tcp", "echo_buffer", "1024",
	"tcp", "mss", "536",
	"tcp", "challenge_ack_rate", "10",
	"tcp", "invalid_ack_interval_ms", "50",
	"tcp", "max_held_per_source", "65536",
	"tcp", "max_half_open_per_source", "2",
	"tcp", "time_wait_ms", "0",
	"tcp", "rto_initial_ms", "10",
	"tcp", "rto_min_ms", "1",
	"tcp", "max_retries", "2",
	"tcp", "syn_retries", "1",
	"tcp", "idle_timeout_ms", "2000",
	"tcp", "zero_window_timeout_ms", "1000",
	"tcp", "fin_wait2_timeout_ms", "1000",
	NULL,
};
/* Jumbo frames, a scaled window, echo on another port. */
static const char *const var_jumbo[] = {
	"tcp", "max_connections", "8",
	"tcp", "window", "1048576",
	"tcp", "mss", "8960",
	"port0", "mtu", "9000",
	"echo", "tcp_port", "7007",
	"qotd", "tcp", "on",
	NULL,
};

static void
variant_init(struct fz_variant *v, const char *name, const char *const *kv,
	struct rte_mempool *pool)
{
	char a4[32], a6[32];
	unsigned int i, k;

	v->name = name;
	v->pool = pool;
	for (i = 0; i < FZ_APPS; i++) {
		struct ss_config *cfg = &v->cfg[i];

		ss_config_defaults(cfg);
		snprintf(a4, sizeof(a4), "192.0.2.%u/24", i + 1);
		snprintf(a6, sizeof(a6), "2001:db8::%u/64", i + 1);
		fz_config_set(cfg, "port0", "ipv4", a4);
		fz_config_set(cfg, "port0", "ipv6", a6);
		/* what ss_worker_init() clears for every input: keep it small */
		fz_config_set(cfg, "abuse", "ratelimit_sources", "64");
		for (k = 0; kv[k] != NULL; k += 3)
			fz_config_set(cfg, kv[k], kv[k + 1], kv[k + 2]);
		fz_config_finish(cfg);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rte_mempool *big, *small;

	(void)argc;
	(void)argv;
	fz_trace = getenv("FUZZ_TCP_TRACE") != NULL;
	fz_eal_init("ssfuzztcp", NULL);
	big = rte_pktmbuf_pool_create("fz_big", 4096, 0, 0, MBUF_DATA, 0);
	/* A quarter of it is the TCP's reserve: pool_low comes within reach. */
	small = rte_pktmbuf_pool_create("fz_small", 384, 0, 0, MBUF_DATA, 0);
	if (big == NULL || small == NULL)
		fz_fail("no mbuf pool");
	variant_init(&variants[0], "defaults", var_defaults, big);
	variant_init(&variants[1], "cookies", var_cookies, big);
	variant_init(&variants[2], "tight", var_tight, small);
	variant_init(&variants[3], "jumbo", var_jumbo, big);
	/* Every variant keeps the default time zone: apply it once. */
	ss_daytime_apply_timezone(&variants[0].cfg[0].daytime);
	/* A fixed cookie secret (the workers keep it): the same input, the same ISNs. */
	ss_tcp_cookie_secret_set(&ss_tcp_secret, (const uint8_t *)"smallsrv fuzz tc", true);
	fz_app_init_ports(big);
	return 0;
}

static void
op_clock(const struct fz_op *op)
{
	uint16_t v = fz_op16(op, 2);
	unsigned int steps;
	uint64_t ms;

	switch (op->b[1] % 4) {
	case FZ_CLOCK_MS:
		ms = v;
		break;
	case FZ_CLOCK_10MS:
		ms = (uint64_t)v * 10;
		break;
	case FZ_CLOCK_S:
		ms = (uint64_t)RTE_MIN(v, FZ_CLOCK_S_MAX) * 1000;
		break;
	default:
		fz.wall_unset = v == 0x8000;
		fz.wall_base = FZ_T0 + (int16_t)v - (int64_t)(fz.ms / 1000);
		fz_app_set_wall();
		return;
	}
	/*
	 * From timer to timer, as the poll loop would come to each on its tick
	 * (a few dozen steps at most, while the input's budget lasts; then the
	 * rest in one step, as after a stall).
	 */
	for (steps = 0; steps < STEPS_PER_OP && fz.steps_left > 0; steps++) {
		uint64_t d = RTE_MIN(fz_app_next_event(), ms);

		fz.steps_left--;
		fz_app_step((uint32_t)d);
		fz_check_tables();
		ms -= d;
		if (ms == 0)
			return;
	}
	fz_app_step((uint32_t)ms);
	fz_check_tables();
}

static void
run_op(const struct fz_op *op)
{
	switch (op->code) {
	case FZ_OP_SYN:
		fz_op_syn(op);
		break;
	case FZ_OP_ACCEPT:
		fz_op_accept(op);
		break;
	case FZ_OP_DATA:
		fz_op_data(op);
		break;
	case FZ_OP_ACK:
		fz_op_ack(op);
		break;
	case FZ_OP_WINDOW:
		fz_op_window(op);
		break;
	case FZ_OP_RST:
		fz_op_rst(op);
		break;
	case FZ_OP_CLOCK:
		op_clock(op);
		break;
	default:
		fz_op_raw(op);
		break;
	}
}

void
fz_trace_frame(const char *dir, unsigned int app, const uint8_t *frame, uint16_t len)
{
	static const char names[] = "FSRPAUEC";
	struct fz_seg seg;
	const uint8_t *th;
	unsigned int i, n = 0;
	char fl[9];

	if (!fz_frame_seg(frame, len, &seg)) {
		fprintf(stderr, "%8lu ms %s %c  %u bytes, not TCP\n", (unsigned long)fz.ms, dir,
			'A' + app, len);
		return;
	}
	for (i = 0; i < 8; i++)
		if (seg.flags & (1u << i))
			fl[n++] = names[i];
	fl[n] = 0;
	th = frame + seg.l4;
	fprintf(stderr, "%8lu ms %s %c  %5u > %5u %-5s seq %10u ack %10u win %5u len %u\n",
		(unsigned long)fz.ms, dir, 'A' + app, fz_be16(th), fz_be16(th + 2), fl,
		fz_be32(th + 4), fz_be32(th + 8), fz_be16(th + 14), seg.data_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_op op;
	unsigned int ops = 0;
	size_t off = 1;

	if (size == 0)
		return 0;
	/* Nothing of the last input stays: a fresh world, the same random numbers. */
	rte_srand(0x5eed);
	memset(&fz, 0, sizeof(fz));
	fz.var = &variants[data[0] % FZ_VARIANTS];
	/* An appliance up for 49.7 days: its 32-bit millisecond ticks wrap within the input. */
	fz.tick0 = (data[0] / FZ_VARIANTS) & 1 ? FZ_TICK_WRAP_SOON : 0;
	fz.wall_base = FZ_T0;
	fz.steps_left = STEPS_PER_INPUT;
	fz.crossings_left = CROSSINGS_PER_INPUT;
	fz.baseline = rte_mempool_in_use_count(fz.var->pool);
	fz_app_up(0);
	while (off < size && ops++ < MAX_OPS) {
		off += fz_op_decode(data, size, off, &op);
		/* What the ops before sent is received now, unless this op's frames join them. */
		if (!op.burst || op.code == FZ_OP_CLOCK)
			fz_app_receive_all();
		run_op(&op);
		fz_check_tables();
	}
	fz_app_receive_all();
	fz_check_tables();
	fz_app_down_all();
	if (rte_mempool_in_use_count(fz.var->pool) != fz.baseline)
		fz_fail("%u mbufs in use after the input, %u before",
			rte_mempool_in_use_count(fz.var->pool), fz.baseline);
	return 0;
}
