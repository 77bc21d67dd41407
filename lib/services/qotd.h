/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_QOTD_H
#define SS_QOTD_H

/*
 * RFC 865 quote of the day. Quotes come from a file in fortune format
 * (quotes separated by lines holding only "%"); each is printable ASCII,
 * sent with CR LF line ends, and under 512 characters. Without a file, one
 * built-in quote.
 */

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Load cfg->qotd_file (or the built-in quote) into cfg->quotes. */
int ss_qotd_load(struct ss_config *cfg, char *err, size_t errlen);

/* Quote number n (modulo the number of quotes). */
const char *ss_qotd_quote(const struct ss_config *cfg, uint32_t n);

/* Its length, without the terminating NUL. */
uint16_t ss_qotd_quote_len(const struct ss_config *cfg, uint32_t n);

/* UDP reply: the next quote; *next advances. Returns the length, or -(verdict). */
int ss_qotd_udp(const struct ss_config *cfg, uint32_t *next, uint8_t *out, uint16_t room);

#endif /* SS_QOTD_H */
