/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_AES_CMAC_H
#define SS_AES_CMAC_H

/*
 * AES-128-CMAC (NIST SP 800-38B, RFC 4493) on the CPU's AES instructions:
 * the keyed PRF the SYN cookies use where the CPU has them (tcp_cookie.c).
 * A cookie's input is 20 bytes (IPv4) or 44 (IPv6): two or three AES
 * blocks, some 40 or 60 instructions, where SipHash-2-4 takes 190 or 290.
 *
 * Why it is safe: CMAC is a PRF on messages of any length as long as AES
 * is a pseudo-random permutation (Iwata and Kurosawa, "OMAC: One-Key CBC
 * MAC", FSE 2003, the proof SP 800-38B relies on), with an advantage for q
 * queries of total length sigma blocks of about sigma^2 / 2^128: a flood of
 * 2^40 SYNs leaves it below 2^-40. A forged cookie is then a guess of the
 * MAC bits it carries, as with SipHash.
 *
 * No AES instructions (or not x86-64): ss_aes_cmac_available() says false and
 * the caller keeps to SipHash.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#define SS_AES_BLOCK 16

/* The expanded key: AES-128's eleven round keys and CMAC's two subkeys. */
struct ss_aes_cmac_key {
	uint8_t rk[11][SS_AES_BLOCK] __rte_aligned(16);
	uint8_t k1[SS_AES_BLOCK] __rte_aligned(16);
	uint8_t k2[SS_AES_BLOCK] __rte_aligned(16);
};

/* Does this CPU have the AES instructions (and this build the code for them)? */
bool ss_aes_cmac_available(void);

/* Expand the 16-byte key. Only where ss_aes_cmac_available(). */
void ss_aes_cmac_init(struct ss_aes_cmac_key *key, const uint8_t k[SS_AES_BLOCK]);

/* The 16-byte tag of len bytes at msg. Only where ss_aes_cmac_available(). */
void ss_aes_cmac(const struct ss_aes_cmac_key *key, const void *msg, size_t len,
		uint8_t tag[SS_AES_BLOCK]);

/* Its first 8 bytes, as a little-endian number: what a cookie takes. */
uint64_t ss_aes_cmac64(const struct ss_aes_cmac_key *key, const void *msg, size_t len);

#endif /* SS_AES_CMAC_H */
