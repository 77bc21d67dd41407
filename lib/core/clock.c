/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "cksum.h"
#include "clock.h"
#include "daytime.h"
#include "timeproto.h"

/* Unix time of 1 January of year y, 00:00:00 UTC (proleptic Gregorian). */
static int64_t
year_start(uint32_t y)
{
	int64_t days = 0;
	uint32_t i;

	for (i = 1970; i < y; i++)
		days += (i % 4 == 0 && (i % 100 != 0 || i % 400 == 0)) ? 366 : 365;
	return days * 86400;
}

void
ss_clock_init(struct ss_clock *c, const struct ss_daytime_cfg *cfg, uint32_t min_year, uint64_t hz)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->check_cycles = hz / 1000;
	c->min_valid_sec = year_start(min_year);
	c->sec = -1;
	ss_clock_refresh(c, 0);
}

void
ss_clock_reconfigure(struct ss_clock *c, const struct ss_daytime_cfg *cfg, uint32_t min_year)
{
	c->cfg = cfg;
	c->min_valid_sec = year_start(min_year);
	/* This second's answers again, in the new format: not a second of the old one. */
	if (c->sec >= 0)
		ss_clock_set(c, c->sec);
}

void
ss_clock_set(struct ss_clock *c, int64_t sec)
{
	size_t len;

	c->sec = sec;
	c->valid = sec >= c->min_valid_sec;
	ss_time_encode(sec, c->time_be);
	len = ss_daytime_format(c->cfg, sec, c->daytime, sizeof(c->daytime));
	c->daytime_len = len;
	c->daytime_sum = ss_cksum_add(c->daytime, len, 0);
	/* A format that yields nothing is as good as no clock. */
	if (len == 0)
		c->valid = false;
}

void
ss_clock_refresh(struct ss_clock *c, uint64_t now_tsc)
{
	struct timespec ts;

	c->next_tsc = now_tsc + c->check_cycles;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != c->sec)
		ss_clock_set(c, ts.tv_sec);
}
