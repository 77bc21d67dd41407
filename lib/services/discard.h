/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_DISCARD_H
#define SS_DISCARD_H

/* RFC 863 discard: take everything, answer nothing. */

#include <stdint.h>

/* UDP: never a reply. Returns -(verdict) naming the datagram consumed. */
int ss_discard_udp(const uint8_t *req, uint16_t len);

#endif /* SS_DISCARD_H */
