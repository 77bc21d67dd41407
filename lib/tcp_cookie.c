/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_common.h>
#include <rte_random.h>

#include "tcp_cookie.h"

#define COOKIE_PERIOD_SHIFT 6 /* 64-second periods */
#define COOKIE_T_BITS 5
#define COOKIE_HASH_MASK 0x7ffffu

/* MSS values a cookie can carry: common path MTUs, IPv4 and IPv6. */
static const uint16_t cookie_mss[8] = { 536, 1220, 1300, 1380, 1420, 1440, 1452, 1460 };

void
ss_tcp_cookie_init(struct ss_siphash_key *secret)
{
	secret->k0 = rte_rand();
	secret->k1 = rte_rand();
}

static unsigned int
mss_index(uint16_t mss)
{
	unsigned int i;

	for (i = RTE_DIM(cookie_mss) - 1; i > 0; i--)
		if (cookie_mss[i] <= mss)
			return i;
	return 0;
}

uint16_t
ss_tcp_cookie_mss(uint16_t mss)
{
	return cookie_mss[mss_index(mss)];
}

/* Keyed hash of the tuple and up to two words of context. */
static uint32_t
cookie_hash(const struct ss_siphash_key *secret, const struct ss_tcp_key *k, uint32_t a,
	uint32_t b)
{
	uint8_t buf[sizeof(*k) + 8];

	memcpy(buf, k, sizeof(*k));
	memcpy(buf + sizeof(*k), &a, 4);
	memcpy(buf + sizeof(*k) + 4, &b, 4);
	return (uint32_t)ss_siphash(secret, buf, sizeof(buf));
}

/* The part of the cookie under the offset: period, MSS, scale, then the MAC. */
static uint32_t
cookie_body(const struct ss_siphash_key *secret, const struct ss_tcp_key *k, uint32_t peer_isn,
	uint32_t t, unsigned int mi, uint8_t wscale, bool sack)
{
	uint32_t head = (t & ((1u << COOKIE_T_BITS) - 1)) << 27 | mi << 24 |
		(uint32_t)wscale << 20 | (uint32_t)sack << 19;

	return head | (cookie_hash(secret, k, peer_isn, t ^ head) & COOKIE_HASH_MASK);
}

uint32_t
ss_tcp_cookie_make(const struct ss_siphash_key *secret, const struct ss_tcp_key *k,
	uint32_t peer_isn, uint64_t now_sec, uint16_t mss, uint8_t wscale, bool sack)
{
	uint32_t t = (uint32_t)(now_sec >> COOKIE_PERIOD_SHIFT);

	return cookie_hash(secret, k, 0, 0) +
		cookie_body(secret, k, peer_isn, t, mss_index(mss), wscale & 0xf, sack);
}

bool
ss_tcp_cookie_check(const struct ss_siphash_key *secret, const struct ss_tcp_key *k,
	uint32_t peer_isn, uint32_t cookie, uint64_t now_sec, uint16_t *mss, uint8_t *wscale,
	bool *sack)
{
	uint32_t v = cookie - cookie_hash(secret, k, 0, 0);
	uint32_t now_t = (uint32_t)(now_sec >> COOKIE_PERIOD_SHIFT);
	unsigned int mi = (v >> 24) & 7, back;
	uint8_t ws = (v >> 20) & 0xf;
	bool sk = (v >> 19) & 1;

	/* This period or the one before: the full t is known from its low bits. */
	for (back = 0; back < 2; back++) {
		uint32_t t = now_t - back;

		if ((t & ((1u << COOKIE_T_BITS) - 1)) != v >> 27)
			continue;
		if (cookie_body(secret, k, peer_isn, t, mi, ws, sk) != v)
			return false;
		*mss = cookie_mss[mi];
		*wscale = ws;
		*sack = sk;
		return true;
	}
	return false;
}
