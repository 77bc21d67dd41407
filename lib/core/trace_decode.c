/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "tcp_conn.h"
#include "trace_decode.h"

#define ETH_HDR 14
#define VLAN_HDR 4
#define ARP_HDR 28
#define IP4_HDR 20
#define IP6_HDR 40
#define ICMP_HDR 8
#define ND_HDR 24 /* ICMPv6 header, reserved word, target */
#define UDP_HDR 8
#define TCP_HDR 20

/* EtherTypes and protocol numbers: rte_ether.h's RTE_ETHER_TYPE_* and netinet/in.h's IPPROTO_*. */

static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

static const char *const layer_names[SS_TL_MAX] = {
	[SS_TL_ETH] = "eth",
	[SS_TL_ARP] = "arp",
	[SS_TL_IPV4] = "ipv4",
	[SS_TL_IPV6] = "ipv6",
	[SS_TL_ICMP4] = "icmp4",
	[SS_TL_ICMP6] = "icmp6",
	[SS_TL_UDP] = "udp",
	[SS_TL_TCP] = "tcp",
};

const char *
ss_trace_layer_name(enum ss_trace_layer l)
{
	return l < SS_TL_MAX ? layer_names[l] : "?";
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Are the need bytes of a header at off there, within end (the frame's or
 * the IP packet's end) and within what was copied? If not, the decode
 * stops here, and h says how far the header got.
 */
static bool
room(struct ss_trace_hdrs *h, uint32_t off, uint32_t need, uint32_t end)
{
	uint32_t want = off + need;

	if (want <= end && want <= h->have)
		return true;
	if (want > end) {
		h->cut = SS_TRACE_SHORT;
		h->cut_have = end > off ? end - off : 0;
	} else {
		h->cut = SS_TRACE_NOT_COPIED;
		h->cut_have = h->have > off ? h->have - off : 0;
	}
	h->cut_need = need;
	return false;
}

static void
push_layer(struct ss_trace_hdrs *h, enum ss_trace_layer l)
{
	h->layer[h->n++] = l;
	h->fixed = false;
}

static void
decode_icmp(const uint8_t *b, uint32_t off, uint32_t end, bool v6, struct ss_trace_hdrs *h)
{
	const uint8_t *p = b + off;

	push_layer(h, v6 ? SS_TL_ICMP6 : SS_TL_ICMP4);
	if (!room(h, off, ICMP_HDR, end))
		return;
	h->icmp_type = p[0];
	h->icmp_code = p[1];
	h->icmp_id = be16(p + 4);
	h->icmp_seq = be16(p + 6);
	h->fixed = true;
	/* Neighbour solicitation and advertisement: the target, when it is there. */
	if (v6 && (p[0] == 135 || p[0] == 136) && off + ND_HDR <= end && off + ND_HDR <= h->have) {
		h->nd_target_set = true;
		memcpy(h->nd_target, p + 8, 16);
	}
}

static void
decode_udp(const uint8_t *b, uint32_t off, uint32_t end, struct ss_trace_hdrs *h)
{
	push_layer(h, SS_TL_UDP);
	if (!room(h, off, UDP_HDR, end))
		return;
	h->sport = be16(b + off);
	h->dport = be16(b + off + 2);
	h->udp_len = be16(b + off + 4);
	h->fixed = true;
}

static void
decode_tcp(const uint8_t *b, uint32_t off, uint32_t end, struct ss_trace_hdrs *h)
{
	const uint8_t *p = b + off;

	push_layer(h, SS_TL_TCP);
	if (!room(h, off, TCP_HDR, end))
		return;
	h->sport = be16(p);
	h->dport = be16(p + 2);
	h->tcp_seq = be32(p + 4);
	h->tcp_ack = be32(p + 8);
	h->tcp_hlen = (p[12] >> 4) * 4;
	h->tcp_flags = p[13];
	h->tcp_win = be16(p + 14);
	h->tcp_data = h->l4_len > h->tcp_hlen ? h->l4_len - h->tcp_hlen : 0;
	h->fixed = true;
}

/* The upper layer at off, up to end (the IP length's end or the frame's). */
static void
decode_l4(const uint8_t *b, uint32_t off, uint32_t end, bool v6, struct ss_trace_hdrs *h)
{
	h->l4_len = end > off ? end - off : 0;
	switch (h->proto) {
	case IPPROTO_UDP:
		decode_udp(b, off, end, h);
		break;
	case IPPROTO_TCP:
		decode_tcp(b, off, end, h);
		break;
	case IPPROTO_ICMP:
		if (!v6)
			decode_icmp(b, off, end, false, h);
		break;
	case IPPROTO_ICMPV6:
		if (v6)
			decode_icmp(b, off, end, true, h);
		break;
	}
}

static void
ip_addrs4(const uint8_t *p, struct ss_trace_hdrs *h)
{
	memcpy(h->src, v4mapped, 12);
	memcpy(h->src + 12, p + 12, 4);
	memcpy(h->dst, v4mapped, 12);
	memcpy(h->dst + 12, p + 16, 4);
}

static void
decode_ipv4(const uint8_t *b, uint32_t off, struct ss_trace_hdrs *h)
{
	const uint8_t *p = b + off;
	uint32_t end;

	push_layer(h, SS_TL_IPV4);
	if (!room(h, off, IP4_HDR, h->len))
		return;
	h->version = p[0] >> 4;
	h->ip_hlen = (p[0] & 0xf) * 4;
	h->ip_len = be16(p + 2);
	h->frag = be16(p + 6);
	h->ttl = p[8];
	h->proto = p[9];
	ip_addrs4(p, h);
	h->fixed = true;
	/* Nothing past a header that is not one, nor in a later fragment. */
	if (h->version != 4 || h->ip_hlen < IP4_HDR || h->ip_len < h->ip_hlen ||
			(h->frag & 0x1fff) != 0)
		return;
	if (!room(h, off, h->ip_hlen, h->len))
		return;
	end = RTE_MIN((uint32_t)h->len, off + h->ip_len);
	decode_l4(b, off + h->ip_hlen, end, false, h);
}

/*
 * The extension headers from off up to the upper layer, as ipv6.c walks
 * them; returns the upper layer's offset, or 0 where the walk stops (a
 * header cut short, too many, or a later fragment). Either way h->proto is
 * the last Next Header read: where the walk got to.
 */
static uint32_t
walk_ext(const uint8_t *b, uint32_t l3, uint32_t off, uint32_t end, struct ss_trace_hdrs *h)
{
	uint8_t nh = h->proto;
	uint32_t len;

	while (nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS ||
			nh == IPPROTO_FRAGMENT) {
		h->proto = nh;
		if (h->n_ext == SS_TRACE_EXT_MAX || !room(h, l3, off + 2 - l3, end))
			return 0;
		len = nh == IPPROTO_FRAGMENT ? 8 : (b[off + 1] + 1) * 8u;
		if (!room(h, l3, off + len - l3, end))
			return 0;
		h->ext[h->n_ext++] = nh;
		h->proto = b[off];
		if (nh == IPPROTO_FRAGMENT && (be16(b + off + 2) & 0xfff8) != 0)
			return 0;
		nh = b[off];
		off += len;
	}
	h->proto = nh;
	return off;
}

static void
decode_ipv6(const uint8_t *b, uint32_t off, struct ss_trace_hdrs *h)
{
	const uint8_t *p = b + off;
	uint32_t end, l4;

	push_layer(h, SS_TL_IPV6);
	if (!room(h, off, IP6_HDR, h->len))
		return;
	h->version = p[0] >> 4;
	h->ip_len = be16(p + 4);
	h->proto = p[6];
	h->ttl = p[7];
	memcpy(h->src, p + 8, 16);
	memcpy(h->dst, p + 24, 16);
	h->fixed = true;
	if (h->version != 6)
		return;
	end = RTE_MIN((uint32_t)h->len, off + IP6_HDR + h->ip_len);
	l4 = walk_ext(b, off, off + IP6_HDR, end, h);
	if (l4 == 0)
		return;
	h->ip_hlen = l4 - off;
	decode_l4(b, l4, end, true, h);
}

static void
decode_arp(const uint8_t *b, uint32_t off, struct ss_trace_hdrs *h)
{
	const uint8_t *p = b + off;

	push_layer(h, SS_TL_ARP);
	if (!room(h, off, ARP_HDR, h->len))
		return;
	h->arp_hrd = be16(p);
	h->arp_pro = be16(p + 2);
	h->arp_hln = p[4];
	h->arp_pln = p[5];
	h->arp_op = be16(p + 6);
	memcpy(h->arp_sha, p + 8, 6);
	memcpy(h->arp_spa, p + 14, 4);
	memcpy(h->arp_tpa, p + 24, 4);
	h->fixed = true;
}

void
ss_trace_decode(const uint8_t *b, uint16_t have, uint16_t len, struct ss_trace_hdrs *h)
{
	uint32_t off = ETH_HDR;

	memset(h, 0, sizeof(*h));
	h->len = len;
	h->have = RTE_MIN(have, len);
	h->vlan = -1;
	push_layer(h, SS_TL_ETH);
	if (!room(h, 0, ETH_HDR, h->len))
		return;
	memcpy(h->dst_mac, b, 6);
	memcpy(h->src_mac, b + 6, 6);
	h->ethertype = be16(b + 12);
	h->fixed = true;
	if (h->ethertype == RTE_ETHER_TYPE_VLAN) {
		if (!room(h, 0, ETH_HDR + VLAN_HDR, h->len))
			return;
		h->vlan = be16(b + 14) & 0xfff;
		h->ethertype = be16(b + 16);
		off += VLAN_HDR;
	}
	switch (h->ethertype) {
	case RTE_ETHER_TYPE_IPV4:
		decode_ipv4(b, off, h);
		break;
	case RTE_ETHER_TYPE_IPV6:
		decode_ipv6(b, off, h);
		break;
	case RTE_ETHER_TYPE_ARP:
		decode_arp(b, off, h);
		break;
	}
}

/* Drop reasons by the prefix of their names: the layer whose check each one is. */
static const struct {
	const char *prefix;
	enum ss_trace_layer layer;
} reason_layers[] = {
	{ "eth_", SS_TL_ETH },
	{ "mbuf_", SS_TL_ETH },
	{ "arp_", SS_TL_ARP },
	{ "ipv4_", SS_TL_IPV4 },
	{ "ipv6_", SS_TL_IPV6 },
	{ "icmp4_", SS_TL_ICMP4 },
	{ "icmp6_", SS_TL_ICMP6 },
	{ "nd_", SS_TL_ICMP6 },
	{ "udp_", SS_TL_UDP },
	{ "tcp_", SS_TL_TCP },
};

enum ss_trace_layer
ss_trace_reason_layer(enum ss_verdict v)
{
	const char *name;
	unsigned int i;

	if (v < SS_DROP_FIRST || v >= SS_VERDICT_MAX)
		return SS_TL_MAX;
	name = ss_drop_name(v);
	for (i = 0; i < RTE_DIM(reason_layers); i++)
		if (strncmp(name, reason_layers[i].prefix, strlen(reason_layers[i].prefix)) == 0)
			return reason_layers[i].layer;
	return SS_TL_MAX;
}

/*
 * Formatting: into the parts of a struct ss_trace_text, each a bounded
 * string (snprintf truncates, never overflows; a part cut short ends in
 * "...").
 */

static char *
part_new(struct ss_trace_text *t, const char *key)
{
	if (t->n == SS_TRACE_PARTS)
		return NULL;
	t->part[t->n].key = key;
	t->part[t->n].text[0] = '\0';
	return t->part[t->n++].text;
}

static void cat(char *s, const char *fmt, ...) __rte_format_printf(2, 3);

static void
cat(char *s, const char *fmt, ...)
{
	size_t used = strlen(s);
	va_list ap;

	int n;

	if (used + 1 >= SS_TRACE_TEXT)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s + used, SS_TRACE_TEXT - used, fmt, ap);
	va_end(ap);
	/* Cut short: its end says so. */
	if (n > 0 && used + (size_t)n >= SS_TRACE_TEXT)
		memcpy(s + SS_TRACE_TEXT - 4, "...", 4);
}

static void
cat_mac(char *s, const uint8_t *m)
{
	cat(s, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* An address of 16 bytes (IPv4 as ::ffff:a.b.c.d), in the family's own notation. */
static void
cat_ip(char *s, const uint8_t *a, bool v6)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? a : a + 12, buf, sizeof(buf));
	cat(s, "%s", buf);
}

static void
cat_cut(char *s, const struct ss_trace_hdrs *h)
{
	if (h->cut == SS_TRACE_SHORT)
		cat(s, "truncated, %u of %u bytes", h->cut_have, h->cut_need);
	else
		cat(s, "%u of %u bytes copied, the rest not", h->cut_have, h->cut_need);
}

static const char *
ethertype_name(uint16_t type)
{
	switch (type) {
	case RTE_ETHER_TYPE_IPV4:
		return "ipv4";
	case RTE_ETHER_TYPE_IPV6:
		return "ipv6";
	case RTE_ETHER_TYPE_ARP:
		return "arp";
	case RTE_ETHER_TYPE_VLAN:
		return "vlan";
	case RTE_ETHER_TYPE_QINQ:
		return "qinq";
	default:
		return NULL;
	}
}

static void
cat_eth(char *s, const struct ss_trace_hdrs *h)
{
	const char *type = ethertype_name(h->ethertype);

	cat_mac(s, h->src_mac);
	cat(s, ">");
	cat_mac(s, h->dst_mac);
	if (h->vlan >= 0)
		cat(s, " vlan %d", h->vlan);
	if (type != NULL)
		cat(s, " %s", type);
	else
		cat(s, " type 0x%04x", h->ethertype);
}

static void
cat_arp(char *s, const struct ss_trace_hdrs *h)
{
	if (h->arp_hrd != 1 || h->arp_pro != RTE_ETHER_TYPE_IPV4 || h->arp_hln != 6 ||
			h->arp_pln != 4)
		cat(s, "hw %u proto 0x%04x lengths %u/%u op %u", h->arp_hrd, h->arp_pro, h->arp_hln,
				h->arp_pln, h->arp_op);
	else if (h->arp_op == 1)
		cat(s, "request who-has %u.%u.%u.%u tell %u.%u.%u.%u", h->arp_tpa[0], h->arp_tpa[1],
				h->arp_tpa[2], h->arp_tpa[3], h->arp_spa[0], h->arp_spa[1],
				h->arp_spa[2], h->arp_spa[3]);
	else if (h->arp_op == 2) {
		cat(s, "reply %u.%u.%u.%u is-at ", h->arp_spa[0], h->arp_spa[1], h->arp_spa[2],
				h->arp_spa[3]);
		cat_mac(s, h->arp_sha);
	} else
		cat(s, "op %u", h->arp_op);
}

static void
cat_proto(char *s, uint8_t proto, bool v6)
{
	if (proto == IPPROTO_UDP)
		cat(s, " udp");
	else if (proto == IPPROTO_TCP)
		cat(s, " tcp");
	else if (proto == (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
		cat(s, v6 ? " icmp6" : " icmp4");
	else
		cat(s, " proto %u", proto);
}

static const char *
ext_name(uint8_t nh)
{
	switch (nh) {
	case IPPROTO_HOPOPTS:
		return "hbh";
	case IPPROTO_ROUTING:
		return "rt";
	case IPPROTO_FRAGMENT:
		return "frag";
	default:
		return "dst";
	}
}

static void
cat_ipv4(char *s, const struct ss_trace_hdrs *h)
{
	if (h->version != 4) {
		cat(s, "version %u", h->version);
		return;
	}
	cat_ip(s, h->src, false);
	cat(s, ">");
	cat_ip(s, h->dst, false);
	cat(s, " ttl %u len %u", h->ttl, h->ip_len);
	if (h->ip_hlen < IP4_HDR)
		cat(s, " ihl %u", h->ip_hlen / 4);
	else if (h->ip_hlen > IP4_HDR)
		cat(s, " options %uB", h->ip_hlen - IP4_HDR);
	if (h->frag & 0x3fff)
		cat(s, " frag offset %u%s", (h->frag & 0x1fff) * 8,
				(h->frag & 0x2000) ? " MF" : "");
	cat_proto(s, h->proto, false);
}

static void
cat_ipv6(char *s, const struct ss_trace_hdrs *h)
{
	unsigned int i;

	if (h->version != 6) {
		cat(s, "version %u", h->version);
		return;
	}
	cat_ip(s, h->src, true);
	cat(s, ">");
	cat_ip(s, h->dst, true);
	cat(s, " hlim %u plen %u", h->ttl, h->ip_len);
	for (i = 0; i < h->n_ext; i++)
		cat(s, "%s%s", i == 0 ? " ext " : ",", ext_name(h->ext[i]));
	cat_proto(s, h->proto, true);
}

static void
cat_icmp(char *s, const struct ss_trace_hdrs *h, bool v6)
{
	uint8_t t = h->icmp_type;

	if (t == (v6 ? 128 : 8) || t == (v6 ? 129 : 0))
		cat(s, "%s id %u seq %u", t == (v6 ? 128 : 8) ? "echo-request" : "echo-reply",
				h->icmp_id, h->icmp_seq);
	else if (t == (v6 ? 1 : 3) && h->icmp_code == (v6 ? 4 : 3))
		cat(s, "port-unreachable");
	else if (t == (v6 ? 1 : 3))
		cat(s, "unreachable code %u", h->icmp_code);
	else if (v6 && (t == 135 || t == 136))
		cat(s, "%s", t == 135 ? "neighbour-solicit" : "neighbour-advert");
	else
		cat(s, "type %u code %u", t, h->icmp_code);
	if (h->nd_target_set) {
		cat(s, " target ");
		cat_ip(s, h->nd_target, true);
	}
}

static void
cat_tcp_flags(char *s, uint8_t f)
{
	static const char letters[] = "FSRPAUEC";
	unsigned int i;

	cat(s, "[");
	for (i = 0; i < 8; i++)
		if (f & (1u << i))
			cat(s, "%c", letters[i]);
	cat(s, "]");
}

static void
cat_tcp(char *s, const struct ss_trace_hdrs *h)
{
	cat(s, "%u>%u ", h->sport, h->dport);
	cat_tcp_flags(s, h->tcp_flags);
	cat(s, " seq %u", h->tcp_seq);
	if (h->tcp_flags & 0x10)
		cat(s, " ack %u", h->tcp_ack);
	cat(s, " win %u", h->tcp_win);
	if (h->tcp_hlen != TCP_HDR)
		cat(s, " hlen %u", h->tcp_hlen);
	if (h->tcp_data > 0)
		cat(s, " %uB", h->tcp_data);
}

/* Layer i of h, decoded: what is in its header (or how far it got). */
static void
cat_layer(char *s, const struct ss_trace_hdrs *h, unsigned int i)
{
	bool v6 = h->n > 1 && h->layer[1] == SS_TL_IPV6;

	bool cut = i == h->n - 1u && h->cut != SS_TRACE_WHOLE;

	if (cut && !h->fixed) {
		cat_cut(s, h);
		return;
	}
	switch (h->layer[i]) {
	case SS_TL_ETH:
		cat_eth(s, h);
		break;
	case SS_TL_ARP:
		cat_arp(s, h);
		break;
	case SS_TL_IPV4:
		cat_ipv4(s, h);
		break;
	case SS_TL_IPV6:
		cat_ipv6(s, h);
		break;
	case SS_TL_ICMP4:
	case SS_TL_ICMP6:
		cat_icmp(s, h, v6);
		break;
	case SS_TL_UDP:
		cat(s, "%u>%u len %u", h->sport, h->dport, h->udp_len);
		break;
	case SS_TL_TCP:
		cat_tcp(s, h);
		break;
	}
	if (cut) {
		cat(s, ", then ");
		cat_cut(s, h);
	}
}

/* The service a port of transport t leads to, or NULL for none. */
static const char *
service(const struct ss_config *cfg, enum ss_transport t, uint16_t port)
{
	uint8_t svc = cfg->port_map[t][port];

	return svc < SS_SVC_MAX ? ss_svc_name(svc) : NULL;
}

/* What a layer the packet got through decided. */
static void
cat_passed(char *s, const struct ss_trace_hdrs *h, unsigned int i, const struct ss_config *cfg)
{
	enum ss_trace_layer l = h->layer[i];
	const char *svc;

	if (l == SS_TL_ETH)
		cat(s, (h->dst_mac[0] & 1) ? "ok, multicast" : "ok");
	else if (l == SS_TL_ARP)
		cat(s, "ours");
	else if (l == SS_TL_IPV4 || l == SS_TL_IPV6)
		cat(s,
				l == SS_TL_IPV6 && h->dst[0] == 0xff ? "checked, to a group" :
								       "checked, to us");
	else if (l == SS_TL_UDP || l == SS_TL_TCP) {
		cat(s, "checked");
		if (cfg == NULL)
			return;
		svc = service(cfg, l == SS_TL_UDP ? SS_UDP : SS_TCP, h->dport);
		cat(s, ", %s", svc != NULL ? svc : "closed port");
	} else
		cat(s, "checked");
}

/* The last layer shown: for a drop, the one whose check it is (else the deepest decoded). */
static unsigned int
last_layer(const struct ss_trace_hdrs *h, enum ss_verdict v)
{
	enum ss_trace_layer l = ss_trace_reason_layer(v);
	unsigned int i;

	if (v < SS_DROP_FIRST)
		return h->n - 1;
	for (i = h->n; i-- > 0;)
		if (h->layer[i] == l)
			return i;
	return h->n - 1;
}

static void
format_layers(struct ss_trace_text *t, const struct ss_trace_hdrs *h, enum ss_verdict v,
		const struct ss_config *cfg)
{
	unsigned int i, last = last_layer(h, v);
	char *s;

	for (i = 0; i <= last; i++) {
		s = part_new(t, ss_trace_layer_name(h->layer[i]));
		if (s == NULL)
			return;
		cat_layer(s, h, i);
		cat(s, ": ");
		if (i == last && v >= SS_DROP_FIRST)
			cat(s, "%s", v < SS_VERDICT_MAX ? ss_drop_name(v) : "?");
		else if (i == h->n - 1u && h->cut != SS_TRACE_WHOLE)
			cat(s, "not decoded further");
		else
			cat_passed(s, h, i, cfg);
	}
}

/* The reply, briefly: the L3 addresses (or ARP) and the upper layer. */
static void
format_reply(char *s, const struct ss_trace_entry *e)
{
	struct ss_trace_hdrs h;
	bool v6;

	ss_trace_decode(e->rep, e->rep_n, e->rep_len, &h);
	if (h.n >= 2 && h.layer[1] == SS_TL_ARP && h.cut == SS_TRACE_WHOLE) {
		cat(s, "arp ");
		cat_arp(s, &h);
	} else if (h.n >= 2 && (h.layer[1] == SS_TL_IPV4 || h.layer[1] == SS_TL_IPV6) &&
			(h.n > 2 || h.cut == SS_TRACE_WHOLE)) {
		v6 = h.layer[1] == SS_TL_IPV6;
		cat_ip(s, h.src, v6);
		cat(s, ">");
		cat_ip(s, h.dst, v6);
		if (h.n > 2) {
			cat(s, " %s ", ss_trace_layer_name(h.layer[2]));
			cat_layer(s, &h, 2);
		} else
			cat_proto(s, h.proto, v6);
	} else {
		cat(s, "?");
	}
	cat(s, " (%uB frame)", e->rep_len);
}

static const char *const state_names[] = {
	[SS_TCP_CLOSED] = "CLOSED",
	[SS_TCP_SYN_RECEIVED] = "SYN-RECEIVED",
	[SS_TCP_ESTABLISHED] = "ESTABLISHED",
	[SS_TCP_FIN_WAIT_1] = "FIN-WAIT-1",
	[SS_TCP_FIN_WAIT_2] = "FIN-WAIT-2",
	[SS_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[SS_TCP_CLOSING] = "CLOSING",
	[SS_TCP_LAST_ACK] = "LAST-ACK",
	[SS_TCP_TIME_WAIT] = "TIME-WAIT",
};

/* What TCP made of the request's connection, by the end of its burst. */
static void
format_conn(char *s, const struct ss_trace_entry *e)
{
	unsigned int i;

	if (!(e->flags & SS_TRACE_F_CONN))
		cat(s, "no connection");
	else if (e->conn_state < RTE_DIM(state_names) && state_names[e->conn_state] != NULL)
		cat(s, "%s", state_names[e->conn_state]);
	else
		cat(s, "state %u", e->conn_state);
	if (e->n_segs == 0)
		cat(s, ", nothing queued for it");
	else
		cat(s, ", %u segment%s queued for it:", e->n_segs, e->n_segs == 1 ? "" : "s");
	for (i = 0; i < RTE_MIN(e->n_segs, (uint16_t)SS_TRACE_SEGS); i++) {
		cat(s, "%s", i == 0 ? " " : ", ");
		cat_tcp_flags(s, e->seg[i].flags);
		cat(s, " %uB", e->seg[i].len);
	}
	if (e->n_segs > SS_TRACE_SEGS)
		cat(s, ", ...");
	if (e->flags & SS_TRACE_F_SEGS_LOST)
		cat(s, " (some may have gone out before they could be seen)");
}

static void
format_outcome(struct ss_trace_text *t, const struct ss_trace_entry *e)
{
	enum ss_verdict v = e->verdict;
	char *s;

	if ((s = part_new(t, "verdict")) != NULL)
		cat(s, "%s",
				v == SS_VERDICT_TX                 ? "answered" :
						v < SS_VERDICT_MAX ? ss_drop_name(v) :
								     "?");
	if ((s = part_new(t, "outcome")) != NULL) {
		if (v == SS_VERDICT_TX)
			cat(s, "answered");
		else if (v == SS_VERDICT_TCP)
			cat(s, "to TCP");
		else if (v == SS_VERDICT_HELD)
			cat(s, "held for reassembly");
		else
			cat(s, "dropped: %s", v < SS_VERDICT_MAX ? ss_drop_desc(v) : "?");
	}
	if (v == SS_VERDICT_TX && (s = part_new(t, "reply")) != NULL)
		format_reply(s, e);
	if ((e->flags & SS_TRACE_F_TCP) && (s = part_new(t, "conn")) != NULL)
		format_conn(s, e);
}

void
ss_trace_format(const struct ss_trace_entry *e, unsigned int w, const struct ss_config *cfg,
		struct ss_trace_text *t)
{
	struct ss_trace_hdrs h;
	char *s;

	t->n = 0;
	s = part_new(t, "rx");
	cat(s, "w%u #%u port %u rx %uB", w, e->seq, e->port_id, e->rx_len);
	ss_trace_decode(e->req, e->req_n, e->rx_len, &h);
	format_layers(t, &h, e->verdict, cfg);
	format_outcome(t, e);
}

static bool
is_layer(const char *key)
{
	unsigned int l;

	for (l = 0; l < SS_TL_MAX; l++)
		if (strcmp(key, layer_names[l]) == 0)
			return true;
	return false;
}

int
ss_trace_line(const struct ss_trace_text *t, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int i;
	int n;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < t->n; i++) {
		const char *key = t->part[i].key, *text = t->part[i].text;

		/* Machine-readable only: the outcome and the layer's decision say it. */
		if (strcmp(key, "verdict") == 0)
			continue;
		if (i == 0)
			n = snprintf(buf + used, size - used, "%s:", text);
		else if (is_layer(key) || strcmp(key, "conn") == 0)
			n = snprintf(buf + used, size - used, "%s %s %s", i == 1 ? "" : " |", key,
					text);
		else if (strcmp(key, "reply") == 0)
			n = snprintf(buf + used, size - used, ": %s", text);
		else
			n = snprintf(buf + used, size - used, " | %s", text);
		if (n < 0)
			return n;
		used += (size_t)n;
		if (used >= size)
			used = size > 0 ? size - 1 : 0;
	}
	return (int)used;
}
