/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_SOURCE_H
#define SS_SOURCE_H

/*
 * Who "a source" is, for every per-source limit (UDP reply rates, TCP
 * connections and held data): an IPv4 address, or an IPv6 prefix of
 * [abuse] ipv6_source_prefix bits (/64 by default: one subscriber's
 * network, which a single host can fill with addresses of its own).
 *
 * A source is named by a 64-bit SipHash of its family and address under a
 * secret drawn at start. The per-source tables are indexed by that key:
 * with an unkeyed hash (CRC) an attacker can pick addresses that share a
 * victim's slot and spend or reset the victim's budget; with a keyed one it
 * cannot tell which addresses collide.
 */

#include <stdint.h>

#include "siphash.h"

/* The secret of the source keys; drawn once per process (ss_source_init). */
extern struct ss_siphash_key ss_source_secret;

/* Draw the secret, unless it is drawn already (workers share it). -1 if none could be. */
int ss_source_init(void);

/* Key of an IPv4 source (address in network byte order). */
uint64_t ss_source_key4(uint32_t addr);

/* Key of an IPv6 source: its first prefix_len bits count. */
uint64_t ss_source_key6(const uint8_t *addr, uint8_t prefix_len);

/* Key of an address in the TCP tuple's form (IPv4 as ::ffff:a.b.c.d). */
uint64_t ss_source_key_mapped(const uint8_t *addr, uint8_t prefix_len);

#endif /* SS_SOURCE_H */
