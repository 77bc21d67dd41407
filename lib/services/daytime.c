/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>

#include "daytime.h"
#include "stats.h"
#include "clock.h"
#include "service.h"
#include "tcp_conn.h"

static const struct {
	const char *name;
	enum ss_daytime_style style;
	const char *pattern;
	bool upper_case;
} styles[] = {
	/* ctime() without its newline, as BSD inetd sends it. */
	{ "bsd", SS_DAYTIME_BSD, "%a %b %e %H:%M:%S %Y", false },
	{ "cisco", SS_DAYTIME_CISCO, "%A, %B %-d, %Y %H:%M:%S-%Z", false },
	{ "xinetd", SS_DAYTIME_XINETD, "%d %b %Y %H:%M:%S %Z", true },
	{ "rfc867", SS_DAYTIME_RFC867, "%A, %B %-d, %Y %H:%M:%S-%Z", false },
	{ "custom", SS_DAYTIME_CUSTOM, "%Y-%m-%dT%H:%M:%S%z", false },
};

int
ss_daytime_set_style(struct ss_daytime_cfg *cfg, const char *name, char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(styles); i++) {
		if (strcmp(styles[i].name, name) != 0)
			continue;
		cfg->style = styles[i].style;
		strcpy(cfg->pattern, styles[i].pattern);
		cfg->upper_case = styles[i].upper_case;
		return 0;
	}
	snprintf(err, errlen, "must be bsd, cisco, xinetd, rfc867 or custom");
	return -1;
}

/* A POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" or "<+05>-5". */
static bool
is_posix_tz(const char *tz)
{
	static const char *re_src =
			"^([A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)[+-]?[0-9]{1,2}(:[0-9]{2}){0,2}"
			"(([A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)([+-]?[0-9]{1,2}(:[0-9]{2}){0,2})?"
			"(,[JM]?[0-9.]+(/[+-]?[0-9:]+)?,[JM]?[0-9.]+(/[+-]?[0-9:]+)?)?)?$";
	regex_t re;
	bool ok;

	if (regcomp(&re, re_src, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = regexec(&re, tz, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/*
 * A zone file under /usr/share/zoneinfo, such as "Europe/Berlin". Readable
 * is not enough: "Europe" (a directory), "" or "zone.tab" would pass, and
 * glibc then silently runs on UTC under a made-up zone name. Zone files
 * start with the magic "TZif" (RFC 8536).
 */
static bool
is_zoneinfo_name(const char *tz)
{
	char path[SS_TZ_MAX + 32];
	char magic[4];
	bool ok;
	FILE *f;

	if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") != NULL)
		return false;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	f = fopen(path, "r");
	if (f == NULL)
		return false;
	ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
			memcmp(magic, "TZif", sizeof(magic)) == 0;
	fclose(f);
	return ok;
}

int
ss_daytime_set_timezone(struct ss_daytime_cfg *cfg, const char *tz, char *err, size_t errlen)
{
	if (strlen(tz) >= sizeof(cfg->timezone)) {
		snprintf(err, errlen, "too long");
		return -1;
	}
	if (strcmp(tz, "UTC") != 0 && !is_zoneinfo_name(tz) && !is_posix_tz(tz)) {
		snprintf(err, errlen,
				"not a time zone (UTC, a name under /usr/share/zoneinfo, "
				"or a POSIX TZ string such as CET-1CEST)");
		return -1;
	}
	strcpy(cfg->timezone, tz);
	return 0;
}

void
ss_daytime_apply_timezone(const struct ss_daytime_cfg *cfg)
{
	/* glibc takes "UTC" without an offset as UTC, and names it so in %Z. */
	setenv("TZ", cfg->timezone, 1);
	tzset();
}

size_t
ss_daytime_format(const struct ss_daytime_cfg *cfg, int64_t sec, char *buf, size_t len)
{
	time_t t = (time_t)sec;
	struct tm tm;
	size_t n, i;

	if (len < 3 || localtime_r(&t, &tm) == NULL)
		return 0;
	n = strftime(buf, len - 2, cfg->pattern, &tm);
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return 0;
		if (cfg->upper_case)
			buf[i] = toupper((unsigned char)buf[i]);
	}
	buf[n++] = '\r';
	buf[n++] = '\n';
	return n;
}

int
ss_daytime_check(const struct ss_daytime_cfg *cfg, char *err, size_t errlen)
{
	char buf[SS_DAYTIME_MAX];

	/* A date with long names in every field: the widest line the pattern gives. */
	if (ss_daytime_format(cfg, 1790769600 /* Wed 2026-09-30 12:00 UTC */, buf, sizeof(buf)) ==
			0) {
		snprintf(err, errlen, "gives an empty, non-printable or over-long line");
		return -1;
	}
	return 0;
}

int
ss_daytime_udp(const struct ss_clock *clock, uint8_t *out, uint16_t room)
{
	if (!clock->valid)
		return -SS_DROP_CLOCK_UNSET;
	if (room < clock->daytime_len)
		return -SS_DROP_REPLY_TOO_BIG;
	memcpy(out, clock->daytime, clock->daytime_len);
	return clock->daytime_len;
}

/*
 * The line for t0: the clock's cached one when it is that second (always,
 * but for retransmissions a second or more later), else formatted anew.
 */
uint32_t
ss_daytime_line_len(const struct ss_clock *clock, uint32_t t0)
{
	char buf[SS_DAYTIME_MAX];

	if ((int64_t)t0 == clock->sec)
		return clock->daytime_len;
	return ss_daytime_format(clock->cfg, t0, buf, sizeof(buf));
}

void
ss_daytime_line_fill(const struct ss_clock *clock, uint32_t t0, uint64_t off, uint8_t *dst,
		uint32_t len)
{
	char buf[SS_DAYTIME_MAX];

	if ((int64_t)t0 == clock->sec) {
		memcpy(dst, clock->daytime + off, len);
		return;
	}
	ss_daytime_format(clock->cfg, t0, buf, sizeof(buf));
	memcpy(dst, buf + off, len);
}

/*
 * The service's entry points (service.h). UDP: the clock's cached line,
 * its checksum share cached with it. TCP: the line of the handshake's
 * second, in one segment with the FIN (SS_SVC_F_CLOSES).
 */
int
ss_daytime_udp_reply(struct ss_svc_state *st, const uint8_t *req, uint16_t req_len, uint8_t *out,
		uint16_t room)
{
	(void)req;
	(void)req_len;
	return ss_daytime_udp(st->clock, out, room);
}

bool
ss_daytime_udp_sum(const struct ss_svc_state *st, uint16_t len, uint64_t *sum)
{
	(void)len;
	*sum = st->clock->daytime_sum;
	return true;
}

uint32_t
ss_daytime_udp_reply_max(const struct ss_svc_state *st, uint16_t req_len)
{
	(void)req_len;
	return st->clock->daytime_len;
}

uint32_t
ss_daytime_tcp_open(struct ss_svc_state *st, int64_t now_sec, bool *silent)
{
	/* RFC 868: a server that does not know the time closes without a word. */
	*silent = !st->clock->valid;
	return (uint32_t)now_sec;
}

uint64_t
ss_daytime_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	return ss_daytime_line_len(st->clock, c->t0);
}

void
ss_daytime_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len)
{
	ss_daytime_line_fill(st->clock, c->t0, off, dst, len);
}

bool
ss_daytime_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	(void)c;
	(void)off;
	(void)len;
	(void)sum;
	return false;
}
