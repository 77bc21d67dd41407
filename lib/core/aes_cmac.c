/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AES-128-CMAC (aes_cmac.h says why and where): the AES-NI instructions
 * through their intrinsics, compiled for them function by function, so that
 * the rest of the build still runs on a CPU without them.
 */
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>

#include "aes_cmac.h"

#ifdef RTE_ARCH_X86_64

#include <immintrin.h>

#include <rte_cpuflags.h>

#define AES_TARGET __attribute__((target("aes,sse2")))

bool
ss_aes_cmac_available(void)
{
	return rte_cpu_get_flag_enabled(RTE_CPUFLAG_AES) > 0;
}

static AES_TARGET __m128i
load_block(const uint8_t *b)
{
	return _mm_loadu_si128((const __m128i *)b);
}

/* One step of AES-128's key schedule (FIPS 197 5.2), assist from AESKEYGENASSIST. */
static AES_TARGET __m128i
expand_step(__m128i key, __m128i assist)
{
	assist = _mm_shuffle_epi32(assist, 0xff);
	key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
	key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
	key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
	return _mm_xor_si128(key, assist);
}

static AES_TARGET __rte_always_inline __m128i
encrypt(const struct ss_aes_cmac_key *key, __m128i b)
{
	unsigned int i;

	b = _mm_xor_si128(b, _mm_load_si128((const __m128i *)key->rk[0]));
	for (i = 1; i < 10; i++)
		b = _mm_aesenc_si128(b, _mm_load_si128((const __m128i *)key->rk[i]));
	return _mm_aesenclast_si128(b, _mm_load_si128((const __m128i *)key->rk[10]));
}

/* Doubling in GF(2^128) as SP 800-38B 6.1 makes the subkeys: a shift, and 0x87 on carry. */
static void
subkey_double(const uint8_t in[SS_AES_BLOCK], uint8_t out[SS_AES_BLOCK])
{
	uint8_t carry = in[0] >> 7;
	unsigned int i;

	for (i = 0; i < SS_AES_BLOCK - 1; i++)
		out[i] = (uint8_t)(in[i] << 1 | in[i + 1] >> 7);
	out[SS_AES_BLOCK - 1] = (uint8_t)(in[SS_AES_BLOCK - 1] << 1) ^ (carry ? 0x87 : 0);
}

AES_TARGET void
ss_aes_cmac_init(struct ss_aes_cmac_key *key, const uint8_t k[SS_AES_BLOCK])
{
	__m128i rk[11];
	uint8_t l[SS_AES_BLOCK];
	unsigned int i;

	rk[0] = load_block(k);
	/* The round constants must be immediates: one line each. */
	rk[1] = expand_step(rk[0], _mm_aeskeygenassist_si128(rk[0], 0x01));
	rk[2] = expand_step(rk[1], _mm_aeskeygenassist_si128(rk[1], 0x02));
	rk[3] = expand_step(rk[2], _mm_aeskeygenassist_si128(rk[2], 0x04));
	rk[4] = expand_step(rk[3], _mm_aeskeygenassist_si128(rk[3], 0x08));
	rk[5] = expand_step(rk[4], _mm_aeskeygenassist_si128(rk[4], 0x10));
	rk[6] = expand_step(rk[5], _mm_aeskeygenassist_si128(rk[5], 0x20));
	rk[7] = expand_step(rk[6], _mm_aeskeygenassist_si128(rk[6], 0x40));
	rk[8] = expand_step(rk[7], _mm_aeskeygenassist_si128(rk[7], 0x80));
	rk[9] = expand_step(rk[8], _mm_aeskeygenassist_si128(rk[8], 0x1b));
	rk[10] = expand_step(rk[9], _mm_aeskeygenassist_si128(rk[9], 0x36));
	for (i = 0; i < 11; i++)
		_mm_store_si128((__m128i *)key->rk[i], rk[i]);
	/* L = AES(K, 0); K1 = 2L, K2 = 4L. */
	_mm_storeu_si128((__m128i *)l, encrypt(key, _mm_setzero_si128()));
	subkey_double(l, key->k1);
	subkey_double(key->k1, key->k2);
	explicit_bzero(l, sizeof(l));
	explicit_bzero(rk, sizeof(rk));
}

/* CMAC's chain over len bytes: the last block, whole, with K1; else padded 10* with K2. */
static AES_TARGET __rte_always_inline __m128i
cmac_chain(const struct ss_aes_cmac_key *key, const uint8_t *p, size_t len)
{
	size_t rest = len % SS_AES_BLOCK, before, off;
	uint8_t pad[SS_AES_BLOCK] = { 0 };
	__m128i x = _mm_setzero_si128(), last;

	if (len > 0 && rest == 0) {
		before = len - SS_AES_BLOCK;
		last = _mm_xor_si128(load_block(p + before),
				_mm_load_si128((const __m128i *)key->k1));
	} else {
		before = len - rest;
		memcpy(pad, p + before, rest);
		pad[rest] = 0x80;
		last = _mm_xor_si128(load_block(pad), _mm_load_si128((const __m128i *)key->k2));
	}
	for (off = 0; off < before; off += SS_AES_BLOCK)
		x = encrypt(key, _mm_xor_si128(x, load_block(p + off)));
	return encrypt(key, _mm_xor_si128(x, last));
}

AES_TARGET void
ss_aes_cmac(const struct ss_aes_cmac_key *key, const void *msg, size_t len,
		uint8_t tag[SS_AES_BLOCK])
{
	_mm_storeu_si128((__m128i *)tag, cmac_chain(key, msg, len));
}

AES_TARGET uint64_t
ss_aes_cmac64(const struct ss_aes_cmac_key *key, const void *msg, size_t len)
{
	return (uint64_t)_mm_cvtsi128_si64(cmac_chain(key, msg, len));
}

#else /* !RTE_ARCH_X86_64 */

bool
ss_aes_cmac_available(void)
{
	return false;
}

void
ss_aes_cmac_init(struct ss_aes_cmac_key *key, const uint8_t k[SS_AES_BLOCK])
{
	RTE_SET_USED(key);
	RTE_SET_USED(k);
	rte_panic("AES-CMAC without AES instructions\n");
}

void
ss_aes_cmac(const struct ss_aes_cmac_key *key, const void *msg, size_t len,
		uint8_t tag[SS_AES_BLOCK])
{
	RTE_SET_USED(key);
	RTE_SET_USED(msg);
	RTE_SET_USED(len);
	RTE_SET_USED(tag);
	rte_panic("AES-CMAC without AES instructions\n");
}

uint64_t
ss_aes_cmac64(const struct ss_aes_cmac_key *key, const void *msg, size_t len)
{
	RTE_SET_USED(key);
	RTE_SET_USED(msg);
	RTE_SET_USED(len);
	rte_panic("AES-CMAC without AES instructions\n");
}

#endif
