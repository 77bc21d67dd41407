/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_COOKIE_H
#define SS_TCP_COOKIE_H

/*
 * SYN cookies: the initial sequence number of every SYN-ACK encodes what
 * the connection needs from the SYN (the peer's MSS and window scale) and
 * a keyed hash of the 4-tuple, the peer's ISN and a coarse clock, so that
 * the final ACK of the handshake can be checked without any state kept
 * (and whether it permitted SACK). Those option bits are under the keyed
 * offset, not the MAC: the holder of a valid cookie could change its own
 * options, as with Linux's cookies, and nothing else.
 * All our ISNs are cookies, with or without a SYN-table entry behind them,
 * and all are unpredictable (RFC 6528): the value is offset by a keyed
 * hash of the 4-tuple, the peer's ISN and the time.
 *
 *   H = PRF(tuple, peer ISN, t), 64 bits: H1 its low half, H2 its high half
 *   cookie = H1 + (t << 27 | mss_index << 24 | wscale << 20 | sack << 19 |
 *                  H2 & 0x7ffff)
 *   t = (Unix seconds / 64) mod 32: a cookie is good for 64 to 128 seconds.
 *
 * The PRF is AES-128-CMAC where the CPU has AES instructions (aes_cmac.h:
 * a PRF by proof as long as AES is a pseudo-random permutation; two or
 * three AES blocks, some 150 instructions a SYN fewer than SipHash), and
 * SipHash-2-4 where it has not (a PRF by its designers' analysis). Either
 * way a forged cookie must guess the 19 bits of H2 it carries, and a
 * cookie tells nothing of the key.
 */

#include <stdbool.h>
#include <stdint.h>

#include "aes_cmac.h"
#include "siphash.h"
#include "tcp_conn.h"

#define SS_TCP_COOKIE_NO_WSCALE 15
#define SS_TCP_COOKIE_KEY_LEN 16

/* The secret: one 16-byte key, for the PRF this CPU runs. */
struct ss_tcp_cookie_secret {
	struct ss_aes_cmac_key cmac; /* where aes */
	struct ss_siphash_key sip;   /* where not */
	bool aes;
	bool set;
};

/* The secret: random (secret.h), chosen once per process. -1 if none could be drawn. */
int ss_tcp_cookie_init(struct ss_tcp_cookie_secret *secret);

/*
 * The secret from the given key (tests and fuzzers, for cookies they can
 * predict); AES-CMAC when use_aes and the CPU has AES, else SipHash.
 */
void ss_tcp_cookie_secret_set(struct ss_tcp_cookie_secret *secret,
		const uint8_t key[SS_TCP_COOKIE_KEY_LEN], bool use_aes);

/* The MSS a cookie can carry that is the largest not above mss. */
uint16_t ss_tcp_cookie_mss(uint16_t mss);

uint32_t ss_tcp_cookie_make(const struct ss_tcp_cookie_secret *secret, const struct ss_tcp_key *k,
		uint32_t peer_isn, uint64_t now_sec, uint16_t mss, uint8_t wscale, bool sack);

/*
 * Check the cookie the final ACK acknowledges (its ACK number minus one).
 * On success returns true with the MSS, window scale (or
 * SS_TCP_COOKIE_NO_WSCALE) and SACK permission the SYN carried.
 */
bool ss_tcp_cookie_check(const struct ss_tcp_cookie_secret *secret, const struct ss_tcp_key *k,
		uint32_t peer_isn, uint32_t cookie, uint64_t now_sec, uint16_t *mss,
		uint8_t *wscale, bool *sack);

#endif /* SS_TCP_COOKIE_H */
