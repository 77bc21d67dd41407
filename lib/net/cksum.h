/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CKSUM_H
#define SS_CKSUM_H

/*
 * Internet checksums (RFC 1071). Sums are taken over memory as stored (the
 * one's complement sum does not care about byte order), so every value
 * here is as it sits in the packet.
 *
 * Our own for short lengths rather than rte_raw_cksum(): DPDK 22.11's adds
 * 16-bit words one at a time, which the compiler vectorises with a
 * prologue and epilogue that cost more than the sum itself on the 20 to
 * 100 bytes of headers a request is; 32-bit words into a 64-bit
 * accumulator do better there. From SS_CKSUM_VECTOR_MIN bytes on (full
 * frames), DPDK's vectorised loop is the faster and is used.
 */

#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_ip.h>

#if RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN
#error "the checksum code takes a trailing odd byte as the low half of a word"
#endif

/*
 * Fold a 64-bit accumulator of one's complement sums to 16 bits: the two
 * halves added with the carry wrapped round, then the 16-bit halves the
 * way Linux's csum_fold() does (x + x rotated by 16 holds their one's
 * complement sum in its upper half). Eight instructions where folding
 * four times took twenty.
 */
static inline uint16_t
ss_cksum_fold(uint64_t sum)
{
	uint32_t lo = (uint32_t)sum, hi = (uint32_t)(sum >> 32);

	lo += hi;
	lo += lo < hi; /* the end-around carry */
	return (uint16_t)((lo + (lo >> 16 | lo << 16)) >> 16);
}

/*
 * Add a 64-bit word to the accumulator with the carry wrapped round (add,
 * adc): one's complement arithmetic modulo 2^64 - 1, which 0xffff divides,
 * so that the folded sum is the same as 16 bits at a time.
 */
static inline uint64_t
ss_cksum_adc(uint64_t sum, uint64_t q)
{
	sum += q;
	return sum + (sum < q);
}

/*
 * An accumulator brought below 2^33, so that callers may go on adding
 * their few 16- and 32-bit values with a plain +: every accumulator this
 * file returns is below 2^34 (ss_ip4_hdr_sum()'s excepted, which is only
 * folded), and the sums callers make of them stay far below 2^64.
 */
static inline uint64_t
ss_cksum_narrow(uint64_t sum)
{
	return (sum & 0xffffffff) + (sum >> 32);
}

/* Past this many bytes DPDK's vectorised sum wins over the scalar loop below. */
#define SS_CKSUM_VECTOR_MIN 256

/*
 * Add len bytes at buf to the accumulator. From 8 bytes on, the last
 * partial word is one load ending at the last byte, shifted to drop what
 * the words before it summed: it starts a multiple of 8 bytes in, so its
 * bytes keep their places in the 16-bit words (a trailing odd byte is the
 * low half of one, as RFC 1071 pads it).
 */
static inline uint64_t
ss_cksum_add(const void *buf, uint32_t len, uint64_t sum)
{
	const uint8_t *p = buf;
	uint64_t q, r;
	uint32_t w;
	uint16_t h;

	if (len >= SS_CKSUM_VECTOR_MIN)
		return ss_cksum_narrow(ss_cksum_adc(sum, __rte_raw_cksum(buf, len, 0)));
	if (len >= 8) {
		for (; len >= 16; p += 16, len -= 16) {
			memcpy(&q, p, 8);
			memcpy(&r, p + 8, 8);
			sum = ss_cksum_adc(ss_cksum_adc(sum, q), r);
			/*
			 * Keep the compiler from vectorising: on a few dozen
			 * bytes the vector prologue and epilogue cost more than
			 * the loop.
			 */
			__asm__("" : "+r"(sum));
		}
		if (len >= 8) {
			memcpy(&q, p, 8);
			sum = ss_cksum_adc(sum, q);
			p += 8;
			len -= 8;
		}
		if (len > 0) {
			memcpy(&q, p + len - 8, 8);
			sum = ss_cksum_adc(sum, q >> (8 * (8 - len)));
		}
		return ss_cksum_narrow(sum);
	}
	if (len >= 4) {
		memcpy(&w, p, 4);
		sum = ss_cksum_adc(sum, w);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		sum = ss_cksum_adc(sum, h);
		p += 2;
		len -= 2;
	}
	if (len > 0)
		sum = ss_cksum_adc(sum, *p);
	return ss_cksum_narrow(sum);
}

/*
 * The sum of an IPv4 header without options: five words, no loop. Any
 * 64-bit value: to be folded, not added to.
 */
static inline uint64_t
ss_ip4_hdr_sum(const struct rte_ipv4_hdr *ip)
{
	const uint8_t *p = (const uint8_t *)ip;
	uint64_t a, b;
	uint32_t c;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	memcpy(&c, p + 16, 4);
	return ss_cksum_adc(ss_cksum_adc(c, a), b);
}

/* The folded sum of len bytes: 0xffff over data that holds a right checksum. */
static inline uint16_t
ss_cksum(const void *buf, uint32_t len)
{
	return ss_cksum_fold(ss_cksum_add(buf, len, 0));
}

/* True when an IPv4 header (options included) sums right. */
static inline int
ss_ip4_hdr_cksum_ok(const struct rte_ipv4_hdr *ip, uint16_t hlen)
{
	if (likely(hlen == sizeof(*ip)))
		return ss_cksum_fold(ss_ip4_hdr_sum(ip)) == 0xffff;
	return ss_cksum(ip, hlen) == 0xffff;
}

/* The checksum to store in an IPv4 header without options whose field is zero. */
static inline uint16_t
ss_ip4_hdr_cksum(const struct rte_ipv4_hdr *ip)
{
	return (uint16_t)~ss_cksum_fold(ss_ip4_hdr_sum(ip));
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
static inline uint64_t
ss_ip4_phdr_sum(const struct rte_ipv4_hdr *ip, uint8_t proto, uint16_t len)
{
	return (uint64_t)ip->src_addr + ip->dst_addr + rte_cpu_to_be_16(proto) +
			rte_cpu_to_be_16(len);
}

/* Sum of the IPv6 pseudo header (RFC 8200 8.1). */
static inline uint64_t
ss_ip6_phdr_sum(const struct rte_ipv6_hdr *ip, uint8_t proto, uint16_t len)
{
	return ss_cksum_add(ip->src_addr, 32, 0) + rte_cpu_to_be_16(proto) + rte_cpu_to_be_16(len);
}

/* True when the L4 checksum of an IPv4 upper-layer packet is right. */
static inline int
ss_ip4_l4_cksum_ok(const struct rte_ipv4_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	return ss_cksum_fold(ss_cksum_add(l4, len, ss_ip4_phdr_sum(ip, proto, len))) == 0xffff;
}

/*
 * True when the L4 checksum of an IPv6 upper-layer packet is right. Unlike
 * rte_ipv6_udptcp_cksum_verify(), the length is given, so extension
 * headers between the two are fine.
 */
static inline int
ss_ip6_l4_cksum_ok(const struct rte_ipv6_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	return ss_cksum_fold(ss_cksum_add(l4, len, ss_ip6_phdr_sum(ip, proto, len))) == 0xffff;
}

/* Checksum to store in an IPv4 upper-layer header whose field is zero. */
static inline uint16_t
ss_ip4_l4_cksum(const struct rte_ipv4_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	uint16_t c = ~ss_cksum_fold(ss_cksum_add(l4, len, ss_ip4_phdr_sum(ip, proto, len)));

	/* RFC 768: a computed zero is sent as all ones (zero means "none"). */
	return c == 0 && proto == IPPROTO_UDP ? 0xffff : c;
}

/* Checksum to store in an IPv6 upper-layer header whose field is zero. */
static inline uint16_t
ss_ip6_l4_cksum(const struct rte_ipv6_hdr *ip, uint8_t proto, const void *l4, uint16_t len)
{
	uint16_t c = ~ss_cksum_fold(ss_cksum_add(l4, len, ss_ip6_phdr_sum(ip, proto, len)));

	return c == 0 && proto == IPPROTO_UDP ? 0xffff : c;
}

#endif /* SS_CKSUM_H */
