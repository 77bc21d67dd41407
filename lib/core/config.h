/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CONFIG_H
#define SS_CONFIG_H

/*
 * The appliance's configuration: an INI file read with rte_cfgfile, then
 * command-line overrides, then one validation pass. Everything here is
 * read-only once the workers start.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service.h"

#define SS_MAX_PORTS 8
#define SS_MAX_ADDRS 8
#define SS_DAYTIME_PATTERN_MAX 128
#define SS_TZ_MAX 64
#define SS_QOTD_MAX_LEN 511 /* RFC 865: a quote should be under 512 characters */
#define SS_QOTD_MAX_QUOTES 256

struct ss_ip4_prefix {
	uint32_t addr;  /* network byte order */
	uint32_t bcast; /* the subnet's directed broadcast (for len < 31) */
	uint8_t len;
};

struct ss_ip6_prefix {
	uint8_t addr[16];
	uint8_t len;
};

/* [portN] ipv6_link_local: the port's own link-local address (RFC 4291 2.1). */
enum ss_link_local {
	SS_LINK_LOCAL_AUTO, /* fe80::/64 and the modified EUI-64 of the port's MAC */
	SS_LINK_LOCAL_OFF,  /* none (unless ipv6 lists one) */
	SS_LINK_LOCAL_ADDR, /* link_local_addr */
};

struct ss_port_cfg {
	unsigned int n_ip4;
	unsigned int n_ip6;
	/*
	 * The first ip6[] entries, which hold every address outside fe00::/8:
	 * the fast path looks there only, and the port's link-local address,
	 * last, costs it no compare (fastpath.c).
	 */
	unsigned int n_ip6_not_fe;
	struct ss_ip4_prefix ip4[SS_MAX_ADDRS];
	/* ipv6's addresses, then the link-local one, added once the MAC is known. */
	struct ss_ip6_prefix ip6[SS_MAX_ADDRS + 1];
	uint16_t mtu;
	enum ss_link_local link_local;
	uint8_t link_local_addr[16]; /* for SS_LINK_LOCAL_ADDR */
};

enum ss_daytime_style {
	SS_DAYTIME_BSD,
	SS_DAYTIME_CISCO,
	SS_DAYTIME_XINETD,
	SS_DAYTIME_RFC867,
	SS_DAYTIME_CUSTOM,
};

struct ss_daytime_cfg {
	enum ss_daytime_style style;
	char pattern[SS_DAYTIME_PATTERN_MAX]; /* strftime pattern in effect */
	bool upper_case;                      /* xinetd prints "18 NOV 2022" */
	char timezone[SS_TZ_MAX];             /* TZ value; "UTC" by default */
};

enum ss_chargen_udp_mode {
	SS_CHARGEN_UDP_LINE,   /* one 74-byte line a datagram, ring continues */
	SS_CHARGEN_UDP_RANDOM, /* RFC 864: 0..512 characters */
};

/* A rate as a token bucket: rate per second and burst; rate 0 = no limit. */
struct ss_rate_cfg {
	uint32_t rate;
	uint32_t burst;
};

struct ss_abuse_cfg {
	bool loop_guard;
	uint64_t loop_ports_listed[65536 / 64]; /* loop_guard_ports, as a bitmap */
	uint64_t loop_ports[65536 / 64];        /* what is guarded: derived by ss_config_finish() */
	bool source_check;
	struct ss_rate_cfg amplify_per_source;
	struct ss_rate_cfg amplify_global;
	uint32_t ratelimit_sources; /* per-worker source table size, power of 2 */
	uint8_t ipv6_source_prefix; /* an IPv6 source is this prefix (source.h) */
	struct ss_rate_cfg icmp_error;
	uint32_t clock_min_year;
};

struct ss_tcp_cfg {
	uint32_t max_connections; /* in all; each worker takes its share */
	uint32_t max_half_open;   /* per worker: SYN-RECEIVED entries before cookies only */
	uint16_t max_half_open_per_source; /* per worker and source, likewise */
	uint16_t max_per_source;           /* connections from one address, per worker */
	uint16_t mss;         /* largest MSS we use and announce (the MTU may lower it) */
	uint32_t window;      /* receive window we announce */
	uint32_t echo_buffer; /* bytes echo holds per connection at most */
	uint32_t rto_initial_ms;
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	uint32_t max_retries;            /* timeouts in a row before the connection is given up */
	uint32_t syn_retries;            /* SYN-ACK retransmissions before a half-open entry goes */
	uint32_t idle_timeout_ms;        /* echo, discard: nothing from the peer that long */
	uint32_t zero_window_timeout_ms; /* window shut that long with data to send */
	uint32_t fin_wait2_timeout_ms;
	uint32_t time_wait_ms;
	uint32_t invalid_ack_interval_ms; /* one ACK per connection to unacceptable segments */
	uint32_t challenge_ack_rate;      /* RFC 5961 7: per second in all, randomised */
	uint32_t max_held_per_source;     /* bytes (whole mbufs) one source's connections hold */
};

/* The most fragments one datagram may be reassembled from ([ip] reassembly_fragments). */
#define SS_REASM_FRAGMENTS_MAX 128

/* IP reassembly, per worker (ip_reasm.h); reasm_datagrams 0 = fragments are dropped. */
struct ss_ip_cfg {
	uint32_t reasm_datagrams;  /* datagrams in reassembly at once */
	uint16_t reasm_fragments;  /* fragments one datagram may have */
	uint32_t reasm_held;       /* fragments (whole mbufs) held at once */
	uint16_t reasm_per_source; /* datagrams in reassembly from one source */
	uint32_t reasm_timeout_ms; /* from a datagram's first fragment to its last */
};

struct ss_svc_cfg {
	bool enabled;
	uint16_t port;
};

struct ss_config {
	unsigned int n_ports; /* highest [portN] seen + 1 */
	struct ss_port_cfg port[SS_MAX_PORTS];
	struct ss_svc_cfg svc[SS_SVC_MAX][SS_TRANSPORT_MAX];
	struct ss_daytime_cfg daytime;
	enum ss_chargen_udp_mode chargen_udp_mode;
	char qotd_file[256];
	unsigned int n_quotes;
	char quotes[SS_QOTD_MAX_QUOTES][SS_QOTD_MAX_LEN + 1];
	uint16_t quote_len[SS_QOTD_MAX_QUOTES]; /* their lengths: no strlen() per reply */
	struct ss_abuse_cfg abuse;
	struct ss_tcp_cfg tcp;
	struct ss_ip_cfg ip;
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint16_t burst;
	uint16_t trace;        /* packets each worker traces from the start (trace.h); 0 = none */
	bool fast_path;        /* the common frames in straight line first (fastpath.h) */
	bool tx_cksum_offload; /* the ports sum what they can on transmit (tx_cksum.h) */

	/* Derived by ss_config_finish(): service listening on each port. */
	uint8_t port_map[SS_TRANSPORT_MAX][65536];
};

/* Fill cfg with the documented defaults (config/smallsrv.ini). */
void ss_config_defaults(struct ss_config *cfg);

/*
 * Set one key. On error returns -1 and writes the reason (without the
 * section, key or value, which the caller names) into err.
 */
int ss_config_set(struct ss_config *cfg, const char *section, const char *key, const char *value,
		char *err, size_t errlen);

/*
 * Load an INI file and set each of its keys. On error returns -1 and writes
 * one complete line into err: file, section, key, value and the reason.
 */
int ss_config_load(struct ss_config *cfg, const char *path, char *err, size_t errlen);

/*
 * Check the whole configuration, load the quote file and derive the port
 * map. On error returns -1 with one complete line in err.
 */
int ss_config_finish(struct ss_config *cfg, char *err, size_t errlen);

/* One key the parser accepts, as smallsrv(8) documents it (ss_config_key_get()). */
struct ss_config_key {
	/*
	 * "general", "portN" (every [portN]), "SERVICE" (every service's
	 * section), a service's name (its own keys), "abuse", "tcp" or "ip".
	 */
	const char *section;
	const char *key;
	const char *def; /* the default as the file writes it; NULL: none, or per service */
	const char *doc; /* one paragraph, plain text */
	bool has_range;  /* a number in min..max */
	uint64_t min;
	uint64_t max;
	char def_buf[24];
};

/*
 * The i-th key of the parser's tables, from 0 up, in the order of
 * config/smallsrv.ini's sections: 0 and k filled, or -1 past the last.
 */
int ss_config_key_get(unsigned int i, struct ss_config_key *k);

/*
 * True when src_port is in the loop guard's set: the listed ports and those
 * of our UDP services (and the guard is on).
 */
static inline bool
ss_config_loop_port(const struct ss_config *cfg, uint16_t src_port)
{
	return (cfg->abuse.loop_ports[src_port >> 6] >> (src_port & 63)) & 1;
}

#endif /* SS_CONFIG_H */
