/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "fuzz_common.h"

#define ETH_ARP 0x0806
#define ETH_IP4 0x0800
#define ETH_IP6 0x86dd
#define ETH_VLAN 0x8100
#define P_ICMP 1
#define P_TCP 6
#define P_UDP 17
#define P_ICMP6 58

#define T_FIN 0x01
#define T_SYN 0x02
#define T_RST 0x04
#define T_PSH 0x08
#define T_ACK 0x10
#define T_URG 0x20
#define T_ECE 0x40
#define T_CWR 0x80

void
fz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: invariant violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
fz_eal_init(const char *prefix, const char *const *extra)
{
	const char *base[] = { "fuzz", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
		"--no-telemetry", "-l", "0", "--log-level", "*:error", "--file-prefix", prefix };
	char *argv[32];
	cpu_set_t cpus;
	int argc = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(base); i++)
		argv[argc++] = (char *)base[i];
	for (i = 0; extra != NULL && extra[i] != NULL && argc < 31; i++)
		argv[argc++] = (char *)extra[i];
	argv[argc] = NULL;
	/*
	 * EAL pins the main thread to its lcore's CPU; a fuzzer is not a data
	 * path, and on a shared machine that one CPU may be the busy one: it
	 * gets back the CPUs it was allowed before.
	 */
	if (sched_getaffinity(0, sizeof(cpus), &cpus) < 0)
		fz_fail("sched_getaffinity: %s", strerror(errno));
	if (rte_eal_init(argc, argv) < 0)
		fz_fail("EAL did not start");
	if (sched_setaffinity(0, sizeof(cpus), &cpus) < 0)
		fz_fail("sched_setaffinity: %s", strerror(errno));
}

void
fz_config_set(struct ss_config *cfg, const char *section, const char *key, const char *value)
{
	char err[256];

	if (ss_config_set(cfg, section, key, value, err, sizeof(err)) < 0)
		fz_fail("config [%s] %s = %s: %s", section, key, value, err);
}

void
fz_config_finish(struct ss_config *cfg)
{
	char err[256];

	if (ss_config_finish(cfg, err, sizeof(err)) < 0)
		fz_fail("config: %s", err);
}

uint32_t
fz_sum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

/* Sum of the pseudo-header (RFC 768, RFC 8200 8.1) for len bytes of proto. */
static uint32_t
phdr_sum(const uint8_t *l3, bool ipv6, uint8_t proto, uint16_t len)
{
	uint8_t tail[4] = { 0, proto, len >> 8, len & 0xff };
	uint32_t s;

	if (ipv6)
		s = fz_sum(l3 + 8, 32, 0);
	else
		s = fz_sum(l3 + 12, 8, 0);
	return fz_sum(tail, 4, s);
}

static bool
l4_sum_ok(const uint8_t *l3, bool ipv6, uint8_t proto, const uint8_t *l4, uint16_t len)
{
	uint32_t s = proto == P_ICMP ? 0 : phdr_sum(l3, ipv6, proto, len);

	return fz_sum(l4, len, s) == 0xffff;
}

static bool
port_has_ip4(const struct ss_port_cfg *port, const uint8_t *a)
{
	unsigned int i;

	for (i = 0; i < port->n_ip4; i++)
		if (memcmp(&port->ip4[i].addr, a, 4) == 0)
			return true;
	return false;
}

static bool
port_has_ip6(const struct ss_port_cfg *port, const uint8_t *a)
{
	unsigned int i;

	for (i = 0; i < port->n_ip6; i++)
		if (memcmp(port->ip6[i].addr, a, 16) == 0)
			return true;
	return false;
}

static void
check_arp(const struct fz_frame *f, const struct rte_ether_addr *mac,
		const struct ss_port_cfg *port)
{
	const uint8_t *a = f->buf + f->l3_off;

	if (f->len < f->l3_off + 28)
		fz_fail("ARP reply of %u bytes", f->len);
	if (fz_be16(a) != 1 || fz_be16(a + 2) != ETH_IP4 || a[4] != 6 || a[5] != 4 ||
			fz_be16(a + 6) != 2)
		fz_fail("ARP reply with a bad header or opcode %u", fz_be16(a + 6));
	if (memcmp(a + 8, mac->addr_bytes, 6) != 0 || !port_has_ip4(port, a + 14))
		fz_fail("ARP reply not for our MAC and address");
}

/* Options of a segment: only those we send, well-formed, each where it belongs. */
static void
check_tcp_options(struct fz_frame *f, const uint8_t *o, uint16_t n, bool syn)
{
	uint16_t i = 0, len, b;

	while (i < n) {
		uint8_t kind = o[i];

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || (len = o[i + 1]) < 2 || i + len > n)
			fz_fail("TCP option %u runs past the header", kind);
		switch (kind) {
		case 2:
			if (len != 4 || !syn)
				fz_fail("MSS option of length %u (SYN %d)", len, syn);
			f->mss = fz_be16(o + i + 2);
			break;
		case 3:
			if (len != 3 || !syn || o[i + 2] > 14)
				fz_fail("window scale option %u of length %u (SYN %d)", o[i + 2],
						len, syn);
			f->wscale = o[i + 2];
			break;
		case 4:
			if (len != 2 || !syn)
				fz_fail("SACK-permitted option of length %u (SYN %d)", len, syn);
			f->sack_ok = true;
			break;
		case 5:
			if (syn || len < 10 || (len - 2) % 8 != 0)
				fz_fail("SACK option of length %u (SYN %d)", len, syn);
			f->n_sack = (len - 2) / 8;
			for (b = 0; b < f->n_sack; b++) {
				f->sack[b][0] = fz_be32(o + i + 2 + 8 * b);
				f->sack[b][1] = fz_be32(o + i + 6 + 8 * b);
				if (f->sack[b][0] == f->sack[b][1])
					fz_fail("empty SACK block");
			}
			break;
		default:
			fz_fail("TCP option %u, which we never send", kind);
		}
		i += len;
	}
}

static void
check_tcp(struct fz_frame *f, uint16_t mtu)
{
	const uint8_t *th = f->buf + f->l4_off;
	uint8_t fl;

	if (f->l4_len < 20)
		fz_fail("TCP segment of %u bytes", f->l4_len);
	f->sport = fz_be16(th);
	f->dport = fz_be16(th + 2);
	f->seq = fz_be32(th + 4);
	f->ack = fz_be32(th + 8);
	f->hlen = (th[12] >> 4) * 4;
	f->flags = fl = th[13];
	f->win = fz_be16(th + 14);
	if (f->hlen < 20 || f->hlen > f->l4_len || (th[12] & 0x0f) != 0)
		fz_fail("TCP data offset %u of a %u-byte segment", f->hlen, f->l4_len);
	f->data_len = f->l4_len - f->hlen;
	if (fl & (T_URG | T_ECE | T_CWR) || fz_be16(th + 18) != 0)
		fz_fail("TCP flags 0x%02x or urgent pointer we never set", fl);
	/* A passive stack: SYN only in a SYN-ACK; RST alone, or with ACK, and empty. */
	if ((fl & T_SYN) && (fl & (T_ACK | T_FIN | T_RST | T_PSH)) != T_ACK)
		fz_fail("SYN with flags 0x%02x", fl);
	if ((fl & T_RST) && ((fl & ~(T_RST | T_ACK)) || f->data_len > 0))
		fz_fail("RST with flags 0x%02x and %u bytes", fl, f->data_len);
	if (!(fl & (T_ACK | T_RST)))
		fz_fail("segment without ACK (flags 0x%02x)", fl);
	if ((fl & T_SYN) && f->data_len > 0)
		fz_fail("SYN-ACK with data");
	check_tcp_options(f, th + 20, f->hlen - 20, (fl & T_SYN) != 0);
	if ((fl & T_SYN) && (f->mss < 1 || f->mss > mtu - (f->ipv6 ? 60 : 40)))
		fz_fail("SYN-ACK with MSS %d on an MTU of %u", f->mss, mtu);
}

static void
check_l4(struct fz_frame *f, uint16_t mtu)
{
	const uint8_t *l3 = f->buf + f->l3_off, *l4 = f->buf + f->l4_off;

	switch (f->proto) {
	case P_TCP:
		check_tcp(f, mtu);
		break;
	case P_UDP:
		if (f->l4_len < 8 || fz_be16(l4 + 4) != f->l4_len)
			fz_fail("UDP length %u in a %u-byte datagram",
					f->l4_len < 8 ? 0 : fz_be16(l4 + 4), f->l4_len);
		if (fz_be16(l4 + 6) == 0) {
			if (f->ipv6)
				fz_fail("IPv6 UDP with a zero checksum");
			return; /* IPv4: no checksum (echoed as it came) */
		}
		break;
	case P_ICMP:
	case P_ICMP6:
		if (f->l4_len < 8)
			fz_fail("ICMP message of %u bytes", f->l4_len);
		break;
	default:
		fz_fail("IP protocol %u, which we never send", f->proto);
	}
	if (f->proto == (f->ipv6 ? P_ICMP : P_ICMP6))
		fz_fail("ICMP of the wrong IP version");
	if (!l4_sum_ok(l3, f->ipv6, f->proto, l4, f->l4_len))
		fz_fail("protocol %u checksum wrong", f->proto);
}

static void
check_ip4(struct fz_frame *f, const struct ss_port_cfg *port)
{
	const uint8_t *ip = f->buf + f->l3_off;

	if (f->len < f->l3_off + 20 || ip[0] != 0x45)
		fz_fail("IPv4 header 0x%02x (options are never sent)",
				f->len > f->l3_off ? ip[0] : 0);
	if (fz_be16(ip + 2) != f->len - f->l3_off)
		fz_fail("IPv4 total length %u in %u bytes", fz_be16(ip + 2), f->len - f->l3_off);
	if (ip[8] == 0)
		fz_fail("IPv4 TTL 0");
	/* A fragment of a reply (ip_frag.h): never with DF, never empty. */
	if ((fz_be16(ip + 6) & 0x3fff) != 0) {
		if ((fz_be16(ip + 6) & 0x4000) || f->len == f->l3_off + 20 ||
				((fz_be16(ip + 6) & 0x2000) && (f->len - f->l3_off - 20) % 8 != 0))
			fz_fail("IPv4 fragment with DF, empty, or not a multiple of 8 bytes");
		f->fragment = true;
	}
	if (fz_sum(ip, 20, 0) != 0xffff)
		fz_fail("IPv4 header checksum wrong");
	f->src_ip = ip + 12;
	f->dst_ip = ip + 16;
	f->proto = ip[9];
	f->l4_off = f->l3_off + 20;
	f->l4_len = f->len - f->l4_off;
	if (!port_has_ip4(port, f->src_ip))
		fz_fail("IPv4 source %u.%u.%u.%u is not ours", f->src_ip[0], f->src_ip[1],
				f->src_ip[2], f->src_ip[3]);
}

static void
check_ip6(struct fz_frame *f, const struct ss_port_cfg *port)
{
	const uint8_t *ip = f->buf + f->l3_off;

	if (f->len < f->l3_off + 40 || (ip[0] >> 4) != 6)
		fz_fail("IPv6 header cut short or version %u", f->len > f->l3_off ? ip[0] >> 4 : 0);
	if (fz_be16(ip + 4) != f->len - f->l3_off - 40)
		fz_fail("IPv6 payload length %u in %u bytes", fz_be16(ip + 4),
				f->len - f->l3_off - 40);
	if (ip[7] == 0)
		fz_fail("IPv6 hop limit 0");
	f->ipv6 = true;
	f->src_ip = ip + 8;
	f->dst_ip = ip + 24;
	f->proto = ip[6]; /* extension headers are never sent: anything else fails below */
	/* But the fragment header of a reply's fragment (ip_frag.h). */
	if (f->proto == 44) {
		if (f->len < f->l3_off + 48 || (ip[40 + 1] != 0) ||
				((ip[40 + 3] & 1) && (f->len - f->l3_off - 48) % 8 != 0))
			fz_fail("IPv6 fragment cut short, reserved bits set, or not a multiple of 8");
		f->fragment = true;
	}
	f->l4_off = f->l3_off + 40;
	f->l4_len = f->len - f->l4_off;
	if (!port_has_ip6(port, f->src_ip))
		fz_fail("IPv6 source is not ours");
}

/* Unicast, or the all-nodes group for a neighbour advertisement to ff02::1. */
static void
check_dst_mac(const struct fz_frame *f)
{
	static const uint8_t all_nodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const uint8_t zero[6];

	if (memcmp(f->dst_mac, zero, 6) == 0)
		fz_fail("frame to MAC 00:00:00:00:00:00");
	if (!(f->dst_mac[0] & 1))
		return;
	if (f->type == ETH_IP6 && f->proto == P_ICMP6 && memcmp(f->dst_mac, all_nodes, 6) == 0 &&
			f->dst_ip[0] == 0xff && f->dst_ip[1] == 0x02 && f->dst_ip[15] == 1)
		return;
	fz_fail("frame to multicast MAC %02x:%02x:%02x:%02x:%02x:%02x", f->dst_mac[0],
			f->dst_mac[1], f->dst_mac[2], f->dst_mac[3], f->dst_mac[4], f->dst_mac[5]);
}

void
fz_check_frame(const struct rte_mbuf *m, const struct rte_ether_addr *mac,
		const struct ss_port_cfg *port, uint16_t mtu, struct fz_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->vlan = -1;
	f->mss = f->wscale = -1;
	if (m->nb_segs != 1 || m->next != NULL || m->data_len != m->pkt_len)
		fz_fail("frame in %u segments, %u of %u bytes", m->nb_segs, m->data_len,
				m->pkt_len);
	if ((const char *)rte_pktmbuf_mtod(m, const char *) + m->data_len >
			(const char *)m->buf_addr + m->buf_len)
		fz_fail("frame past the end of its buffer");
	f->buf = rte_pktmbuf_mtod(m, const uint8_t *);
	f->len = m->data_len;
	if (f->len < RTE_ETHER_HDR_LEN)
		fz_fail("frame of %u bytes", f->len);
	f->dst_mac = f->buf;
	f->src_mac = f->buf + 6;
	if (memcmp(f->src_mac, mac->addr_bytes, 6) != 0)
		fz_fail("frame not from our MAC");
	f->type = fz_be16(f->buf + 12);
	f->l3_off = RTE_ETHER_HDR_LEN;
	if (f->type == ETH_VLAN) {
		if (f->len < 18)
			fz_fail("VLAN frame of %u bytes", f->len);
		f->vlan = fz_be16(f->buf + 14) & 0xfff;
		f->type = fz_be16(f->buf + 16);
		f->l3_off = 18;
	}
	if (f->len > f->l3_off + mtu)
		fz_fail("frame of %u bytes on an MTU of %u", f->len, mtu);
	switch (f->type) {
	case ETH_ARP:
		check_arp(f, mac, port);
		check_dst_mac(f);
		return;
	case ETH_IP4:
		check_ip4(f, port);
		break;
	case ETH_IP6:
		check_ip6(f, port);
		break;
	default:
		fz_fail("EtherType 0x%04x, which we never send", f->type);
	}
	check_dst_mac(f);
	/* A fragment's upper-layer header and sum are the whole datagram's: not checkable here. */
	if (!f->fragment)
		check_l4(f, mtu);
}

void
fz_check_counters(const struct ss_stats *st, const char *who)
{
	uint64_t drops = 0;
	unsigned int v;

	for (v = SS_DROP_FIRST; v < SS_VERDICT_MAX; v++)
		drops += st->drop[v];
	if (st->drop[SS_VERDICT_TX] != 0 || st->drop[SS_VERDICT_TCP] != 0 ||
			st->drop[SS_VERDICT_HELD] != 0 ||
			st->rx_pkts != st->rx_answered + st->rx_tcp + st->rx_held + drops)
		fz_fail("%s: rx %lu != answered %lu + to TCP %lu + held %lu + not answered %lu",
				who, (unsigned long)st->rx_pkts, (unsigned long)st->rx_answered,
				(unsigned long)st->rx_tcp, (unsigned long)st->rx_held,
				(unsigned long)drops);
}

/* Where the L3 header starts, or 0 when it is not IPv4 or IPv6. */
static uint16_t
l3_start(const uint8_t *frame, uint16_t len, uint16_t *type)
{
	uint16_t off = RTE_ETHER_HDR_LEN;

	if (len < 18)
		return 0;
	*type = fz_be16(frame + 12);
	if (*type == ETH_VLAN) {
		*type = fz_be16(frame + 16);
		off = 18;
	}
	return (*type == ETH_IP4 || *type == ETH_IP6) ? off : 0;
}

bool
fz_ip6_upper(const uint8_t *frame, uint16_t len, uint16_t *off, uint8_t *nh)
{
	unsigned int hops;

	for (hops = 0; hops < 16; hops++) {
		uint16_t ext;

		if (*nh != 0 && *nh != 43 && *nh != 60 && *nh != 44)
			return true;
		if (*off + 8 > len)
			return false;
		ext = *nh == 44 ? 8 : (frame[*off + 1] + 1) * 8;
		*nh = frame[*off];
		*off += ext;
	}
	return false;
}

bool
fz_fix_checksums(uint8_t *frame, uint16_t len)
{
	uint16_t type = 0, l3 = l3_start(frame, len, &type), l4, end, ck_off;
	uint8_t proto, *ip = frame + l3;
	bool ipv6 = type == ETH_IP6;
	uint32_t s;

	if (l3 == 0)
		return false;
	if (!ipv6) {
		uint16_t ihl = (ip[0] & 0xf) * 4;

		if (len < l3 + 20 || ihl < 20 || len < l3 + ihl)
			return false;
		ip[10] = ip[11] = 0;
		fz_put16(ip + 10, (uint16_t)~fz_sum(ip, ihl, 0));
		end = l3 + fz_be16(ip + 2);
		if (end < l3 + ihl || end > len || (fz_be16(ip + 6) & 0x3fff) != 0)
			return false;
		proto = ip[9];
		l4 = l3 + ihl;
	} else {
		if (len < l3 + 40 || l3 + 40 + fz_be16(ip + 4) > len)
			return false;
		proto = ip[6];
		l4 = l3 + 40;
		end = l4 + fz_be16(ip + 4);
		if (!fz_ip6_upper(frame, end, &l4, &proto))
			return false;
	}
	switch (proto) {
	case P_TCP:
		ck_off = 16;
		break;
	case P_UDP:
		ck_off = 6;
		break;
	case P_ICMP:
	case P_ICMP6:
		ck_off = 2;
		break;
	default:
		return false;
	}
	if (l4 + ck_off + 2 > end)
		return false;
	/* UDP's datagram is what its length says (RFC 768), when that fits the IP payload. */
	if (proto == P_UDP && fz_be16(frame + l4 + 4) >= 8 && fz_be16(frame + l4 + 4) <= end - l4)
		end = l4 + fz_be16(frame + l4 + 4);
	frame[l4 + ck_off] = frame[l4 + ck_off + 1] = 0;
	s = proto == P_ICMP ? 0 : phdr_sum(ip, ipv6, proto, end - l4);
	s = (uint16_t)~fz_sum(frame + l4, end - l4, s);
	if (proto == P_UDP && s == 0)
		s = 0xffff;
	fz_put16(frame + l4 + ck_off, (uint16_t)s);
	return true;
}
