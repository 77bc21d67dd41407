/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CKSUM_H
#define SS_CKSUM_H

/*
 * Internet checksum helpers on top of rte_raw_cksum(). Sums are taken over
 * memory as stored (the one's complement sum does not care about byte
 * order), so every value here is as it sits in the packet.
 */

#include <stdint.h>

#include <rte_ip.h>

/* Fold a 32-bit one's complement sum to 16 bits. */
static inline uint16_t
ss_cksum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * RFC 1624 incremental update: the checksum field after one 16-bit word
 * of the covered data changed from old to new.
 */
static inline uint16_t
ss_cksum_adjust(uint16_t cksum, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~cksum + (uint32_t)(uint16_t)~old + new;

	return (uint16_t)~ss_cksum_fold(sum);
}

/* Sum of the IPv4 pseudo header for an upper-layer packet of len bytes. */
static inline uint32_t
ss_ip4_phdr_sum(const struct rte_ipv4_hdr *ip, uint8_t proto, uint16_t len)
{
	uint32_t sum;

	sum = (ip->src_addr & 0xffff) + (ip->src_addr >> 16);
	sum += (ip->dst_addr & 0xffff) + (ip->dst_addr >> 16);
	sum += rte_cpu_to_be_16(proto) + rte_cpu_to_be_16(len);
	return sum;
}

/* Sum of the IPv6 pseudo header (RFC 8200 8.1). */
static inline uint32_t
ss_ip6_phdr_sum(const struct rte_ipv6_hdr *ip, uint8_t proto, uint16_t len)
{
	uint32_t sum;

	sum = __rte_raw_cksum(ip->src_addr, 32, 0);
	sum += rte_cpu_to_be_16(proto) + rte_cpu_to_be_16(len);
	return sum;
}

/* True when the L4 checksum of an IPv4 upper-layer packet is right. */
static inline int
ss_ip4_l4_cksum_ok(const struct rte_ipv4_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	uint32_t sum = __rte_raw_cksum(l4, len, ss_ip4_phdr_sum(ip, proto, len));

	return ss_cksum_fold(sum) == 0xffff;
}

/*
 * True when the L4 checksum of an IPv6 upper-layer packet is right. Unlike
 * rte_ipv6_udptcp_cksum_verify(), the length is given, so extension
 * headers between the two are fine.
 */
static inline int
ss_ip6_l4_cksum_ok(const struct rte_ipv6_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	uint32_t sum = __rte_raw_cksum(l4, len, ss_ip6_phdr_sum(ip, proto, len));

	return ss_cksum_fold(sum) == 0xffff;
}

/* Checksum to store in an IPv4 upper-layer header whose field is zero. */
static inline uint16_t
ss_ip4_l4_cksum(const struct rte_ipv4_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	uint16_t c = ~ss_cksum_fold(__rte_raw_cksum(l4, len, ss_ip4_phdr_sum(ip, proto, len)));

	/* RFC 768: a computed zero is sent as all ones (zero means "none"). */
	return c == 0 && proto == IPPROTO_UDP ? 0xffff : c;
}

/* Checksum to store in an IPv6 upper-layer header whose field is zero. */
static inline uint16_t
ss_ip6_l4_cksum(const struct rte_ipv6_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	uint16_t c = ~ss_cksum_fold(__rte_raw_cksum(l4, len, ss_ip6_phdr_sum(ip, proto, len)));

	return c == 0 && proto == IPPROTO_UDP ? 0xffff : c;
}

#endif /* SS_CKSUM_H */
