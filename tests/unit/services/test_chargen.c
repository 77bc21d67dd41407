/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 864 chargen: the byte formula (docs/protocols.md, "chargen (RFC 864)"), the pattern table,
 * windows of the stream at any offset, and the two UDP modes.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "chargen.h"
#include "cksum.h"
#include "stats.h"

/* The formula of docs/protocols.md, written out again independently of lib/services/chargen.c. */
static uint8_t
ref_byte(uint64_t k)
{
	uint64_t line = (k / 74) % 95;
	uint64_t col = k % 74;

	if (col == 72)
		return '\r';
	if (col == 73)
		return '\n';
	return 0x20 + (line + col) % 95;
}

static const char line0[] =
		" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n";
static const char line1[] =
		"!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh\r\n";
/* Line 94 starts at '~' and wraps to the start of the ring after one character. */
static const char line94[] =
		"~ !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdef\r\n";

static void
test_constants(void **state)
{
	(void)state;
	assert_int_equal(SS_CHARGEN_LINE, 74);
	assert_int_equal(SS_CHARGEN_RING, 95);
	assert_int_equal(SS_CHARGEN_PERIOD, 7030);
	assert_int_equal(SS_CHARGEN_UDP_MAX, 512);
	assert_int_equal(sizeof(line0) - 1, 74);
	assert_int_equal(sizeof(line94) - 1, 74);
}

static void
check_line(uint64_t k, const char *expect)
{
	unsigned int i;

	for (i = 0; i < 74; i++)
		if (ss_chargen_byte(k + i) != (uint8_t)expect[i])
			fail_msg("byte %llu: 0x%02x, expected 0x%02x", (unsigned long long)(k + i),
					ss_chargen_byte(k + i), (uint8_t)expect[i]);
}

static void
test_known_lines(void **state)
{
	(void)state;
	check_line(0, line0);
	check_line(74, line1);
	check_line(94 * 74, line94);
	/* After 95 lines the ring starts again at space. */
	check_line(95 * 74, line0);
	check_line(96 * 74, line1);
	check_line(1000 * SS_CHARGEN_PERIOD, line0);
	assert_int_equal(ss_chargen_byte(0), ' ');
	assert_int_equal(ss_chargen_byte(71), 'g');
	assert_int_equal(ss_chargen_byte(72), '\r');
	assert_int_equal(ss_chargen_byte(73), '\n');
	assert_int_equal(ss_chargen_byte(74), '!');
}

static void
test_formula_many_offsets(void **state)
{
	static const uint64_t bases[] = {
		0,
		7030,
		123456789,
		UINT64_C(1) << 32,
		(UINT64_C(1) << 40) + 12345,
		UINT64_MAX - 3 * 7030,
	};
	unsigned int b;
	uint64_t k;

	(void)state;
	for (b = 0; b < RTE_DIM(bases); b++) {
		for (k = bases[b]; k < bases[b] + 3 * SS_CHARGEN_PERIOD; k++) {
			uint8_t c = ss_chargen_byte(k);

			if (c != ref_byte(k))
				fail_msg("byte %llu: 0x%02x, expected 0x%02x",
						(unsigned long long)k, c, ref_byte(k));
			if (k % 74 < 72 && (c < 0x20 || c > 0x7e))
				fail_msg("byte %llu is not printable", (unsigned long long)k);
		}
	}
}

static void
test_period(void **state)
{
	unsigned int p;
	uint64_t k;

	(void)state;
	for (k = 0; k < 2 * SS_CHARGEN_PERIOD; k++)
		assert_int_equal(ss_chargen_byte(k), ss_chargen_byte(k + SS_CHARGEN_PERIOD));
	/* And no shorter shift repeats the stream: 7030 is the period. */
	for (p = 1; p < SS_CHARGEN_PERIOD; p++) {
		for (k = 0; k < SS_CHARGEN_PERIOD; k++)
			if (ss_chargen_byte(k) != ss_chargen_byte(k + p))
				break;
		if (k == SS_CHARGEN_PERIOD)
			fail_msg("the stream repeats after %u bytes", p);
	}
}

static void
test_pattern_table(void **state)
{
	const uint8_t *pat = ss_chargen_pattern();
	unsigned int k;

	(void)state;
	assert_non_null(pat);
	for (k = 0; k < 2 * SS_CHARGEN_PERIOD; k++)
		if (pat[k] != ref_byte(k))
			fail_msg("pattern[%u] = 0x%02x, expected 0x%02x", k, pat[k], ref_byte(k));
}

static void
test_fill(void **state)
{
	static const uint64_t starts[] = {
		0,
		1,
		71,
		72,
		73,
		74,
		7029,
		7030,
		7031,
		6999,
		1000000007,
		(UINT64_C(1) << 40) + 3,
		UINT64_MAX - 50000,
	};
	static const size_t lens[] = { 0, 1, 2, 74, 75, 512, 7029, 7030, 7031, 14060, 3 * 7030 + 17,
		30000 };
	const size_t guard = 16;
	uint8_t *buf = malloc(30000 + guard);
	unsigned int s, l;
	size_t i;

	(void)state;
	assert_non_null(buf);
	for (s = 0; s < RTE_DIM(starts); s++) {
		for (l = 0; l < RTE_DIM(lens); l++) {
			memset(buf, 0xa5, lens[l] + guard);
			ss_chargen_fill(buf, starts[s], lens[l]);
			for (i = 0; i < lens[l]; i++)
				if (buf[i] != ref_byte(starts[s] + i))
					fail_msg("fill(%llu, %zu): byte %zu wrong",
							(unsigned long long)starts[s], lens[l], i);
			for (i = lens[l]; i < lens[l] + guard; i++)
				if (buf[i] != 0xa5)
					fail_msg("fill(%llu, %zu) wrote past its end",
							(unsigned long long)starts[s], lens[l]);
		}
	}
	free(buf);
}

static void
test_udp_line_mode(void **state)
{
	uint8_t out[600];
	uint64_t line = 0;
	unsigned int i;
	int n;

	(void)state;
	for (i = 0; i < 3 * 95 + 7; i++) {
		memset(out, 0, sizeof(out));
		n = ss_chargen_udp(SS_CHARGEN_UDP_LINE, &line, out, sizeof(out));
		assert_int_equal(n, 74);
		assert_int_equal(line, i + 1);
		/* Datagram i carries line i of the ring, whole. */
		for (unsigned int j = 0; j < 74; j++)
			if (out[j] != ref_byte((uint64_t)(i % 95) * 74 + j))
				fail_msg("datagram %u byte %u wrong", i, j);
		assert_int_equal(out[74], 0); /* nothing past the line */
		if (i % 95 == 0)
			assert_memory_equal(out, line0, 74);
		else if (i % 95 == 1)
			assert_memory_equal(out, line1, 74);
		else if (i % 95 == 94)
			assert_memory_equal(out, line94, 74);
	}
}

static void
test_udp_line_mode_large_counter(void **state)
{
	uint8_t out[74];
	uint64_t line = UINT64_C(95) * 1000000 + 1;

	(void)state;
	assert_int_equal(ss_chargen_udp(SS_CHARGEN_UDP_LINE, &line, out, sizeof(out)), 74);
	assert_memory_equal(out, line1, 74);
}

static void
test_udp_line_room(void **state)
{
	uint8_t out[80];
	uint64_t line = 5;

	(void)state;
	memset(out, 0x5a, sizeof(out));
	assert_int_equal(ss_chargen_udp(SS_CHARGEN_UDP_LINE, &line, out, 73),
			-SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(line, 5); /* no datagram, the ring does not advance */
	assert_int_equal(out[0], 0x5a);
	assert_int_equal(ss_chargen_udp(SS_CHARGEN_UDP_LINE, &line, out, 0),
			-SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(ss_chargen_udp(SS_CHARGEN_UDP_LINE, &line, out, 74), 74);
	assert_int_equal(line, 6);
	assert_int_equal(out[0], ref_byte(5 * 74));
}

static void
test_udp_random_mode(void **state)
{
	uint8_t out[SS_CHARGEN_UDP_MAX + 64];
	unsigned int seen[SS_CHARGEN_UDP_MAX + 1] = { 0 };
	unsigned int i, distinct = 0, j;
	uint64_t line = 0;
	int n, min = 1000, max = -1;

	(void)state;
	for (i = 0; i < 4000; i++) {
		memset(out, 0xa5, sizeof(out));
		n = ss_chargen_udp(SS_CHARGEN_UDP_RANDOM, &line, out, sizeof(out));
		assert_true(n >= 0);
		assert_true(n <= SS_CHARGEN_UDP_MAX);
		assert_int_equal(line, i + 1);
		for (j = 0; j < (unsigned int)n; j++)
			if (out[j] != ref_byte((uint64_t)(i % 95) * 74 + j))
				fail_msg("random datagram %u byte %u wrong", i, j);
		for (j = n; j < sizeof(out); j++)
			assert_int_equal(out[j], 0xa5);
		if (seen[n]++ == 0)
			distinct++;
		min = n < min ? n : min;
		max = n > max ? n : max;
	}
	/* 4000 draws from 0..512: the spread must show (each bound fails with p < 1e-80). */
	assert_true(distinct > 300);
	assert_true(min < 50);
	assert_true(max > 462);
}

static void
test_udp_random_room(void **state)
{
	uint8_t out[16];
	uint64_t line = 0;
	unsigned int i, too_big = 0;
	int n;

	(void)state;
	/* With room for 0 bytes only the empty datagram fits. */
	for (i = 0; i < 200; i++) {
		uint64_t before = line;

		n = ss_chargen_udp(SS_CHARGEN_UDP_RANDOM, &line, out, 0);
		if (n == -SS_DROP_REPLY_TOO_BIG) {
			too_big++;
			assert_int_equal(line, before);
		} else {
			assert_int_equal(n, 0);
			assert_int_equal(line, before + 1);
		}
	}
	assert_true(too_big > 150);
}

/* The prefix-sum checksum of any window equals the sum of its bytes. */
static void
test_sum(void **state)
{
	static const uint64_t offsets[] = { 0, 1, 2, 73, 74, 7029, 7030, 7031, 123456789,
		(1ull << 32) + 5, UINT64_MAX - 20000 };
	static const uint32_t lens[] = { 0, 1, 2, 3, 536, 1459, 1460, 7030, 8960,
		SS_CHARGEN_SUM_MAX };
	static uint8_t buf[SS_CHARGEN_SUM_MAX];
	unsigned int i, j;

	(void)state;
	for (i = 0; i < RTE_DIM(offsets); i++) {
		for (j = 0; j < RTE_DIM(lens); j++) {
			uint64_t k = offsets[i];

			ss_chargen_fill(buf, k, lens[j]);
			if (ss_cksum_fold(ss_chargen_sum(k, lens[j])) !=
					ss_cksum_fold(ss_cksum_add(buf, lens[j], 0)))
				fail_msg("offset %llu, %u bytes: sums differ",
						(unsigned long long)k, lens[j]);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_known_lines),
		cmocka_unit_test(test_formula_many_offsets),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_pattern_table),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_udp_line_mode),
		cmocka_unit_test(test_udp_line_mode_large_counter),
		cmocka_unit_test(test_udp_line_room),
		cmocka_unit_test(test_udp_random_mode),
		cmocka_unit_test(test_udp_random_room),
	};

	/* rte_rand() draws the random mode's lengths: give it a proper lcore. */
	test_eal_init();
	return cmocka_run_group_tests_name("chargen", tests, NULL, NULL);
}
