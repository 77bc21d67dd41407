/* SPDX-License-Identifier: BSD-3-Clause */
#include "discard.h"
#include "stats.h"

int
ss_discard_udp(const uint8_t *req, uint16_t len)
{
	(void)req;
	(void)len;
	return -SS_DROP_UDP_DISCARD;
}
