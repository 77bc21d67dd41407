/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aes_cmac.c: AES-128-CMAC against RFC 4493's examples (section 4: the
 * subkeys of the key 2b7e1516..., the tags of the empty message and of 16,
 * 40 and 64 bytes of the test message), the 64-bit tag as its first eight
 * bytes, and every bit of the key and the message mattering. On a CPU
 * without AES instructions the tests say they were skipped.
 */
#include "harness.h"

#include <string.h>

#include "aes_cmac.h"

static const uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15,
	0x88, 0x09, 0xcf, 0x4f, 0x3c };

static const uint8_t msg[64] = {
	0x6b,
	0xc1,
	0xbe,
	0xe2,
	0x2e,
	0x40,
	0x9f,
	0x96,
	0xe9,
	0x3d,
	0x7e,
	0x11,
	0x73,
	0x93,
	0x17,
	0x2a,
	0xae,
	0x2d,
	0x8a,
	0x57,
	0x1e,
	0x03,
	0xac,
	0x9c,
	0x9e,
	0xb7,
	0x6f,
	0xac,
	0x45,
	0xaf,
	0x8e,
	0x51,
	0x30,
	0xc8,
	0x1c,
	0x46,
	0xa3,
	0x5c,
	0xe4,
	0x11,
	0xe5,
	0xfb,
	0xc1,
	0x19,
	0x1a,
	0x0a,
	0x52,
	0xef,
	0xf6,
	0x9f,
	0x24,
	0x45,
	0xdf,
	0x4f,
	0x9b,
	0x17,
	0xad,
	0x2b,
	0x41,
	0x7b,
	0xe6,
	0x6c,
	0x37,
	0x10,
};

static const struct {
	size_t len;
	uint8_t tag[16];
} examples[] = {
	{ 0,
			{ 0xbb, 0x1d, 0x69, 0x29, 0xe9, 0x59, 0x37, 0x28, 0x7f, 0xa3, 0x7d, 0x12,
					0x9b, 0x75, 0x67, 0x46 } },
	{ 16,
			{ 0x07, 0x0a, 0x16, 0xb4, 0x6b, 0x4d, 0x41, 0x44, 0xf7, 0x9b, 0xdd, 0x9d,
					0xd0, 0x4a, 0x28, 0x7c } },
	{ 40,
			{ 0xdf, 0xa6, 0x67, 0x47, 0xde, 0x9a, 0xe6, 0x30, 0x30, 0xca, 0x32, 0x61,
					0x14, 0x97, 0xc8, 0x27 } },
	{ 64,
			{ 0x51, 0xf0, 0xbe, 0xbf, 0x7e, 0x3b, 0x9d, 0x92, 0xfc, 0x49, 0x74, 0x17,
					0x79, 0x36, 0x3c, 0xfe } },
};

static void
need_aes(void)
{
	if (!ss_aes_cmac_available())
		skip();
}

static void
test_rfc4493(void **state)
{
	static const uint8_t k1[16] = { 0xfb, 0xee, 0xd6, 0x18, 0x35, 0x71, 0x33, 0x66, 0x7c, 0x85,
		0xe0, 0x8f, 0x72, 0x36, 0xa8, 0xde };
	static const uint8_t k2[16] = { 0xf7, 0xdd, 0xac, 0x30, 0x6a, 0xe2, 0x66, 0xcc, 0xf9, 0x0b,
		0xc1, 0x1e, 0xe4, 0x6d, 0x51, 0x3b };
	struct ss_aes_cmac_key k;
	uint8_t tag[16];
	uint64_t first;
	unsigned int i;

	(void)state;
	need_aes();
	ss_aes_cmac_init(&k, key);
	assert_memory_equal(k.k1, k1, 16);
	assert_memory_equal(k.k2, k2, 16);
	for (i = 0; i < RTE_DIM(examples); i++) {
		ss_aes_cmac(&k, msg, examples[i].len, tag);
		assert_memory_equal(tag, examples[i].tag, 16);
		memcpy(&first, examples[i].tag, 8);
		assert_int_equal(ss_aes_cmac64(&k, msg, examples[i].len), rte_le_to_cpu_64(first));
	}
}

/* What a cookie hashes, 20 and 44 bytes: each bit of the message and of the key changes the tag. */
static void
test_every_bit(void **state)
{
	static const size_t lens[] = { 20, 44 };
	struct ss_aes_cmac_key k, k2;
	uint8_t m[44], key2[16];
	unsigned int i, bit;
	uint64_t t;

	(void)state;
	need_aes();
	ss_aes_cmac_init(&k, key);
	for (i = 0; i < RTE_DIM(lens); i++) {
		memcpy(m, msg, lens[i]);
		t = ss_aes_cmac64(&k, m, lens[i]);
		for (bit = 0; bit < lens[i] * 8; bit++) {
			m[bit / 8] ^= 1u << (bit % 8);
			assert_int_not_equal(ss_aes_cmac64(&k, m, lens[i]), t);
			m[bit / 8] ^= 1u << (bit % 8);
		}
		for (bit = 0; bit < 128; bit++) {
			memcpy(key2, key, 16);
			key2[bit / 8] ^= 1u << (bit % 8);
			ss_aes_cmac_init(&k2, key2);
			assert_int_not_equal(ss_aes_cmac64(&k2, m, lens[i]), t);
		}
		/* A message one byte longer (its zero padding written out) is another. */
		m[lens[i] - 1] = 0x80;
		assert_int_not_equal(ss_aes_cmac64(&k, m, lens[i] - 1),
				ss_aes_cmac64(&k, m, lens[i]));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4493),
		cmocka_unit_test(test_every_bit),
	};

	return cmocka_run_group_tests_name("aes_cmac", tests, NULL, NULL);
}
