/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_common.h>
#include <rte_random.h>

#include "chargen.h"
#include "stats.h"

/* The stream three periods long: any window of up to two periods from any phase. */
static uint8_t pattern[3 * SS_CHARGEN_PERIOD + 1];

/*
 * prefix[i]: the sum of the 16-bit words pattern[j] | pattern[j + 1] << 8
 * for j = i - 2, i - 4, ... down to i's parity: a window's sum is then the
 * difference of two entries of the same parity.
 */
static uint32_t prefix[3 * SS_CHARGEN_PERIOD + 2];

uint8_t
ss_chargen_byte(uint64_t k)
{
	uint64_t line = (k / SS_CHARGEN_LINE) % SS_CHARGEN_RING;
	uint64_t col = k % SS_CHARGEN_LINE;

	if (col == SS_CHARGEN_LINE - 2)
		return '\r';
	if (col == SS_CHARGEN_LINE - 1)
		return '\n';
	return 0x20 + (line + col) % SS_CHARGEN_RING;
}

/* Built before main(): the table is then read-only and shared by all workers. */
RTE_INIT(chargen_pattern_init)
{
	unsigned int k;

	for (k = 0; k < sizeof(pattern); k++)
		pattern[k] = ss_chargen_byte(k);
	prefix[0] = prefix[1] = 0;
	for (k = 2; k < RTE_DIM(prefix); k++)
		prefix[k] = prefix[k - 2] + (pattern[k - 2] | pattern[k - 1] << 8);
}

uint64_t
ss_chargen_sum(uint64_t k, uint32_t len)
{
	uint32_t start = k % SS_CHARGEN_PERIOD, end = start + (len & ~1u);
	uint64_t sum = prefix[end] - prefix[start];

	/* An odd last byte is the low half of a word of its own (little-endian). */
	if (len & 1)
		sum += pattern[end];
	return sum;
}

const uint8_t *
ss_chargen_pattern(void)
{
	return pattern;
}

void
ss_chargen_fill(uint8_t *dst, uint64_t k, size_t len)
{
	size_t n;

	while (len > 0) {
		n = RTE_MIN(len, (size_t)SS_CHARGEN_PERIOD);
		memcpy(dst, pattern + k % SS_CHARGEN_PERIOD, n);
		dst += n;
		k += n;
		len -= n;
	}
}

int
ss_chargen_udp(enum ss_chargen_udp_mode mode, uint64_t *line, uint8_t *out, uint16_t room)
{
	uint64_t start = (*line % SS_CHARGEN_RING) * SS_CHARGEN_LINE;
	uint16_t len = SS_CHARGEN_LINE;

	if (mode == SS_CHARGEN_UDP_RANDOM)
		len = rte_rand_max(SS_CHARGEN_UDP_MAX + 1);
	if (len > room)
		return -SS_DROP_REPLY_TOO_BIG;
	ss_chargen_fill(out, start, len);
	(*line)++;
	return len;
}

uint64_t
ss_chargen_udp_sum(uint64_t line, uint16_t len)
{
	return ss_chargen_sum(((line - 1) % SS_CHARGEN_RING) * SS_CHARGEN_LINE, len);
}
