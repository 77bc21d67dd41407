/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TRACE_DECODE_H
#define SS_TRACE_DECODE_H

/*
 * A trace entry (trace.h) in words: a decoder of the headers the worker
 * copied, written apart from the data path's parsers so that it says what
 * is in the frame even where the data path refused it, and a formatter
 * that says, layer by layer, what each decided.
 *
 * The decoder reads only the bytes it is given: a frame cut short (by the
 * wire or by the copy) ends the decode at the layer it cuts.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "trace.h"

enum ss_trace_layer {
	SS_TL_ETH,
	SS_TL_ARP,
	SS_TL_IPV4,
	SS_TL_IPV6,
	SS_TL_ICMP4,
	SS_TL_ICMP6,
	SS_TL_UDP,
	SS_TL_TCP,
	SS_TL_MAX,
};

/* Name of a layer as the trace shows it: "eth", "ipv4", "udp", ... */
const char *ss_trace_layer_name(enum ss_trace_layer l);

#define SS_TRACE_LAYERS 3  /* L2, L3, L4 */
#define SS_TRACE_EXT_MAX 8 /* IPv6 extension headers named */

/* How far the last layer's header got. */
enum ss_trace_cut {
	SS_TRACE_WHOLE,      /* all of it is there */
	SS_TRACE_SHORT,      /* the frame (or the IP length) ends inside it */
	SS_TRACE_NOT_COPIED, /* the frame has it, the copy stops inside it */
};

/* The headers of one frame. Fields are those of the layers in layer[0..n). */
struct ss_trace_hdrs {
	uint16_t len;                   /* the frame's length */
	uint16_t have;                  /* bytes of it decoded from */
	uint8_t n;                      /* layers found */
	uint8_t layer[SS_TRACE_LAYERS]; /* enum ss_trace_layer */
	uint8_t cut;                    /* enum ss_trace_cut, for layer[n - 1] */
	bool fixed;        /* layer[n - 1]'s fixed header is decoded (a cut is past it) */
	uint16_t cut_have; /* with a cut: bytes of that header there ... */
	uint16_t cut_need; /* ... and bytes it needs */
	/* Ethernet */
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	int vlan;           /* VLAN id, or -1 */
	uint16_t ethertype; /* behind the tag */
	/* ARP */
	uint16_t arp_hrd, arp_pro, arp_op;
	uint8_t arp_hln, arp_pln;
	uint8_t arp_sha[6];
	uint8_t arp_spa[4], arp_tpa[4];
	/* IP: addresses in 16 bytes, IPv4 as ::ffff:a.b.c.d */
	uint8_t version; /* the header's own version field */
	uint8_t src[16], dst[16];
	uint8_t ttl;      /* or hop limit */
	uint8_t proto;    /* upper layer, behind any extension headers */
	uint16_t ip_hlen; /* header with options or extension headers */
	uint16_t ip_len;  /* IPv4 total length, IPv6 payload length: as the field says */
	uint16_t frag;    /* IPv4 flags and offset, host order */
	uint8_t n_ext;    /* IPv6 extension headers, in order */
	uint8_t ext[SS_TRACE_EXT_MAX];
	uint16_t l4_len; /* what the IP length leaves for the upper layer */
	/* ICMP, ICMPv6 */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq; /* echo */
	bool nd_target_set;
	uint8_t nd_target[16]; /* neighbour solicitation or advertisement */
	/* UDP, TCP */
	uint16_t sport, dport;
	uint16_t udp_len;
	uint8_t tcp_flags;
	uint8_t tcp_hlen;
	uint16_t tcp_win;
	uint32_t tcp_seq, tcp_ack;
	uint16_t tcp_data; /* payload bytes by the IP length */
};

/*
 * Decode the first have bytes of a frame of len bytes (have <= len). Reads
 * b[0 .. have) and nothing else.
 */
void ss_trace_decode(const uint8_t *b, uint16_t have, uint16_t len, struct ss_trace_hdrs *h);

/* The layer whose check a drop reason is (by its name's prefix), or SS_TL_MAX for none. */
enum ss_trace_layer ss_trace_reason_layer(enum ss_verdict v);

/* An entry in words: named parts, each short enough for a telemetry string. */
#define SS_TRACE_PARTS 10
#define SS_TRACE_TEXT 128

struct ss_trace_text {
	unsigned int n;
	struct {
		const char *key; /* "rx", "eth", ..., "verdict", "outcome", "reply", "conn" */
		char text[SS_TRACE_TEXT];
	} part[SS_TRACE_PARTS];
};

/*
 * Put entry e of worker w into words. cfg (may be NULL) names the service
 * a port leads to.
 */
void ss_trace_format(const struct ss_trace_entry *e, unsigned int w, const struct ss_config *cfg,
		struct ss_trace_text *t);

/*
 * The parts as one line: "w0 #3 port 0 rx 60B: eth ...: ok | ipv4 ... |
 * udp ...: checked, echo | answered: ...", cut to size. Returns its length.
 */
int ss_trace_line(const struct ss_trace_text *t, char *buf, size_t size);

/* The longest line ss_trace_line() writes, with its NUL. */
#define SS_TRACE_LINE_MAX (SS_TRACE_PARTS * (SS_TRACE_TEXT + 8))

#endif /* SS_TRACE_DECODE_H */
