/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "addr.h"
#include "secret.h"
#include "source.h"

struct ss_siphash_key ss_source_secret;

int
ss_source_init(void)
{
	while (ss_source_secret.k0 == 0 && ss_source_secret.k1 == 0)
		if (ss_secret_fill(&ss_source_secret, sizeof(ss_source_secret)) < 0)
			return -1;
	return 0;
}

uint64_t
ss_source_key4(uint32_t addr)
{
	uint8_t in[5] = { 4 };

	memcpy(in + 1, &addr, 4);
	return ss_siphash(&ss_source_secret, in, sizeof(in));
}

uint64_t
ss_source_key6(const uint8_t *addr, uint8_t prefix_len)
{
	uint8_t in[17] = { 6 };
	unsigned int full = prefix_len / 8, bits = prefix_len % 8;

	/* The bits past the prefix are the source's own to choose: they go. */
	memcpy(in + 1, addr, full);
	if (bits != 0)
		in[1 + full] = addr[full] & (uint8_t)(0xff << (8 - bits));
	return ss_siphash(&ss_source_secret, in, 1 + full + (bits != 0));
}

uint64_t
ss_source_key_mapped(const uint8_t *addr, uint8_t prefix_len)
{
	uint32_t a4;

	if (ss_ip6_is_v4mapped(addr)) {
		memcpy(&a4, addr + 12, 4);
		return ss_source_key4(a4);
	}
	return ss_source_key6(addr, prefix_len);
}
