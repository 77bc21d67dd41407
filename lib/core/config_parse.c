/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "config_parse.h"

int
ss_parse_bool(const char *s, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	snprintf(err, errlen, "not a boolean (on/off)");
	return -1;
}

int
ss_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts a sign and leading blanks; a config value must not. */
	if (!isdigit((unsigned char)s[0]))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		goto bad;
	if (v < min || v > max) {
		snprintf(err, errlen, "must be %llu..%llu", (unsigned long long)min,
				(unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
bad:
	snprintf(err, errlen, "not a number");
	return -1;
}

/*
 * Split "ADDR/LEN": the address is copied into buf, *len points at LEN (or
 * is NULL when there is no '/'). Returns -1 when the address is too long
 * to be one.
 */
static int
split_prefix(const char *s, char *buf, size_t buflen, const char **len, char *err, size_t errlen)
{
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);

	if (n >= buflen) {
		snprintf(err, errlen, "not an address");
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	*len = slash != NULL ? slash + 1 : NULL;
	return 0;
}

/* The prefix length after the address (NULL: no '/'), checked once the address is good. */
static int
parse_prefix_len(const char *s, unsigned int max_len, uint8_t *len, char *err, size_t errlen)
{
	char reason[64];
	uint64_t v;

	if (s == NULL) {
		snprintf(err, errlen, "missing /prefix-length");
		return -1;
	}
	if (ss_parse_uint(s, 1, max_len, &v, reason, sizeof(reason)) < 0) {
		snprintf(err, errlen, "prefix length %s", reason);
		return -1;
	}
	*len = v;
	return 0;
}

int
ss_parse_ip4_prefix(const char *s, struct ss_ip4_prefix *out, char *err, size_t errlen)
{
	char buf[INET_ADDRSTRLEN];
	const char *len;
	struct in_addr a;

	if (split_prefix(s, buf, sizeof(buf), &len, err, errlen) < 0)
		return -1;
	if (inet_pton(AF_INET, buf, &a) != 1) {
		snprintf(err, errlen, "not an IPv4 address");
		return -1;
	}
	if (parse_prefix_len(len, 32, &out->len, err, errlen) < 0)
		return -1;
	ss_ip4_prefix_set(out, a.s_addr, out->len);
	if (ss_ip4_martian(out->addr)) {
		snprintf(err, errlen, "not a unicast host address");
		return -1;
	}
	if (out->len < 31 && (out->addr == ss_ip4_bcast(out) || out->addr == ss_ip4_network(out))) {
		snprintf(err, errlen, "is the subnet's network or broadcast address");
		return -1;
	}
	return 0;
}

int
ss_parse_ip6_prefix(const char *s, struct ss_ip6_prefix *out, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN];
	const char *len;

	if (split_prefix(s, buf, sizeof(buf), &len, err, errlen) < 0)
		return -1;
	if (inet_pton(AF_INET6, buf, out->addr) != 1) {
		snprintf(err, errlen, "not an IPv6 address");
		return -1;
	}
	if (parse_prefix_len(len, 128, &out->len, err, errlen) < 0)
		return -1;
	if (ss_ip6_martian(out->addr)) {
		snprintf(err, errlen, "not a unicast host address");
		return -1;
	}
	return 0;
}

int
ss_parse_list(const char *s, char tokens[][64], unsigned int max, char *err, size_t errlen)
{
	unsigned int n = 0;
	size_t len;

	for (;;) {
		s += strspn(s, " \t,");
		if (*s == '\0')
			return n;
		len = strcspn(s, " \t,");
		if (n == max) {
			snprintf(err, errlen, "more than %u entries", max);
			return -1;
		}
		if (len >= 64) {
			snprintf(err, errlen, "entry too long");
			return -1;
		}
		memcpy(tokens[n], s, len);
		tokens[n][len] = '\0';
		n++;
		s += len;
	}
}
