/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_common.h>

#include "addr.h"
#include "secret.h"
#include "tcp_cookie.h"

#define COOKIE_PERIOD_SHIFT 6 /* 64-second periods */
#define COOKIE_T_BITS 5
#define COOKIE_T_MASK ((1u << COOKIE_T_BITS) - 1)
#define COOKIE_HASH_MASK 0x7ffffu

/* MSS values a cookie can carry: common path MTUs, IPv4 and IPv6. */
static const uint16_t cookie_mss[8] = { 536, 1220, 1300, 1380, 1420, 1440, 1452, 1460 };

void
ss_tcp_cookie_secret_set(struct ss_tcp_cookie_secret *secret,
		const uint8_t key[SS_TCP_COOKIE_KEY_LEN], bool use_aes)
{
	memset(secret, 0, sizeof(*secret));
	secret->aes = use_aes && ss_aes_cmac_available();
	if (secret->aes)
		ss_aes_cmac_init(&secret->cmac, key);
	else
		memcpy(&secret->sip, key, sizeof(secret->sip));
	secret->set = true;
}

int
ss_tcp_cookie_init(struct ss_tcp_cookie_secret *secret)
{
	uint8_t key[SS_TCP_COOKIE_KEY_LEN];

	if (ss_secret_fill(key, sizeof(key)) < 0)
		return -1;
	ss_tcp_cookie_secret_set(secret, key, true);
	explicit_bzero(key, sizeof(key));
	return 0;
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

/*
 * One keyed hash of the tuple, the peer's ISN and the period gives both
 * the offset (low half) and the MAC (high half): one PRF per SYN.
 */
static uint64_t
cookie_hash(const struct ss_tcp_cookie_secret *secret, const struct ss_tcp_key *k,
		uint32_t peer_isn, uint32_t t)
{
	uint8_t buf[sizeof(*k) + 8];
	size_t n;

	/* IPv4 tuples hash their 12 bytes, not the 36 of the mapped form: half the rounds. */
	if (ss_ip6_is_v4mapped(k->raddr) && ss_ip6_is_v4mapped(k->laddr)) {
		memcpy(buf, k->raddr + 12, 4);
		memcpy(buf + 4, k->laddr + 12, 4);
		n = 8;
	} else {
		memcpy(buf, k->raddr, 32);
		n = 32;
	}
	memcpy(buf + n, &k->rport, 2);
	memcpy(buf + n + 2, &k->lport, 2);
	memcpy(buf + n + 4, &peer_isn, 4);
	memcpy(buf + n + 8, &t, 4);
	if (secret->aes)
		return ss_aes_cmac64(&secret->cmac, buf, n + 12);
	return ss_siphash(&secret->sip, buf, n + 12);
}

uint32_t
ss_tcp_cookie_make(const struct ss_tcp_cookie_secret *secret, const struct ss_tcp_key *k,
		uint32_t peer_isn, uint64_t now_sec, uint16_t mss, uint8_t wscale, bool sack)
{
	uint32_t t = (uint32_t)(now_sec >> COOKIE_PERIOD_SHIFT);
	uint64_t h = cookie_hash(secret, k, peer_isn, t);
	uint32_t body = (t & COOKIE_T_MASK) << 27 | mss_index(mss) << 24 |
			(uint32_t)(wscale & 0xf) << 20 | (uint32_t)sack << 19 |
			((uint32_t)(h >> 32) & COOKIE_HASH_MASK);

	return (uint32_t)h + body;
}

bool
ss_tcp_cookie_check(const struct ss_tcp_cookie_secret *secret, const struct ss_tcp_key *k,
		uint32_t peer_isn, uint32_t cookie, uint64_t now_sec, uint16_t *mss,
		uint8_t *wscale, bool *sack)
{
	uint32_t now_t = (uint32_t)(now_sec >> COOKIE_PERIOD_SHIFT), t, v;
	unsigned int back;
	uint64_t h;

	/* This period or the one before: the full t is known from its low bits. */
	for (back = 0; back < 2; back++) {
		t = now_t - back;
		h = cookie_hash(secret, k, peer_isn, t);
		v = cookie - (uint32_t)h;
		if ((v >> 27) != (t & COOKIE_T_MASK) ||
				(v & COOKIE_HASH_MASK) != ((uint32_t)(h >> 32) & COOKIE_HASH_MASK))
			continue;
		*mss = cookie_mss[(v >> 24) & 7];
		*wscale = (v >> 20) & 0xf;
		*sack = (v >> 19) & 1;
		return true;
	}
	return false;
}
