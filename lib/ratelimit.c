/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "ratelimit.h"

void
ss_gcra_init(struct ss_gcra *g, const struct ss_rate_cfg *rate, unsigned int share,
	uint64_t hz)
{
	uint64_t per_second = rate->rate;
	uint64_t burst = rate->burst;

	/* A limit shared by several workers: each takes its part of it. */
	if (share > 1) {
		per_second = per_second / share > 0 ? per_second / share : 1;
		burst = burst / share > 0 ? burst / share : 1;
	}
	if (rate->rate == 0) {
		g->interval = 0;
		g->tolerance = UINT64_MAX;
		return;
	}
	g->interval = hz / per_second > 0 ? hz / per_second : 1;
	g->tolerance = (burst > 0 ? burst - 1 : 0) * g->interval;
}

int
ss_src_limiter_init(struct ss_src_limiter *l, const struct ss_rate_cfg *rate,
	uint32_t size, uint64_t hz, int socket)
{
	ss_gcra_init(&l->gcra, rate, 1, hz);
	l->mask = size - 1;
	l->slots = rte_zmalloc_socket("ss_src_limiter", size * sizeof(*l->slots),
		RTE_CACHE_LINE_SIZE, socket);
	return l->slots == NULL ? -1 : 0;
}

void
ss_src_limiter_free(struct ss_src_limiter *l)
{
	rte_free(l->slots);
	l->slots = NULL;
}

bool
ss_src_limiter_allow(struct ss_src_limiter *l, uint64_t key, uint64_t now)
{
	struct ss_src_slot *s;

	if (l->gcra.interval == 0)
		return true;
	s = &l->slots[rte_hash_crc_8byte(key, 0) & l->mask];
	if (s->key != key) {
		s->key = key;
		s->tat = 0;
	}
	return ss_gcra_allow(&l->gcra, &s->tat, now);
}

uint64_t
ss_src_key4(uint32_t addr)
{
	return (UINT64_C(1) << 32) | addr;
}

uint64_t
ss_src_key6(const uint8_t *addr)
{
	uint64_t a[2], hi, lo;

	/*
	 * The address sits at offset 8 of the IPv6 header, which is rarely
	 * 8-byte aligned in the frame: copy rather than load through a cast
	 * (x86 tolerates it, C and UBSan do not; the copy costs the same).
	 */
	memcpy(a, addr, sizeof(a));
	hi = rte_hash_crc_8byte(a[0], 0x6666);
	lo = rte_hash_crc_8byte(a[1], (uint32_t)hi);

	/* Bit 63 set: never equal to an IPv4 key. */
	return (UINT64_C(1) << 63) | (hi << 32) | lo;
}
