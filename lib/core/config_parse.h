/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CONFIG_PARSE_H
#define SS_CONFIG_PARSE_H

/*
 * Parsers for single configuration values. Each returns 0 on success, or
 * -1 with a short reason in err ("not a number", "must be 1..65535", ...).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

int ss_parse_bool(const char *s, bool *out, char *err, size_t errlen);
int ss_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *err,
		size_t errlen);
int ss_parse_ip4_prefix(const char *s, struct ss_ip4_prefix *out, char *err, size_t errlen);
int ss_parse_ip6_prefix(const char *s, struct ss_ip6_prefix *out, char *err, size_t errlen);

/*
 * Split a list separated by spaces or commas into at most max tokens of at
 * most toklen bytes. Returns the number of tokens, or -1 with a reason.
 */
int ss_parse_list(const char *s, char tokens[][64], unsigned int max, char *err, size_t errlen);

#endif /* SS_CONFIG_PARSE_H */
