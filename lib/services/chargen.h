/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CHARGEN_H
#define SS_CHARGEN_H

/*
 * RFC 864 character generator. The stream is 72-character lines of the
 * 95 printable ASCII characters taken as a ring, line N starting at
 * character N, each line ending CR LF. The byte at stream offset k is a
 * pure function of k, so TCP can regenerate any part of the stream from a
 * sequence number and needs no send buffer.
 */

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define SS_CHARGEN_LINE 74                                    /* 72 characters + CR LF */
#define SS_CHARGEN_RING 95                                    /* printable ASCII, 0x20..0x7e */
#define SS_CHARGEN_PERIOD (SS_CHARGEN_LINE * SS_CHARGEN_RING) /* 7030 bytes */
#define SS_CHARGEN_UDP_MAX 512                                /* never more per datagram */

/* Byte at stream offset k. */
uint8_t ss_chargen_byte(uint64_t k);

/*
 * The stream laid out twice in a row: any window of up to one period that
 * starts at offset k is at ss_chargen_pattern() + k % SS_CHARGEN_PERIOD.
 */
const uint8_t *ss_chargen_pattern(void);

/* Copy len bytes of the stream starting at offset k into dst. */
void ss_chargen_fill(uint8_t *dst, uint64_t k, size_t len);

/*
 * The one's complement sum (unfolded, as ss_cksum_add() keeps it) of len
 * bytes of the stream from offset k, laid out from an even offset of the
 * packet: from prefix sums, so a TCP segment's payload costs no summing.
 * len is at most SS_CHARGEN_SUM_MAX.
 */
#define SS_CHARGEN_SUM_MAX (2 * SS_CHARGEN_PERIOD)
uint64_t ss_chargen_sum(uint64_t k, uint32_t len);

/*
 * UDP reply. Line mode: one whole line, *line advances so the ring goes on
 * from datagram to datagram. Random mode: 0..512 characters of the stream.
 * Returns the length, or -(verdict).
 */
int ss_chargen_udp(enum ss_chargen_udp_mode mode, uint64_t *line, uint8_t *out, uint16_t room);

/*
 * The sum (as ss_chargen_sum()) of the len bytes that ss_chargen_udp() has
 * just written, line being *line after that call.
 */
uint64_t ss_chargen_line_sum(uint64_t line, uint16_t len);

#endif /* SS_CHARGEN_H */
