/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "reload.h"
#include "telemetry.h"
#include "trace_decode.h"

static const struct ss_app *tel_app;

/* The counters the command asks for: one port ("/smallsrv/drops,1") or all. */
static int
tel_counters(const char *params, struct ss_stats *s)
{
	unsigned long port;
	unsigned int i;
	char *end;

	if (params == NULL || *params == '\0') {
		ss_app_counters(tel_app, -1, s);
		return 0;
	}
	port = strtoul(params, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	for (i = 0; i < tel_app->n_ifaces; i++) {
		if (tel_app->ifaces[i].port_id == port) {
			ss_app_counters(tel_app, i, s);
			return 0;
		}
	}
	return -EINVAL;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ss_stats s;
	unsigned int r;

	(void)cmd;
	if (tel_counters(params, &s) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_pkts", s.rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", s.rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", s.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", s.tx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_unsent", s.tx_unsent);
	rte_tel_data_add_dict_u64(d, "rx_answered", s.rx_answered);
	rte_tel_data_add_dict_u64(d, "rx_tcp", s.rx_tcp);
	rte_tel_data_add_dict_u64(d, "rx_held", s.rx_held);
	rte_tel_data_add_dict_u64(d, "rx_fast", s.rx_fast);
	rte_tel_data_add_dict_u64(d, "reasm_datagrams", s.reasm.datagrams);
	rte_tel_data_add_dict_u64(d, "reasm_timeouts", s.reasm.timeouts);
	rte_tel_data_add_dict_u64(d, "reasm_timed_out", s.reasm.timed_out);
	rte_tel_data_add_dict_u64(d, "reasm_released", s.reasm.released);
	rte_tel_data_add_dict_u64(d, "reasm_fragments_out", s.reasm.frag_out);
	rte_tel_data_add_dict_u64(d, "not_answered", ss_stats_drops(&s));
	for (r = 0; r < SS_REPLY_MAX; r++)
		rte_tel_data_add_dict_u64(d, ss_reply_name(r), s.reply[r]);
	rte_tel_data_add_dict_u64(d, "uptime_ms",
			(rte_rdtsc() - tel_app->start_tsc) * 1000 / rte_get_tsc_hz());
	return 0;
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ss_stats s;
	unsigned int v;

	(void)cmd;
	if (tel_counters(params, &s) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	for (v = SS_DROP_FIRST; v < SS_VERDICT_MAX; v++)
		rte_tel_data_add_dict_u64(d, ss_drop_name(v), s.drop[v]);
	return 0;
}

/* What each counter of /smallsrv/drops and of /smallsrv/tcp's events means. */
static int
tel_reasons(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int v, e;

	(void)cmd;
	if (params != NULL && *params != '\0')
		return -EINVAL;
	rte_tel_data_start_dict(d);
	for (v = SS_DROP_FIRST; v < SS_VERDICT_MAX; v++)
		rte_tel_data_add_dict_string(d, ss_drop_name(v), ss_drop_desc(v));
	for (e = 0; e < SS_TCP_EV_MAX; e++)
		rte_tel_data_add_dict_string(d, ss_tcp_event_name(e), ss_tcp_event_desc(e));
	return 0;
}

static int
tel_services(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int svc, t, af, i;
	struct ss_stats s;
	char name[64];

	(void)cmd;
	if (tel_counters(params, &s) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	for (svc = 0; svc < SS_SVC_MAX; svc++) {
		for (t = 0; t < SS_TRANSPORT_MAX; t++) {
			for (af = 0; af < SS_AF_MAX; af++) {
				const uint64_t *c = (const uint64_t *)&s.svc[svc][t][af];

				for (i = 0; i < SS_SVC_COUNTERS; i++) {
					snprintf(name, sizeof(name), "%s_%s_%s_%s",
							ss_svc_name(svc), ss_transport_name(t),
							ss_family_name(af), ss_svc_counter_name(i));
					rte_tel_data_add_dict_u64(d, name, c[i]);
				}
			}
		}
	}
	return 0;
}

static int
tel_tcp(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t used = 0, half_open = 0, time_wait = 0;
	unsigned int svc, af, i, e, w;
	struct ss_stats s;
	char name[64];

	(void)cmd;
	if (tel_counters(params, &s) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	for (svc = 0; svc < SS_SVC_MAX; svc++) {
		for (af = 0; af < SS_AF_MAX; af++) {
			const uint64_t *c = (const uint64_t *)&s.tcp[svc][af];
			const struct ss_svc_counters *sc = &s.svc[svc][SS_TCP][af];

			snprintf(name, sizeof(name), "%s_%s_accepted", ss_svc_name(svc),
					ss_family_name(af));
			rte_tel_data_add_dict_u64(d, name, sc->requests);
			snprintf(name, sizeof(name), "%s_%s_active", ss_svc_name(svc),
					ss_family_name(af));
			rte_tel_data_add_dict_u64(d, name, sc->requests - s.tcp[svc][af].closed);
			for (i = 0; i < SS_TCP_COUNTERS; i++) {
				snprintf(name, sizeof(name), "%s_%s_%s", ss_svc_name(svc),
						ss_family_name(af), ss_tcp_counter_name(i));
				rte_tel_data_add_dict_u64(d, name, c[i]);
			}
		}
	}
	for (e = 0; e < SS_TCP_EV_MAX; e++)
		rte_tel_data_add_dict_u64(d, ss_tcp_event_name(e), s.tcp_event[e]);
	/* Table occupancy is the workers' own state: read as it is, a snapshot. */
	for (w = 0; w < tel_app->n_workers; w++) {
		const struct ss_tcp_table *t = &tel_app->workers[w].tcp.table;

		used += t->used;
		half_open += t->half_open;
		time_wait += t->tw_count;
	}
	rte_tel_data_add_dict_u64(d, "table_used", used);
	rte_tel_data_add_dict_u64(d, "table_half_open", half_open);
	rte_tel_data_add_dict_u64(d, "table_time_wait", time_wait);
	rte_tel_data_add_dict_u64(d, "table_capacity",
			(uint64_t)tel_app->n_workers * tel_app->workers[0].tcp.table.capacity);
	return 0;
}

/*
 * DPDK's own /mempool/info gives a pool's size but not how much of it is
 * out: a soak needs that to see mbufs come back once every connection is gone.
 */
static int
tel_pool(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct rte_mempool *mp = tel_app->pool;
	/* Read once: the ring and the per-lcore caches move while workers run. */
	unsigned int avail = rte_mempool_avail_count(mp);

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", mp->name);
	rte_tel_data_add_dict_u64(d, "size", mp->size);
	rte_tel_data_add_dict_u64(d, "avail", avail);
	rte_tel_data_add_dict_u64(d, "in_use", mp->size - avail);
	return 0;
}

static void
tel_config_port(struct rte_tel_data *d, const struct ss_iface *it)
{
	char name[64], prefix[SS_PREFIX_STRLEN];
	unsigned int a;

	for (a = 0; a < it->cfg->n_ip4; a++) {
		snprintf(name, sizeof(name), "port%u_ipv4_%u", it->port_id, a);
		rte_tel_data_add_dict_string(d, name,
				ss_prefix_format(AF_INET, &it->cfg->ip4[a].addr,
						it->cfg->ip4[a].len, prefix, sizeof(prefix)));
	}
	for (a = 0; a < it->cfg->n_ip6; a++) {
		snprintf(name, sizeof(name), "port%u_ipv6_%u", it->port_id, a);
		rte_tel_data_add_dict_string(d, name,
				ss_prefix_format(AF_INET6, it->cfg->ip6[a].addr,
						it->cfg->ip6[a].len, prefix, sizeof(prefix)));
	}
	snprintf(name, sizeof(name), "port%u_mtu", it->port_id);
	rte_tel_data_add_dict_int(d, name, it->mtu);
}

static int
tel_config(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct ss_config *cfg;
	unsigned int i, svc, t;
	char name[64];

	(void)cmd;
	(void)params;
	cfg = ss_reload_config_hold();
	rte_tel_data_start_dict(d);
	for (i = 0; i < tel_app->n_ifaces; i++)
		tel_config_port(d, &tel_app->ifaces[i]);
	for (svc = 0; svc < SS_SVC_MAX; svc++) {
		for (t = 0; t < SS_TRANSPORT_MAX; t++) {
			snprintf(name, sizeof(name), "%s_%s_port", ss_svc_name(svc),
					ss_transport_name(t));
			rte_tel_data_add_dict_int(d, name,
					cfg->svc[svc][t].enabled ? cfg->svc[svc][t].port : 0);
		}
	}
	rte_tel_data_add_dict_string(d, "daytime_pattern", cfg->daytime.pattern);
	rte_tel_data_add_dict_string(d, "timezone", cfg->daytime.timezone);
	ss_reload_config_release();
	rte_tel_data_add_dict_int(d, "workers", tel_app->n_workers);
	return 0;
}

/* "/smallsrv/reload": the configuration's generation, and the reloads done and refused. */
static int
tel_reload(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ss_reload_counters n;

	(void)cmd;
	if (params != NULL && *params != '\0')
		return -EINVAL;
	ss_reload_counters(&n);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "generation", n.generation);
	rte_tel_data_add_dict_u64(d, "applied", n.applied);
	rte_tel_data_add_dict_u64(d, "failed", n.failed);
	return 0;
}

/* A number of digits alone, up to max. */
static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out > max)
		return -EINVAL;
	return 0;
}

/* A worker's counters, summed over the ports, as /smallsrv/workers shows them. */
struct worker_fields {
	uint64_t v[13];
};

static const char *const worker_field_names[] = {
	"rx_pkts",
	"tx_pkts",
	"rx_answered",
	"rx_tcp",
	"not_answered",
	"udp_requests",
	"tcp_accepted",
	"tcp_closed",
	"tcp_refused",
	"tcp_reset",
	"tcp_timed_out",
	"tcp_rst_sent",
	"tcp_cookie_accepted",
};

static void
worker_fields(const struct ss_worker *wk, struct worker_fields *f)
{
	unsigned int i, svc, af;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < tel_app->n_ifaces; i++) {
		const struct ss_stats *s = &wk->stats[i];

		f->v[0] += s->rx_pkts;
		f->v[1] += s->tx_pkts;
		f->v[2] += s->rx_answered;
		f->v[3] += s->rx_tcp;
		f->v[4] += ss_stats_drops(s);
		for (svc = 0; svc < SS_SVC_MAX; svc++) {
			for (af = 0; af < SS_AF_MAX; af++) {
				f->v[5] += s->svc[svc][SS_UDP][af].requests;
				f->v[6] += s->svc[svc][SS_TCP][af].requests;
				f->v[7] += s->tcp[svc][af].closed;
				f->v[8] += s->tcp[svc][af].refused;
				f->v[9] += s->tcp[svc][af].reset;
				f->v[10] += s->tcp[svc][af].timed_out;
			}
		}
		f->v[11] += s->reply[SS_REPLY_TCP4_RST] + s->reply[SS_REPLY_TCP6_RST];
		f->v[12] += s->tcp_event[SS_TCP_EV_COOKIE_ACCEPTED];
	}
}

/*
 * "/smallsrv/workers": "workerW_lcoreL_FIELD" for every worker, rx_pkts and
 * tx_pkts of all of them first, then the other fields while the dict has
 * room (256 entries: every field of up to 19 workers); ",W": worker W's
 * fields alone, by their plain names, with its lcore.
 */
static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_BUILD_BUG_ON(RTE_DIM(worker_field_names) != RTE_DIM(((struct worker_fields *)0)->v));
	struct worker_fields f, *all;
	unsigned long one;
	unsigned int w, i;
	char name[64];

	(void)cmd;
	rte_tel_data_start_dict(d);
	if (params != NULL && *params != '\0') {
		if (parse_uint(params, tel_app->n_workers - 1, &one) < 0)
			return -EINVAL;
		worker_fields(&tel_app->workers[one], &f);
		rte_tel_data_add_dict_int(d, "lcore", tel_app->workers[one].lcore);
		for (i = 0; i < RTE_DIM(f.v); i++)
			rte_tel_data_add_dict_u64(d, worker_field_names[i], f.v[i]);
		return 0;
	}
	/* Each worker read once, so that its fields agree with each other. */
	all = calloc(tel_app->n_workers, sizeof(*all));
	if (all == NULL)
		return -ENOMEM;
	for (w = 0; w < tel_app->n_workers; w++)
		worker_fields(&tel_app->workers[w], &all[w]);
	for (i = 0; i < RTE_DIM(f.v); i++) {
		if (i >= 2 && (i + 1) * tel_app->n_workers > RTE_TEL_MAX_DICT_ENTRIES)
			break;
		for (w = 0; w < tel_app->n_workers; w++) {
			snprintf(name, sizeof(name), "worker%u_lcore%u_%s", w,
					tel_app->workers[w].lcore, worker_field_names[i]);
			rte_tel_data_add_dict_u64(d, name, all[w].v[i]);
		}
	}
	free(all);
	return 0;
}

/* An offload mask as an array of names (rte_eth_dev_rx/tx_offload_name). */
static struct rte_tel_data *
offload_array(uint64_t bits, bool rx)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int b;

	if (a == NULL)
		return NULL;
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	for (b = 0; b < 64; b++) {
		uint64_t bit = UINT64_C(1) << b;

		if (bits & bit)
			rte_tel_data_add_array_string(a,
					rx ? rte_eth_dev_rx_offload_name(bit) :
					     rte_eth_dev_tx_offload_name(bit));
	}
	return a;
}

static int
add_offloads(struct rte_tel_data *d, const char *key, uint64_t bits, bool rx)
{
	struct rte_tel_data *a = offload_array(bits, rx);

	if (a == NULL || rte_tel_data_add_dict_container(d, key, a, 0) < 0) {
		rte_tel_data_free(a);
		return -ENOMEM;
	}
	return 0;
}

/* One port: what it is, and its offloads in effect and on offer. */
static int
port_dict(struct rte_tel_data *d, unsigned int i)
{
	const struct ss_iface *it = &tel_app->ifaces[i];
	const struct ss_port_info *pi = &tel_app->port_info[i];
	char mac[RTE_ETHER_ADDR_FMT_SIZE], name[RTE_ETH_NAME_MAX_LEN];

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port_id", it->port_id);
	if (rte_eth_dev_get_name_by_port(it->port_id, name) != 0)
		snprintf(name, sizeof(name), "?");
	rte_tel_data_add_dict_string(d, "name", name);
	rte_tel_data_add_dict_string(d, "driver", pi->driver);
	rte_ether_format_addr(mac, sizeof(mac), &it->mac);
	rte_tel_data_add_dict_string(d, "mac", mac);
	rte_tel_data_add_dict_int(d, "mtu", it->mtu);
	rte_tel_data_add_dict_int(d, "rx_queues", pi->nb_rxq);
	rte_tel_data_add_dict_int(d, "tx_queues", pi->nb_txq);
	rte_tel_data_add_dict_u64(d, "rss_hf", pi->rss_hf);
	rte_tel_data_add_dict_u64(d, "rss_hf_offered", pi->rss_offered);
	if (add_offloads(d, "rx_offloads", pi->rx_offloads, true) < 0 ||
			add_offloads(d, "rx_offloads_offered", pi->rx_offload_capa, true) < 0 ||
			add_offloads(d, "tx_offloads", pi->tx_offloads, false) < 0 ||
			add_offloads(d, "tx_offloads_offered", pi->tx_offload_capa, false) < 0)
		return -ENOMEM;
	return 0;
}

/*
 * "/smallsrv/ports": {"0": {port 0's dict}, ...}; ",PORT": that port's dict.
 * Offloads are arrays of DPDK's names ("IPV4_CKSUM"): in effect (what
 * app/port.c asked for and the device took) and offered (dev_info).
 */
static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned long port;
	unsigned int i;
	char key[8];

	(void)cmd;
	if (params != NULL && *params != '\0') {
		if (parse_uint(params, UINT16_MAX, &port) < 0)
			return -EINVAL;
		for (i = 0; i < tel_app->n_ifaces; i++)
			if (tel_app->ifaces[i].port_id == port)
				return port_dict(d, i);
		return -EINVAL;
	}
	rte_tel_data_start_dict(d);
	for (i = 0; i < tel_app->n_ifaces; i++) {
		struct rte_tel_data *p = rte_tel_data_alloc();

		snprintf(key, sizeof(key), "%u", tel_app->ifaces[i].port_id);
		if (p == NULL || port_dict(p, i) < 0 ||
				rte_tel_data_add_dict_container(d, key, p, 0) < 0) {
			rte_tel_data_free(p);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * "/smallsrv/trace": every worker; ",W": worker W; ",W,I": worker W from
 * its entry I; ",W,I,+": from worker W's entry I through the last worker
 * (what a page of "every worker" says in "more").
 */
static int
trace_params(const char *params, unsigned int *w_first, unsigned int *w_last, uint32_t *first)
{
	unsigned long w, i = 0;
	char buf[32], *field[3] = { NULL };
	unsigned int n = 0;
	char *c;

	*w_first = 0;
	*w_last = tel_app->n_workers - 1;
	*first = 0;
	if (params == NULL || *params == '\0')
		return 0;
	if (strlen(params) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, params);
	for (c = buf, field[n++] = c; (c = strchr(c, ',')) != NULL; field[n++] = ++c) {
		if (n == RTE_DIM(field))
			return -EINVAL;
		*c = '\0';
	}
	if (parse_uint(field[0], tel_app->n_workers - 1, &w) < 0)
		return -EINVAL;
	if (n > 1 && parse_uint(field[1], SS_TRACE_ENTRIES, &i) < 0)
		return -EINVAL;
	if (n > 2 && strcmp(field[2], "+") != 0)
		return -EINVAL;
	*w_first = w;
	if (n < 3)
		*w_last = w;
	*first = i;
	return 0;
}

/*
 * What an entry's dict costs of DPDK's output (16 KiB for the whole reply):
 * each field's key and value, quoted, with its colon and comma, and slack.
 */
static size_t
trace_entry_size(const struct ss_trace_text *t)
{
	size_t n = 64; /* its key, braces, worker, n, port, len */
	unsigned int i;

	for (i = 1; i < t->n; i++)
		n += strlen(t->part[i].key) + strlen(t->part[i].text) + 8;
	return n;
}

static struct rte_tel_data *
trace_entry_dict(const struct ss_trace_entry *e, unsigned int w, const struct ss_trace_text *t)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	unsigned int i;

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "worker", w);
	rte_tel_data_add_dict_u64(d, "n", e->seq);
	rte_tel_data_add_dict_int(d, "port", e->port_id);
	rte_tel_data_add_dict_u64(d, "len", e->rx_len);
	/* Part 0 is the line's head ("w0 #3 port 0 rx 60B"): the fields above. */
	for (i = 1; i < t->n; i++)
		rte_tel_data_add_dict_string(d, t->part[i].key, t->part[i].text);
	return d;
}

/*
 * What stays out of one reply is where the next starts: budget for DPDK's
 * 16 KiB, and room for the four totals among its dict's entries.
 */
#define TRACE_REPLY_BUDGET 14000
#define TRACE_REPLY_ENTRIES (RTE_TEL_MAX_DICT_ENTRIES - 4)

static int
tel_trace(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t recorded = 0, missed = 0, left = 0;
	const struct ss_config *cfg;
	unsigned int w, w_first, w_last;
	struct ss_trace_text text;
	char name[32], more[64] = "";
	unsigned int entries = 0;
	size_t used = 0;
	uint32_t i, first;

	(void)cmd;
	if (trace_params(params, &w_first, &w_last, &first) < 0)
		return -EINVAL;
	/* The services' names come from its port map: held for the whole walk. */
	cfg = ss_reload_config_hold();
	rte_tel_data_start_dict(d);
	for (w = w_first; w <= w_last; w++) {
		const struct ss_trace *t = &tel_app->workers[w].trace;
		uint32_t n = ss_trace_count(t);

		recorded += n;
		missed += ss_trace_missed(t);
		left += ss_trace_pending(t);
		for (i = w == w_first ? first : 0; i < n && more[0] == '\0'; i++) {
			const struct ss_trace_entry *e = ss_trace_entry(t, i);
			struct rte_tel_data *c;

			ss_trace_format(e, w, cfg, &text);
			used += trace_entry_size(&text);
			c = NULL;
			if (used <= TRACE_REPLY_BUDGET && entries < TRACE_REPLY_ENTRIES)
				c = trace_entry_dict(e, w, &text);
			snprintf(name, sizeof(name), "w%u_%u", w, i);
			if (c == NULL || rte_tel_data_add_dict_container(d, name, c, 0) < 0) {
				/* No room (or memory): the next page starts here. */
				rte_tel_data_free(c);
				snprintf(more, sizeof(more), "/smallsrv/trace,%u,%u%s", w, i,
						w_last > w ? ",+" : "");
				break;
			}
			entries++;
		}
	}
	ss_reload_config_release();
	rte_tel_data_add_dict_u64(d, "recorded", recorded);
	rte_tel_data_add_dict_u64(d, "missed", missed);
	rte_tel_data_add_dict_u64(d, "left", left);
	rte_tel_data_add_dict_string(d, "more", more);
	return 0;
}

/*
 * "/smallsrv/trace_arm,N": every worker traces its next N packets (more, if
 * armed); the reply says, per worker, what is left to trace and the room left.
 */
static int
tel_trace_arm(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned long n;
	unsigned int w;
	char name[32];

	(void)cmd;
	if (parse_uint(params, SS_TRACE_ARM_MAX, &n) < 0 || n == 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "armed", n);
	for (w = 0; w < tel_app->n_workers; w++) {
		struct ss_trace *t = &tel_app->workers[w].trace;

		snprintf(name, sizeof(name), "worker%u_left", w);
		rte_tel_data_add_dict_u64(d, name, ss_trace_arm(t, n));
		/* Entries are never overwritten: once none is left, tracing only counts. */
		snprintf(name, sizeof(name), "worker%u_room", w);
		rte_tel_data_add_dict_u64(d, name, SS_TRACE_ENTRIES - ss_trace_count(t));
	}
	return 0;
}

int
ss_telemetry_register(const struct ss_app *app)
{
	tel_app = app;
	if (rte_telemetry_register_cmd("/smallsrv/stats", tel_stats,
			    "Traffic and replies. Parameters: port id (optional)") < 0 ||
			rte_telemetry_register_cmd("/smallsrv/drops", tel_drops,
					"Packets not answered, by reason. Parameters: port id (optional)") <
					0 ||
			rte_telemetry_register_cmd("/smallsrv/reasons", tel_reasons,
					"What each drop reason and TCP event means. Takes no parameters") <
					0 ||
			rte_telemetry_register_cmd("/smallsrv/services", tel_services,
					"Requests, replies and bytes per service, transport and family. "
					"Parameters: port id (optional)") < 0 ||
			rte_telemetry_register_cmd("/smallsrv/tcp", tel_tcp,
					"TCP connections per service and family, events, table occupancy. "
					"Parameters: port id (optional; the table is for all ports)") <
					0 ||
			rte_telemetry_register_cmd("/smallsrv/workers", tel_workers,
					"Packets, UDP requests and TCP connections per worker. "
					"Parameters: worker (optional)") < 0 ||
			rte_telemetry_register_cmd("/smallsrv/ports", tel_ports,
					"Ports: driver, MAC, MTU, queues, offloads in effect and offered. "
					"Parameters: port id (optional)") < 0 ||
			rte_telemetry_register_cmd("/smallsrv/pool", tel_pool,
					"The mbuf pool: size, available, in use (in RX descriptors, in flight, "
					"held by TCP). Takes no parameters") < 0 ||
			rte_telemetry_register_cmd("/smallsrv/config", tel_config,
					"Addresses, services and ports in effect. Takes no parameters") <
					0 ||
			rte_telemetry_register_cmd("/smallsrv/reload", tel_reload,
					"Configuration reloads (SIGHUP): generation in effect, applied, "
					"failed. Takes no parameters") < 0 ||
			rte_telemetry_register_cmd("/smallsrv/trace", tel_trace,
					"Packet trace. Parameters: worker[,first entry] (optional)") <
					0 ||
			rte_telemetry_register_cmd("/smallsrv/trace_arm", tel_trace_arm,
					"Trace the next N packets of every worker. Parameters: N") <
					0)
		return -1;
	return 0;
}
