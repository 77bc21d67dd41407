/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "stats.h"
#include "timeproto.h"

void
ss_time_encode(int64_t unix_sec, uint8_t out[4])
{
	uint32_t v = ss_time_value(unix_sec);

	out[0] = v >> 24;
	out[1] = v >> 16;
	out[2] = v >> 8;
	out[3] = v;
}

int
ss_time_udp(const struct ss_clock *clock, uint8_t *out, uint16_t room)
{
	/* RFC 868: a server that does not know the time stays silent. */
	if (!clock->valid)
		return -SS_DROP_CLOCK_UNSET;
	if (room < 4)
		return -SS_DROP_REPLY_TOO_BIG;
	memcpy(out, clock->time_be, 4);
	return 4;
}
