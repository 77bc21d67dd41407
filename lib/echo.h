/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_ECHO_H
#define SS_ECHO_H

/* RFC 862 echo: the data back, unchanged, empty datagrams included. */

#include <stdint.h>

/*
 * UDP reply: the request itself (out may be req: the reply is then
 * already in place). Never truncated: a request that would not fit comes
 * back as -(verdict). Returns the length.
 */
int ss_echo_udp(const uint8_t *req, uint16_t len, uint8_t *out, uint16_t room);

#endif /* SS_ECHO_H */
