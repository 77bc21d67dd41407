/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_common.h>
#include <rte_random.h>

#include "chargen.h"
#include "stats.h"
#include "config.h"
#include "service.h"

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
ss_chargen_line_sum(uint64_t line, uint16_t len)
{
	return ss_chargen_sum(((line - 1) % SS_CHARGEN_RING) * SS_CHARGEN_LINE, len);
}

/*
 * The service's entry points (service.h). UDP: a line of the ring a
 * datagram (or 0..512 random characters). TCP: the endless stream from
 * line 0, regenerated at any offset; both checksummed from prefix sums.
 */
int
ss_chargen_udp_reply(struct ss_svc_state *st, const uint8_t *req, uint16_t req_len, uint8_t *out,
		uint16_t room)
{
	(void)req;
	(void)req_len;
	return ss_chargen_udp(st->cfg->chargen_udp_mode, &st->chargen_line, out, room);
}

bool
ss_chargen_udp_sum(const struct ss_svc_state *st, uint16_t len, uint64_t *sum)
{
	*sum = ss_chargen_line_sum(st->chargen_line, len);
	return true;
}

uint32_t
ss_chargen_udp_reply_max(const struct ss_svc_state *st, uint16_t req_len)
{
	(void)req_len;
	return st->cfg->chargen_udp_mode == SS_CHARGEN_UDP_LINE ? SS_CHARGEN_LINE :
								  SS_CHARGEN_UDP_MAX;
}

uint32_t
ss_chargen_tcp_open(struct ss_svc_state *st, int64_t now_sec, bool *silent)
{
	(void)st;
	(void)now_sec;
	(void)silent;
	return 0;
}

uint64_t
ss_chargen_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	(void)st;
	(void)c;
	return SS_SVC_STREAM_ENDLESS;
}

void
ss_chargen_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len)
{
	(void)st;
	(void)c;
	ss_chargen_fill(dst, off, len);
}

bool
ss_chargen_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	(void)c;
	if (len > SS_CHARGEN_SUM_MAX)
		return false;
	*sum = ss_chargen_sum(off, len);
	return true;
}
