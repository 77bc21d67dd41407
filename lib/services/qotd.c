/* SPDX-License-Identifier: BSD-3-Clause */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "qotd.h"
#include "stats.h"
#include "service.h"
#include "tcp_conn.h"

#define QOTD_FILE_MAX (256 * 1024)

static const char builtin_quote[] =
		"\"Be conservative in what you do, be liberal in what you accept from\r\n"
		"others.\" -- Jon Postel, RFC 793\r\n";

/*
 * Append one quote (lines separated by LF, CR LF or CR LF) with CR LF line
 * ends. Returns 0, 1 when the quote is blank, or -1 with a reason.
 */
static int
add_quote(struct ss_config *cfg, const char *text, size_t len, char *err, size_t errlen)
{
	char *q = cfg->quotes[cfg->n_quotes];
	size_t n = 0, i;

	/* Leading and trailing blank lines are not part of the quote. */
	while (len > 0 && (text[0] == '\n' || text[0] == '\r'))
		text++, len--;
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len == 0)
		return 1;
	if (cfg->n_quotes == SS_QOTD_MAX_QUOTES) {
		snprintf(err, errlen, "more than %d quotes", SS_QOTD_MAX_QUOTES);
		return -1;
	}
	for (i = 0; i <= len; i++) {
		char c = i < len ? text[i] : '\n';

		if (c == '\r')
			continue;
		if (n + 2 > SS_QOTD_MAX_LEN) {
			snprintf(err, errlen, "quote %u is longer than %d characters",
					cfg->n_quotes + 1, SS_QOTD_MAX_LEN);
			return -1;
		}
		if (c == '\n') {
			q[n++] = '\r';
			q[n++] = '\n';
		} else if (c >= 0x20 && c <= 0x7e) {
			q[n++] = c;
		} else {
			snprintf(err, errlen,
					"quote %u has a character that is not printable "
					"ASCII (0x%02x)",
					cfg->n_quotes + 1, (unsigned char)c);
			return -1;
		}
	}
	q[n] = '\0';
	cfg->quote_len[cfg->n_quotes] = n;
	cfg->n_quotes++;
	return 0;
}

/* Split the file at lines that hold only "%". */
static int
split_quotes(struct ss_config *cfg, const char *buf, size_t len, char *err, size_t errlen)
{
	const char *start = buf, *line = buf, *end = buf + len;

	while (line < end) {
		const char *nl = memchr(line, '\n', end - line);
		const char *next = nl != NULL ? nl + 1 : end;
		size_t l = (nl != NULL ? nl : end) - line;

		if (l > 0 && line[l - 1] == '\r')
			l--;
		if (l == 1 && line[0] == '%') {
			if (add_quote(cfg, start, line - start, err, errlen) < 0)
				return -1;
			start = next;
		}
		line = next;
	}
	return add_quote(cfg, start, end - start, err, errlen) < 0 ? -1 : 0;
}

/*
 * The quote file, if it is a regular file. Opened without blocking and
 * checked before it is read: a FIFO or a device would hold the reader,
 * the reload thread among them, and a SIGTERM then waits on it.
 */
static FILE *
open_regular(const char *path, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %m");
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot open: %m");
		close(fd);
	}
	return f;
}

int
ss_qotd_load(struct ss_config *cfg, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	FILE *f;
	int ret;

	cfg->n_quotes = 0;
	if (cfg->qotd_file[0] == '\0') {
		strcpy(cfg->quotes[0], builtin_quote);
		cfg->quote_len[0] = sizeof(builtin_quote) - 1;
		cfg->n_quotes = 1;
		return 0;
	}
	f = open_regular(cfg->qotd_file, err, errlen);
	if (f == NULL)
		return -1;
	buf = malloc(QOTD_FILE_MAX + 1);
	len = buf != NULL ? fread(buf, 1, QOTD_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (buf == NULL || len > QOTD_FILE_MAX) {
		snprintf(err, errlen, "larger than %d bytes", QOTD_FILE_MAX);
		free(buf);
		return -1;
	}
	ret = split_quotes(cfg, buf, len, err, errlen);
	free(buf);
	if (ret == 0 && cfg->n_quotes == 0) {
		snprintf(err, errlen, "holds no quote");
		ret = -1;
	}
	return ret;
}

const char *
ss_qotd_quote(const struct ss_config *cfg, uint32_t n)
{
	return cfg->quotes[n % cfg->n_quotes];
}

uint16_t
ss_qotd_quote_len(const struct ss_config *cfg, uint32_t n)
{
	return cfg->quote_len[n % cfg->n_quotes];
}

int
ss_qotd_udp(const struct ss_config *cfg, uint32_t *next, uint8_t *out, uint16_t room)
{
	const char *q = ss_qotd_quote(cfg, *next);
	uint16_t len = ss_qotd_quote_len(cfg, *next);

	if (len > room)
		return -SS_DROP_REPLY_TOO_BIG;
	memcpy(out, q, len);
	(*next)++;
	return len;
}

/*
 * The service's entry points (service.h): one quote a datagram, the next
 * each time; over TCP the quote of the handshake, then FIN (SS_SVC_F_CLOSES).
 */
int
ss_qotd_udp_reply(struct ss_svc_state *st, const uint8_t *req, uint16_t req_len, uint8_t *out,
		uint16_t room)
{
	(void)req;
	(void)req_len;
	return ss_qotd_udp(st->cfg, &st->qotd_next, out, room);
}

bool
ss_qotd_udp_sum(const struct ss_svc_state *st, uint16_t len, uint64_t *sum)
{
	(void)st;
	(void)len;
	(void)sum;
	return false;
}

uint32_t
ss_qotd_udp_reply_max(const struct ss_svc_state *st, uint16_t req_len)
{
	(void)req_len;
	return ss_qotd_quote_len(st->cfg, st->qotd_next);
}

uint32_t
ss_qotd_tcp_open(struct ss_svc_state *st, int64_t now_sec, bool *silent)
{
	(void)now_sec;
	(void)silent;
	return st->qotd_next++;
}

uint64_t
ss_qotd_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	return ss_qotd_quote_len(st->cfg, c->t0);
}

void
ss_qotd_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len)
{
	memcpy(dst, ss_qotd_quote(st->cfg, c->t0) + off, len);
}

bool
ss_qotd_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	(void)c;
	(void)off;
	(void)len;
	(void)sum;
	return false;
}
