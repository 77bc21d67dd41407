/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_DAYTIME_H
#define SS_DAYTIME_H

/* RFC 867 daytime: one line of printable ASCII ending CR LF. */

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"

/* Choose a named style: bsd, cisco, xinetd, rfc867 or custom. */
int ss_daytime_set_style(struct ss_daytime_cfg *cfg, const char *name, char *err, size_t errlen);

/* Check and store a time zone: "UTC", a zoneinfo name or a POSIX TZ string. */
int ss_daytime_set_timezone(struct ss_daytime_cfg *cfg, const char *tz, char *err, size_t errlen);

/* Make the configured time zone the process's (TZ, tzset). */
void ss_daytime_apply_timezone(const struct ss_daytime_cfg *cfg);

/* Check that the pattern yields a non-empty printable line. */
int ss_daytime_check(const struct ss_daytime_cfg *cfg, char *err, size_t errlen);

/*
 * Format Unix time sec in the process's time zone, CR LF appended. Returns
 * the length, or 0 when the result is empty, not printable or too long.
 */
size_t ss_daytime_format(const struct ss_daytime_cfg *cfg, int64_t sec, char *buf, size_t len);

/* TCP: length of the line for Unix time t0, and bytes of it. */
uint32_t ss_daytime_line_len(const struct ss_clock *clock, uint32_t t0);
void ss_daytime_line_fill(const struct ss_clock *clock, uint32_t t0, uint64_t off, uint8_t *dst,
		uint32_t len);

/* UDP reply: the cached line. Returns the length, or -(verdict). */
int ss_daytime_udp(const struct ss_clock *clock, uint8_t *out, uint16_t room);

#endif /* SS_DAYTIME_H */
