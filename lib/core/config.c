/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <rte_cfgfile.h>

#include "addr.h"
#include "config.h"
#include "config_parse.h"
#include "trace.h"
#include "daytime.h"
#include "qotd.h"

/* Source ports of always-reply UDP services: see docs/protocols.md, "UDP loops". */
#define LOOP_GUARD_DEFAULT "0 7 9 11 13 17 19 37 53 69 123 161"

enum section_kind {
	SECTION_GENERAL,
	SECTION_PORT,
	SECTION_SERVICE,
	SECTION_ABUSE,
	SECTION_TCP,
	SECTION_IP,
	SECTION_UNKNOWN,
};

typedef int (*key_setter)(struct ss_config *cfg, unsigned int idx, const char *value, char *err,
		size_t errlen);

/* A key: its section, its setter, and for smallsrv(8) its default and what it does. */
struct key_def {
	enum section_kind section;
	int svc; /* for SECTION_SERVICE: -1 = every service, else only this one */
	const char *key;
	key_setter set;
	const char *def; /* as config/smallsrv.ini writes it; NULL: none, or per service */
	const char *doc;
};

static int
set_u16(uint16_t *field, const char *value, uint64_t min, uint64_t max, char *err, size_t errlen)
{
	uint64_t v;

	if (ss_parse_uint(value, min, max, &v, err, errlen) < 0)
		return -1;
	*field = v;
	return 0;
}

static int
set_u32(uint32_t *field, const char *value, uint64_t min, uint64_t max, char *err, size_t errlen)
{
	uint64_t v;

	if (ss_parse_uint(value, min, max, &v, err, errlen) < 0)
		return -1;
	*field = v;
	return 0;
}

static int
set_rx_desc(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return set_u16(&cfg->rx_desc, v, 64, 16384, err, len);
}

static int
set_tx_desc(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return set_u16(&cfg->tx_desc, v, 64, 16384, err, len);
}

static int
set_burst(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return set_u16(&cfg->burst, v, 1, 256, err, len);
}

static int
set_trace(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return set_u16(&cfg->trace, v, 0, SS_TRACE_ARM_MAX, err, len);
}

static int
set_fast_path(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return ss_parse_bool(v, &cfg->fast_path, err, len);
}

static int
set_tx_cksum_offload(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return ss_parse_bool(v, &cfg->tx_cksum_offload, err, len);
}

static int
set_port_ipv4(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	struct ss_port_cfg *p = &cfg->port[idx];
	char tok[SS_MAX_ADDRS][64];
	int n, i;

	n = ss_parse_list(v, tok, SS_MAX_ADDRS, err, len);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ss_parse_ip4_prefix(tok[i], &p->ip4[i], err, len) < 0)
			return -1;
	p->n_ip4 = n;
	return 0;
}

static int
set_port_ipv6(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	struct ss_port_cfg *p = &cfg->port[idx];
	char tok[SS_MAX_ADDRS][64];
	int n, i;

	n = ss_parse_list(v, tok, SS_MAX_ADDRS, err, len);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ss_parse_ip6_prefix(tok[i], &p->ip6[i], err, len) < 0)
			return -1;
	p->n_ip6 = n;
	ss_ip6_list_index(p);
	return 0;
}

/* auto, off, or an address of fe80::/64 (RFC 4291 2.5.6) other than fe80:: itself. */
static int
set_port_ipv6_link_local(struct ss_config *cfg, unsigned int idx, const char *v, char *err,
		size_t len)
{
	static const uint8_t zero_iid[8]; /* fe80::, the subnet-router anycast (2.6.1) */
	struct ss_port_cfg *p = &cfg->port[idx];
	uint8_t a[16];

	if (strcmp(v, "auto") == 0) {
		p->link_local = SS_LINK_LOCAL_AUTO;
	} else if (strcmp(v, "off") == 0) {
		p->link_local = SS_LINK_LOCAL_OFF;
	} else if (inet_pton(AF_INET6, v, a) == 1 && ss_ip6_is_linklocal64(a) &&
			memcmp(a + 8, zero_iid, 8) != 0) {
		p->link_local = SS_LINK_LOCAL_ADDR;
		memcpy(p->link_local_addr, a, 16);
	} else {
		snprintf(err, len, "must be auto, off, or an address in fe80::/64 (without /64)");
		return -1;
	}
	return 0;
}

static int
set_port_mtu(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	/* 1280: IPv6's minimum; 9000: the largest jumbo frame we size mbufs for. */
	return set_u16(&cfg->port[idx].mtu, v, 1280, 9000, err, len);
}

static int
set_svc_on(struct ss_config *cfg, unsigned int svc, enum ss_transport t, const char *v, char *err,
		size_t len)
{
	return ss_parse_bool(v, &cfg->svc[svc][t].enabled, err, len);
}

static int
set_svc_udp(struct ss_config *cfg, unsigned int svc, const char *v, char *err, size_t len)
{
	return set_svc_on(cfg, svc, SS_UDP, v, err, len);
}

static int
set_svc_tcp(struct ss_config *cfg, unsigned int svc, const char *v, char *err, size_t len)
{
	return set_svc_on(cfg, svc, SS_TCP, v, err, len);
}

static int
set_svc_udp_port(struct ss_config *cfg, unsigned int svc, const char *v, char *err, size_t len)
{
	return set_u16(&cfg->svc[svc][SS_UDP].port, v, 1, 65535, err, len);
}

static int
set_svc_tcp_port(struct ss_config *cfg, unsigned int svc, const char *v, char *err, size_t len)
{
	return set_u16(&cfg->svc[svc][SS_TCP].port, v, 1, 65535, err, len);
}

static int
set_daytime_format(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return ss_daytime_set_style(&cfg->daytime, v, err, len);
}

static int
set_daytime_pattern(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	if (strlen(v) >= sizeof(cfg->daytime.pattern)) {
		snprintf(err, len, "longer than %zu characters", sizeof(cfg->daytime.pattern) - 1);
		return -1;
	}
	if (cfg->daytime.style != SS_DAYTIME_CUSTOM) {
		snprintf(err, len, "needs format = custom before it");
		return -1;
	}
	strcpy(cfg->daytime.pattern, v);
	return 0;
}

static int
set_daytime_tz(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return ss_daytime_set_timezone(&cfg->daytime, v, err, len);
}

static int
set_chargen_udp_mode(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	if (strcmp(v, "line") == 0)
		cfg->chargen_udp_mode = SS_CHARGEN_UDP_LINE;
	else if (strcmp(v, "random") == 0)
		cfg->chargen_udp_mode = SS_CHARGEN_UDP_RANDOM;
	else {
		snprintf(err, len, "must be line or random");
		return -1;
	}
	return 0;
}

static int
set_qotd_file(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	if (strlen(v) >= sizeof(cfg->qotd_file)) {
		snprintf(err, len, "path too long");
		return -1;
	}
	if (access(v, R_OK) != 0) {
		snprintf(err, len, "cannot read the file");
		return -1;
	}
	strcpy(cfg->qotd_file, v);
	return 0;
}

static int
set_loop_guard(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return ss_parse_bool(v, &cfg->abuse.loop_guard, err, len);
}

static int
set_loop_guard_ports(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	uint64_t *bits = cfg->abuse.loop_ports_listed;
	char tok[64][64];
	uint64_t port;
	int n, i;

	(void)idx;
	n = ss_parse_list(v, tok, 64, err, len);
	if (n < 0)
		return -1;
	memset(cfg->abuse.loop_ports_listed, 0, sizeof(cfg->abuse.loop_ports_listed));
	for (i = 0; i < n; i++) {
		if (ss_parse_uint(tok[i], 0, 65535, &port, err, len) < 0)
			return -1;
		bits[port >> 6] |= UINT64_C(1) << (port & 63);
	}
	return 0;
}

static int
set_source_check(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return ss_parse_bool(v, &cfg->abuse.source_check, err, len);
}

#define RATE_SETTERS(field, max)                                                               \
	static int set_##field##_rate(struct ss_config *cfg, unsigned int idx, const char *v,  \
			char *err, size_t len)                                                 \
	{                                                                                      \
		(void)idx;                                                                     \
		return set_u32(&cfg->abuse.field.rate, v, 0, max, err, len);                   \
	}                                                                                      \
	static int set_##field##_burst(struct ss_config *cfg, unsigned int idx, const char *v, \
			char *err, size_t len)                                                 \
	{                                                                                      \
		(void)idx;                                                                     \
		return set_u32(&cfg->abuse.field.burst, v, 1, max, err, len);                  \
	}

RATE_SETTERS(amplify_per_source, 100000000)
RATE_SETTERS(amplify_global, 1000000000)
RATE_SETTERS(icmp_error, 100000000)

static int
set_ratelimit_sources(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	uint32_t n;

	(void)idx;
	if (set_u32(&n, v, 16, 1u << 24, err, len) < 0)
		return -1;
	if ((n & (n - 1)) != 0) {
		snprintf(err, len, "must be a power of 2");
		return -1;
	}
	cfg->abuse.ratelimit_sources = n;
	return 0;
}

static int
set_ipv6_source_prefix(struct ss_config *cfg, unsigned int idx, const char *v, char *err,
		size_t len)
{
	uint32_t n;

	(void)idx;
	if (set_u32(&n, v, 1, 128, err, len) < 0)
		return -1;
	cfg->abuse.ipv6_source_prefix = n;
	return 0;
}

static int
set_clock_min_year(struct ss_config *cfg, unsigned int idx, const char *v, char *err, size_t len)
{
	(void)idx;
	return set_u32(&cfg->abuse.clock_min_year, v, 1970, 9999, err, len);
}

/* [tcp] and [ip]: every key is a bounded number in a field of the section's struct. */
struct num_key {
	const char *key;
	size_t offset;
	size_t size; /* 2 or 4 bytes */
	uint64_t min;
	uint64_t max;
	const char *doc; /* for smallsrv(8); the default is ss_config_defaults()' */
};

/* clang-format off: a braced list as a macro's body, which it takes for a block */
#define NUM_KEY(type, k, field, lo, hi, doc)                                         \
	{                                                                            \
		k, offsetof(type, field), RTE_SIZEOF_FIELD(type, field), lo, hi, doc \
	}
/* clang-format on */

#define TCP_KEY(k, field, lo, hi, doc) NUM_KEY(struct ss_tcp_cfg, k, field, lo, hi, doc)
static const struct num_key tcp_keys[] = {
	TCP_KEY("max_connections", max_connections, 1, 1u << 26,
			"Connections in all, each worker taking its share; about 200 bytes each. "
			"TIME-WAIT entries never make the table refuse one: the oldest is taken. "
			"Counters: table_full, refused."),
	TCP_KEY("max_half_open", max_half_open, 0, 1u << 24,
			"Per worker: handshakes given a table entry, whose SYN-ACK is "
			"retransmitted; beyond it SYNs get a SYN cookie and no state (SYN "
			"floods)."),
	TCP_KEY("max_half_open_per_source", max_half_open_per_source, 0, 65535,
			"Likewise per worker and source, so that SYNs spoofed from a victim's "
			"address draw at most this many entries' worth of SYN-ACKs."),
	TCP_KEY("max_per_source", max_per_source, 1, 65535,
			"Established connections from one source ([abuse] ipv6_source_prefix), "
			"per worker; half-open ones do not count. Counter: source_full."),
	TCP_KEY("mss", mss, 536, 9000 - 40, "The MSS announced, lowered to fit the port's MTU."),
	TCP_KEY("window", window, 1024, 1u << 30,
			"The receive window announced (scaled when the peer scales)."),
	TCP_KEY("echo_buffer", echo_buffer, 1024, 1u << 24,
			"Bytes echo holds at most per connection, returned but not yet "
			"acknowledged; its window shrinks as it fills."),
	TCP_KEY("rto_initial_ms", rto_initial_ms, 10, 60000,
			"Initial retransmission timeout (RFC 6298)."),
	TCP_KEY("rto_min_ms", rto_min_ms, 1, 60000,
			"Floor of the retransmission timeout (Linux's 200 ms rather than the "
			"RFC's 1 s, for LANs); at most rto_max_ms."),
	TCP_KEY("rto_max_ms", rto_max_ms, 100, 60000, "Ceiling of the retransmission timeout."),
	TCP_KEY("max_retries", max_retries, 1, 30,
			"Timeouts in a row before a connection is given up."),
	TCP_KEY("syn_retries", syn_retries, 0, 10,
			"SYN-ACK retransmissions before a handshake entry is dropped."),
	TCP_KEY("idle_timeout_ms", idle_timeout_ms, 100, 86400000,
			"echo and discard: nothing from the client that long ends the connection "
			"(RST)."),
	TCP_KEY("zero_window_timeout_ms", zero_window_timeout_ms, 100, 86400000,
			"A window shut that long while there is data to send ends the connection "
			"(RST)."),
	TCP_KEY("fin_wait2_timeout_ms", fin_wait2_timeout_ms, 100, 86400000,
			"FIN-WAIT-2 that long ends the connection."),
	TCP_KEY("time_wait_ms", time_wait_ms, 0, 240000,
			"TIME-WAIT after daytime, time and qotd, which close first (2 MSL)."),
	TCP_KEY("invalid_ack_interval_ms", invalid_ack_interval_ms, 0, 60000,
			"At most one answer per connection this often to segments that are not "
			"acceptable and carry neither data nor FIN (challenge ACKs included); 0: "
			"no limit. Counter: invalid_ack_limited."),
	TCP_KEY("challenge_ack_rate", challenge_ack_rate, 0, 100000000,
			"RFC 5961 challenge ACKs per second in all, each second's budget drawn "
			"between half and one and a half times this; 0: no global limit. Counter:"
			" challenge_ack_limited."),
	TCP_KEY("max_held_per_source", max_held_per_source, 65536, 1u << 31,
			"Bytes of whole mbufs the connections of one source may hold (echo data "
			"not yet acknowledged, segments ahead of a hole); past it, its echo "
			"windows shut. Counters: hold_source_full, hold_full."),
};
#undef TCP_KEY

#define IP_KEY(k, field, lo, hi, doc) NUM_KEY(struct ss_ip_cfg, k, field, lo, hi, doc)
static const struct num_key ip_keys[] = {
	IP_KEY("reassembly_datagrams", reasm_datagrams, 0, 65536,
			"Datagrams in reassembly at once, per worker; 0 turns reassembly off "
			"(fragments are dropped: ipv4_fragment, ipv6_fragment). Past it: "
			"frag_table_full."),
	IP_KEY("reassembly_fragments", reasm_fragments, 2, SS_REASM_FRAGMENTS_MAX,
			"Fragments one datagram may arrive in."),
	IP_KEY("reassembly_held", reasm_held, 2, 1u << 20,
			"Fragments held at once per worker, each a whole mbuf (about 2.2 KiB)."),
	IP_KEY("reassembly_per_source", reasm_per_source, 1, 65535,
			"Datagrams in reassembly from one source ([abuse] ipv6_source_prefix)."),
	IP_KEY("reassembly_timeout_ms", reasm_timeout_ms, 1, 60000,
			"From a datagram's first fragment to its last."),
};
#undef IP_KEY
#undef NUM_KEY

/* Set key of table (n keys) in the struct at base; -1 with "unknown key" if not there. */
static int
set_num_key(void *base, const struct num_key *table, unsigned int n, const char *key, const char *v,
		char *err, size_t len)
{
	unsigned int i;
	uint64_t val;
	char *field;

	for (i = 0; i < n; i++) {
		if (strcmp(table[i].key, key) != 0)
			continue;
		if (ss_parse_uint(v, table[i].min, table[i].max, &val, err, len) < 0)
			return -1;
		field = (char *)base + table[i].offset;
		if (table[i].size == sizeof(uint16_t))
			*(uint16_t *)field = val;
		else
			*(uint32_t *)field = val;
		return 0;
	}
	snprintf(err, len, "unknown key");
	return -1;
}

static int
set_tcp_key(struct ss_config *cfg, const char *key, const char *v, char *err, size_t len)
{
	/* Gone with its meaning: say so, rather than "unknown" to a config that had it. */
	if (strcmp(key, "challenge_ack_burst") == 0) {
		snprintf(err, len,
				"no longer a key: the challenge-ACK budget is drawn each second "
				"(challenge_ack_rate), and each connection answers once per "
				"invalid_ack_interval_ms");
		return -1;
	}
	return set_num_key(&cfg->tcp, tcp_keys, RTE_DIM(tcp_keys), key, v, err, len);
}

static const struct key_def keys[] = {
	{ SECTION_GENERAL, -1, "rx_desc", set_rx_desc, "1024",
			"Descriptors per RX queue (64..16384; the PMD may round them)." },
	{ SECTION_GENERAL, -1, "tx_desc", set_tx_desc, "1024",
			"Descriptors per TX queue (64..16384; the PMD may round them)." },
	{ SECTION_GENERAL, -1, "burst", set_burst, "32",
			"Packets taken from a queue at a time (1..256)." },
	{ SECTION_GENERAL, -1, "trace", set_trace, "0",
			"Trace the first N packets of each worker (0..65535): what each layer "
			"made of them, printed at exit and read with telemetry /smallsrv/trace; "
			"/smallsrv/trace_arm,N traces N more." },
	{ SECTION_GENERAL, -1, "fast_path", set_fast_path, "on",
			"on or off: the common frames (plain IPv4 or IPv6 UDP to a service) in "
			"straight-line code first, the rest through the general path; the same "
			"replies and counters either way." },
	{ SECTION_GENERAL, -1, "tx_cksum_offload", set_tx_cksum_offload, "on",
			"on or off: leave the IPv4, UDP and TCP checksums of what is sent to the "
			"port where it offers to compute them; off, every sum is computed in "
			"software." },
	{ SECTION_PORT, -1, "ipv4", set_port_ipv4, NULL,
			"The port's IPv4 addresses, ADDR/LEN, up to 8, separated by spaces or "
			"commas (--ipv4 for port 0). Every port needs an IPv4 or IPv6 address." },
	{ SECTION_PORT, -1, "ipv6", set_port_ipv6, NULL,
			"The port's IPv6 addresses, ADDR/LEN, up to 8 (--ipv6 for port 0)." },
	{ SECTION_PORT, -1, "mtu", set_port_mtu, "1500",
			"IP MTU of the port (1280..9000). Replies that would not fit are dropped "
			"and counted (reply_exceeds_mtu), never truncated." },
	{ SECTION_PORT, -1, "ipv6_link_local", set_port_ipv6_link_local, "auto",
			"The port's IPv6 link-local address: auto (fe80::/64 and the modified "
			"EUI-64 of the port's MAC, unless ipv6 lists a link-local address), off, "
			"or an address of fe80::/64 without /64." },
	{ SECTION_SERVICE, -1, "udp", set_svc_udp, NULL,
			"on or off: the service over UDP (default on, qotd off)." },
	{ SECTION_SERVICE, -1, "tcp", set_svc_tcp, NULL,
			"on or off: the service over TCP (default on, qotd off)." },
	{ SECTION_SERVICE, -1, "udp_port", set_svc_udp_port, NULL,
			"The UDP port it answers on (1..65535; default its well-known port)." },
	{ SECTION_SERVICE, -1, "tcp_port", set_svc_tcp_port, NULL,
			"The TCP port it listens on (1..65535; default its well-known port)." },
	{ SECTION_SERVICE, SS_SVC_DAYTIME, "format", set_daytime_format, "bsd",
			"The daytime line: bsd (Thu Nov 26 10:36:15 2026), cisco (Friday, "
			"November 18, 2022 13:03:03-UTC), xinetd (18 NOV 2022 12:03:18 UTC), "
			"rfc867 (Tuesday, February 22, 1982 17:37:43-PST), or custom (the "
			"strftime pattern given as pattern)." },
	{ SECTION_SERVICE, SS_SVC_DAYTIME, "pattern", set_daytime_pattern, NULL,
			"With format = custom (set before it): a strftime(3) pattern, up to 127 "
			"characters." },
	{ SECTION_SERVICE, SS_SVC_DAYTIME, "timezone", set_daytime_tz, "UTC",
			"UTC, a zoneinfo name (Europe/Berlin) or a POSIX TZ string "
			"(CET-1CEST,M3.5.0,M10.5.0/3)." },
	{ SECTION_SERVICE, SS_SVC_CHARGEN, "udp_mode", set_chargen_udp_mode, "line",
			"line: one 74-byte line per datagram, the ring going on from one datagram"
			" to the next (what nmap expects); random: a random length, 0..512, of "
			"the ring per datagram (RFC 864's letter)." },
	{ SECTION_SERVICE, SS_SVC_QOTD, "file", set_qotd_file, NULL,
			"Quotes in fortune(6) format (separated by lines holding only %), each "
			"printable ASCII and under 512 characters; without a file, one built-in "
			"quote." },
	{ SECTION_ABUSE, -1, "loop_guard", set_loop_guard, "on",
			"on or off: never answer UDP from the port of a service that always "
			"answers (loop_guard_ports, and always those of our own UDP services): a "
			"spoofed datagram between two such services would loop forever. Counter: "
			"udp_loop_guard." },
	{ SECTION_ABUSE, -1, "loop_guard_ports", set_loop_guard_ports, LOOP_GUARD_DEFAULT,
			"The source ports loop_guard refuses, separated by spaces or commas." },
	{ SECTION_ABUSE, -1, "source_check", set_source_check, "on",
			"on or off: never answer martian sources, our own addresses or our "
			"subnets' directed broadcasts. Counters: ipv4_src_invalid, "
			"ipv6_src_invalid." },
	{ SECTION_ABUSE, -1, "amplify_rate_per_source", set_amplify_per_source_rate, "100",
			"UDP replies larger than their request, per second to one source ([abuse]"
			" ipv6_source_prefix), per worker; 0: no limit. Counter: "
			"udp_ratelimit_source." },
	{ SECTION_ABUSE, -1, "amplify_burst_per_source", set_amplify_per_source_burst, "100",
			"Their burst, per source (1..100000000)." },
	{ SECTION_ABUSE, -1, "amplify_rate_global", set_amplify_global_rate, "10000",
			"The same replies per second to all sources, per worker; 0: no limit. "
			"Counter: udp_ratelimit_global." },
	{ SECTION_ABUSE, -1, "amplify_burst_global", set_amplify_global_burst, "1000",
			"Their burst, in all (1..1000000000)." },
	{ SECTION_ABUSE, -1, "ratelimit_sources", set_ratelimit_sources, "4096",
			"Sources tracked per worker for the per-source limits, a power of 2 "
			"(16..16777216), 16 bytes each." },
	{ SECTION_ABUSE, -1, "ipv6_source_prefix", set_ipv6_source_prefix, "64",
			"What counts as one source for every per-source limit: an IPv4 address, "
			"or an IPv6 prefix of this many bits (1..128)." },
	{ SECTION_ABUSE, -1, "icmp_error_rate", set_icmp_error_rate, "1000",
			"ICMP and ICMPv6 errors (port and protocol unreachable) per second; 0: no"
			" limit (RFC 4443 2.4)." },
	{ SECTION_ABUSE, -1, "icmp_error_burst", set_icmp_error_burst, "50",
			"Their burst (1..100000000)." },
	{ SECTION_ABUSE, -1, "clock_min_year", set_clock_min_year, "2000",
			"A clock before 1 January of this year (1970..9999) counts as unset: time"
			" and daytime do not answer (RFC 868). Counter: clock_unset." },
};

/* The [tcp] and [ip] defaults: ss_config_defaults() and smallsrv(8) both read them. */
static const struct ss_tcp_cfg tcp_defaults = {
	.max_connections = 65536,
	.max_half_open = 1024,
	.max_half_open_per_source = 16,
	.max_per_source = 1024,
	.mss = 1460,
	.window = 65535,
	.echo_buffer = 65536,
	.rto_initial_ms = 1000,
	.rto_min_ms = 200,
	.rto_max_ms = 60000,
	.max_retries = 8,
	.syn_retries = 5,
	.idle_timeout_ms = 300000,
	.zero_window_timeout_ms = 60000,
	.fin_wait2_timeout_ms = 60000,
	.time_wait_ms = 60000,
	.invalid_ack_interval_ms = 500,
	.challenge_ack_rate = 1000,
	.max_held_per_source = 8u << 20,
};

static const struct ss_ip_cfg ip_defaults = {
	.reasm_datagrams = 256,
	.reasm_fragments = 64,
	.reasm_held = 1024,
	.reasm_per_source = 16,
	.reasm_timeout_ms = 2000,
};

void
ss_config_defaults(struct ss_config *cfg)
{
	char err[128];
	unsigned int s, i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->rx_desc = 1024;
	cfg->tx_desc = 1024;
	cfg->burst = 32;
	for (i = 0; i < SS_MAX_PORTS; i++)
		cfg->port[i].mtu = 1500;
	for (s = 0; s < SS_SVC_MAX; s++) {
		for (i = 0; i < SS_TRANSPORT_MAX; i++) {
			/* An amplifier (qotd: factor ~140) is on only on request. */
			cfg->svc[s][i].enabled = !ss_svc_has(s, SS_SVC_F_OFF);
			cfg->svc[s][i].port = ss_svc_default_port(s);
		}
	}
	ss_daytime_set_style(&cfg->daytime, "bsd", err, sizeof(err));
	strcpy(cfg->daytime.timezone, "UTC");
	cfg->chargen_udp_mode = SS_CHARGEN_UDP_LINE;
	cfg->abuse.loop_guard = true;
	set_loop_guard_ports(cfg, 0, LOOP_GUARD_DEFAULT, err, sizeof(err));
	cfg->abuse.source_check = true;
	cfg->fast_path = true;
	cfg->tx_cksum_offload = true;
	cfg->abuse.amplify_per_source = (struct ss_rate_cfg){ 100, 100 };
	cfg->abuse.amplify_global = (struct ss_rate_cfg){ 10000, 1000 };
	cfg->abuse.ratelimit_sources = 4096;
	cfg->abuse.ipv6_source_prefix = 64;
	cfg->abuse.icmp_error = (struct ss_rate_cfg){ 1000, 50 };
	cfg->abuse.clock_min_year = 2000;
	cfg->tcp = tcp_defaults;
	cfg->ip = ip_defaults;
}

/* Which kind of section a name is, and its index (port or service). */
static enum section_kind
classify_section(const char *name, unsigned int *idx)
{
	enum ss_svc svc;
	char *end;
	unsigned long n;

	if (strcmp(name, "general") == 0)
		return SECTION_GENERAL;
	if (strcmp(name, "abuse") == 0)
		return SECTION_ABUSE;
	if (strcmp(name, "tcp") == 0)
		return SECTION_TCP;
	if (strcmp(name, "ip") == 0)
		return SECTION_IP;
	/* portN: N in decimal without leading zeros ("port01" is a typo, not port 1). */
	if (strncmp(name, "port", 4) == 0 && name[4] >= '0' && name[4] <= '9' &&
			(name[4] != '0' || name[5] == '\0')) {
		n = strtoul(name + 4, &end, 10);
		if (*end != '\0' || n >= SS_MAX_PORTS)
			return SECTION_UNKNOWN;
		*idx = n;
		return SECTION_PORT;
	}
	svc = ss_svc_by_name(name);
	if (svc != SS_SVC_NONE) {
		*idx = svc;
		return SECTION_SERVICE;
	}
	return SECTION_UNKNOWN;
}

int
ss_config_set(struct ss_config *cfg, const char *section, const char *key, const char *value,
		char *err, size_t errlen)
{
	enum section_kind kind;
	unsigned int idx = 0, i;

	kind = classify_section(section, &idx);
	if (kind == SECTION_UNKNOWN) {
		snprintf(err, errlen,
				"unknown section (general, portN with N < %d, abuse, "
				"tcp, ip, or a service: echo, discard, daytime, qotd, chargen, time)",
				SS_MAX_PORTS);
		return -1;
	}
	if (kind == SECTION_TCP)
		return set_tcp_key(cfg, key, value, err, errlen);
	if (kind == SECTION_IP)
		return set_num_key(&cfg->ip, ip_keys, RTE_DIM(ip_keys), key, value, err, errlen);
	for (i = 0; i < RTE_DIM(keys); i++) {
		if (keys[i].section != kind || strcmp(keys[i].key, key) != 0)
			continue;
		if (keys[i].svc >= 0 && (unsigned int)keys[i].svc != idx)
			continue;
		if (kind == SECTION_PORT && idx >= cfg->n_ports)
			cfg->n_ports = idx + 1;
		return keys[i].set(cfg, idx, value, err, errlen);
	}
	snprintf(err, errlen, "unknown key");
	return -1;
}

/*
 * Check every line before rte_cfgfile_load() sees the file: it tells only
 * that a file is bad, not where, and it silently skips a line that has no
 * '=' (a typo such as "udp_port 7" would be ignored) and truncates names
 * and values that are too long. Comments start at ';', as for rte_cfgfile.
 */
static int
check_syntax(const char *path, char *err, size_t errlen)
{
	char line[CFG_NAME_LEN + CFG_VALUE_LEN + 8];
	const char *why = NULL;
	bool in_section = false;
	unsigned int n = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot read: %m", path);
		return -1;
	}
	while (why == NULL && fgets(line, sizeof(line), f) != NULL) {
		char *s = line + strspn(line, " \t"), *eq, *end;
		size_t klen, vlen;

		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			why = "line too long";
			break;
		}
		s[strcspn(s, ";\r\n")] = '\0';
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*s == '\0')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (close == NULL || close[1] != '\0' || close == s + 1)
				why = "not a \"[section]\" line";
			in_section = true;
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			why = "not an INI line (\"[section]\" or \"key = value\")";
			continue;
		}
		klen = eq - s;
		while (klen > 0 && (s[klen - 1] == ' ' || s[klen - 1] == '\t'))
			klen--;
		vlen = strlen(eq + 1 + strspn(eq + 1, " \t"));
		if (klen == 0)
			why = "no key before '='";
		else if (vlen == 0)
			why = "empty value";
		else if (klen >= CFG_NAME_LEN || vlen >= CFG_VALUE_LEN)
			why = "key or value too long";
		else if (!in_section)
			why = "key before the first [section]";
	}
	/* A directory opens, then fails to read: not an empty configuration. */
	if (why == NULL && ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %m", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (why == NULL)
		return 0;
	snprintf(err, errlen, "%s:%u: %s: %.80s", path, n, why, line + strspn(line, " \t"));
	return -1;
}

static int
load_section(struct ss_config *cfg, struct rte_cfgfile *file, const char *path, int index,
		char *err, size_t errlen)
{
	struct rte_cfgfile_entry *entries;
	char section[CFG_NAME_LEN];
	char reason[256];
	int n, i, ret = 0;

	/*
	 * By index, not by name: a section that appears twice in the file is
	 * two sections to rte_cfgfile, and a lookup by name would find the
	 * first one twice and lose the second.
	 */
	n = rte_cfgfile_section_num_entries_by_index(file, section, index);
	if (n <= 0)
		return 0;
	entries = calloc(n, sizeof(*entries));
	if (entries == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = rte_cfgfile_section_entries_by_index(file, index, section, entries, n);
	for (i = 0; i < n && ret == 0; i++) {
		ret = ss_config_set(cfg, section, entries[i].name, entries[i].value, reason,
				sizeof(reason));
		if (ret < 0)
			snprintf(err, errlen, "%s: [%s] %s = \"%s\": %s", path, section,
					entries[i].name, entries[i].value, reason);
	}
	free(entries);
	return ret;
}

int
ss_config_load(struct ss_config *cfg, const char *path, char *err, size_t errlen)
{
	struct rte_cfgfile *file;
	int n, i, ret = 0;

	if (check_syntax(path, err, errlen) < 0)
		return -1;
	file = rte_cfgfile_load(path, 0);
	if (file == NULL) {
		snprintf(err, errlen, "%s: not a valid INI file", path);
		return -1;
	}
	n = rte_cfgfile_num_sections(file, NULL, 0);
	for (i = 0; i < n && ret == 0; i++)
		ret = load_section(cfg, file, path, i, err, errlen);
	rte_cfgfile_close(file);
	return ret;
}

/* Derive the port → service map, refusing two services on one port. */
static int
build_port_map(struct ss_config *cfg, char *err, size_t errlen)
{
	unsigned int s, t;
	uint16_t port;

	memset(cfg->port_map, SS_SVC_NONE, sizeof(cfg->port_map));
	for (t = 0; t < SS_TRANSPORT_MAX; t++) {
		for (s = 0; s < SS_SVC_MAX; s++) {
			if (!cfg->svc[s][t].enabled)
				continue;
			port = cfg->svc[s][t].port;
			if (cfg->port_map[t][port] != SS_SVC_NONE) {
				snprintf(err, errlen,
						"[%s] %s_port = \"%u\": %s already uses "
						"%s port %u",
						ss_svc_name(s), ss_transport_name(t), port,
						ss_svc_name(cfg->port_map[t][port]),
						ss_transport_name(t), port);
				return -1;
			}
			cfg->port_map[t][port] = s;
		}
	}
	return 0;
}

/* An address may be configured once, on one port. */
static int
check_addresses(const struct ss_config *cfg, char *err, size_t errlen)
{
	unsigned int p, q, i, j;

	for (p = 0; p < cfg->n_ports; p++) {
		const struct ss_port_cfg *a = &cfg->port[p];

		if (a->n_ip4 == 0 && a->n_ip6 == 0) {
			snprintf(err, errlen, "[port%u]: no address (set ipv4 or ipv6%s)", p,
					p == 0 ? ", or --ipv4/--ipv6" : "");
			return -1;
		}
		for (q = p; q < cfg->n_ports; q++) {
			const struct ss_port_cfg *b = &cfg->port[q];

			for (i = 0; i < a->n_ip4; i++)
				for (j = (p == q ? i + 1 : 0); j < b->n_ip4; j++)
					if (a->ip4[i].addr == b->ip4[j].addr)
						goto dup;
			for (i = 0; i < a->n_ip6; i++)
				for (j = (p == q ? i + 1 : 0); j < b->n_ip6; j++)
					if (!memcmp(a->ip6[i].addr, b->ip6[j].addr, 16))
						goto dup;
		}
	}
	return 0;
dup:
	snprintf(err, errlen, "[port%u]: an address is configured twice (port%u)", p, q);
	return -1;
}

/*
 * The loop guard covers the listed ports and every port a UDP service of
 * ours answers on: two appliances configured alike, echo moved to 7007 on
 * both, would otherwise echo a datagram from 7007 to 7007 for ever.
 */
static void
guard_service_ports(struct ss_abuse_cfg *abuse, const struct ss_svc_cfg svc[][SS_TRANSPORT_MAX])
{
	unsigned int s;
	uint16_t port;

	memset(abuse->loop_ports, 0, sizeof(abuse->loop_ports));
	if (!abuse->loop_guard)
		return;
	memcpy(abuse->loop_ports, abuse->loop_ports_listed, sizeof(abuse->loop_ports));
	for (s = 0; s < SS_SVC_MAX; s++) {
		if (!svc[s][SS_UDP].enabled)
			continue;
		port = svc[s][SS_UDP].port;
		abuse->loop_ports[port >> 6] |= UINT64_C(1) << (port & 63);
	}
}

int
ss_config_finish(struct ss_config *cfg, char *err, size_t errlen)
{
	char reason[256];

	if (cfg->n_ports == 0) {
		snprintf(err, errlen,
				"no port configured: give [port0] ipv4/ipv6 in the "
				"config file, or --ipv4/--ipv6");
		return -1;
	}
	if (check_addresses(cfg, err, errlen) < 0)
		return -1;
	if (build_port_map(cfg, err, errlen) < 0)
		return -1;
	if (ss_qotd_load(cfg, reason, sizeof(reason)) < 0) {
		snprintf(err, errlen, "[qotd] file = \"%s\": %s", cfg->qotd_file, reason);
		return -1;
	}
	guard_service_ports(&cfg->abuse, cfg->svc);
	if (cfg->tcp.rto_min_ms > cfg->tcp.rto_max_ms) {
		snprintf(err, errlen, "[tcp] rto_min_ms = \"%u\": above rto_max_ms (%u)",
				cfg->tcp.rto_min_ms, cfg->tcp.rto_max_ms);
		return -1;
	}
	/*
	 * The line is checked as it will be printed: in the configured zone,
	 * which is the process's (TZ), the running workers' too. Last, so that
	 * a file refused for anything else never touches it; a reload that
	 * fails here puts the running zone back (app/reload.c).
	 */
	ss_daytime_apply_timezone(&cfg->daytime);
	if (ss_daytime_check(&cfg->daytime, reason, sizeof(reason)) < 0) {
		snprintf(err, errlen, "[daytime] pattern = \"%s\": %s", cfg->daytime.pattern,
				reason);
		return -1;
	}
	return 0;
}

static const char *const section_names[] = {
	[SECTION_GENERAL] = "general",
	[SECTION_PORT] = "portN",
	[SECTION_SERVICE] = "SERVICE",
	[SECTION_ABUSE] = "abuse",
	[SECTION_TCP] = "tcp",
	[SECTION_IP] = "ip",
};

/* A [tcp] or [ip] key: its range, and its default read from the defaults themselves. */
static void
num_key_info(const struct num_key *nk, const void *defaults, const char *section,
		struct ss_config_key *k)
{
	const char *field = (const char *)defaults + nk->offset;
	uint32_t def = nk->size == sizeof(uint16_t) ? *(const uint16_t *)field :
						      *(const uint32_t *)field;

	k->section = section;
	k->key = nk->key;
	k->doc = nk->doc;
	k->has_range = true;
	k->min = nk->min;
	k->max = nk->max;
	snprintf(k->def_buf, sizeof(k->def_buf), "%u", def);
	k->def = k->def_buf;
}

int
ss_config_key_get(unsigned int i, struct ss_config_key *k)
{
	memset(k, 0, sizeof(*k));
	if (i < RTE_DIM(keys)) {
		const struct key_def *d = &keys[i];

		k->section = d->svc >= 0 ? ss_svc_name(d->svc) : section_names[d->section];
		k->key = d->key;
		k->def = d->def;
		k->doc = d->doc;
		return 0;
	}
	i -= RTE_DIM(keys);
	if (i >= RTE_DIM(tcp_keys) + RTE_DIM(ip_keys))
		return -1;
	if (i < RTE_DIM(tcp_keys))
		num_key_info(&tcp_keys[i], &tcp_defaults, "tcp", k);
	else
		num_key_info(&ip_keys[i - RTE_DIM(tcp_keys)], &ip_defaults, "ip", k);
	return 0;
}
