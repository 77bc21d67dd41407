/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TIMEPROTO_H
#define SS_TIMEPROTO_H

/* RFC 868 time: 4 bytes, seconds since 1900-01-01 00:00 UTC, modulo 2^32. */

#include <stdint.h>

#include "clock.h"

#define SS_TIME_EPOCH_OFFSET UINT32_C(2208988800) /* 1900-01-01 to 1970-01-01 */

/* The 32-bit RFC 868 value of a Unix time (wraps on 2036-02-07T06:28:16Z). */
static inline uint32_t
ss_time_value(int64_t unix_sec)
{
	return (uint32_t)((uint64_t)unix_sec + SS_TIME_EPOCH_OFFSET);
}

/* The value as it goes on the wire: big-endian, never more than 4 bytes. */
void ss_time_encode(int64_t unix_sec, uint8_t out[4]);

/* UDP reply: the 4 bytes. Returns the length, or -(verdict) if none is due. */
int ss_time_udp(const struct ss_clock *clock, uint8_t *out, uint16_t room);

#endif /* SS_TIMEPROTO_H */
