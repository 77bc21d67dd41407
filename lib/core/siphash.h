/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_SIPHASH_H
#define SS_SIPHASH_H

/*
 * SipHash-2-4 (Aumasson and Bernstein), a keyed hash that is safe against
 * an attacker who sees its outputs: what SYN cookies and initial sequence
 * numbers (RFC 6528) need, and what DPDK's CRC and jhash are not.
 */

#include <stddef.h>
#include <stdint.h>

struct ss_siphash_key {
	uint64_t k0;
	uint64_t k1;
};

uint64_t ss_siphash(const struct ss_siphash_key *key, const void *data, size_t len);

#endif /* SS_SIPHASH_H */
