/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ether.h>

#include "reload.h"
#include "summary.h"
#include "trace_decode.h"

static void
print_traffic(FILE *f, const char *label, const struct ss_stats *s)
{
	fprintf(f,
			"  %-8s rx %" PRIu64 " pkts %" PRIu64 " bytes (answered %" PRIu64
			", to TCP connections %" PRIu64 ", held for reassembly %" PRIu64
			", not answered %" PRIu64 "), tx %" PRIu64 " pkts %" PRIu64
			" bytes (unsent %" PRIu64 ")\n",
			label, s->rx_pkts, s->rx_bytes, s->rx_answered, s->rx_tcp, s->rx_held,
			ss_stats_drops(s), s->tx_pkts, s->tx_bytes, s->tx_unsent);
}

/* What became of the fragments held (rx_held) and of the replies sent in fragments. */
static void
print_reasm(FILE *f, const struct ss_stats *s)
{
	const struct ss_reasm_counters *r = &s->reasm;

	fprintf(f,
			"  reassembly: datagrams %" PRIu64 " timeouts %" PRIu64
			" (fragments %" PRIu64 ") released %" PRIu64 " fragments_out %" PRIu64 "\n",
			r->datagrams, r->timeouts, r->timed_out, r->released, r->frag_out);
}

/*
 * What the port itself lost: frames it dropped (too big, no descriptor, no
 * mbuf) never reach the counters above, which count what it delivered.
 */
static void
print_port_errors(FILE *f, uint16_t port_id)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(port_id, &st) != 0)
		return;
	fprintf(f,
			"           port lost: imissed %" PRIu64 " ierrors %" PRIu64
			" rx_nombuf %" PRIu64 " oerrors %" PRIu64 "\n",
			st.imissed, st.ierrors, st.rx_nombuf, st.oerrors);
}

/* Only once there was one: most runs never reload. */
static void
print_reloads(FILE *f)
{
	struct ss_reload_counters n;

	ss_reload_counters(&n);
	if (n.applied + n.failed == 0)
		return;
	fprintf(f, "  reloads: applied %" PRIu64 " failed %" PRIu64 " generation %" PRIu64 "\n",
			n.applied, n.failed, n.generation);
}

static void
print_replies(FILE *f, const struct ss_stats *s)
{
	unsigned int r;

	fprintf(f, "  replies:");
	for (r = 0; r < SS_REPLY_MAX; r++)
		fprintf(f, " %s %" PRIu64, ss_reply_name(r), s->reply[r]);
	fprintf(f, "\n");
}

static void
print_services(FILE *f, const struct ss_stats *s)
{
	unsigned int svc, t, af;

	fprintf(f, "  %-10s %14s %14s %14s %14s   (requests/replies)\n", "service", "udp/ipv4",
			"udp/ipv6", "tcp/ipv4", "tcp/ipv6");
	for (svc = 0; svc < SS_SVC_MAX; svc++) {
		fprintf(f, "  %-10s", ss_svc_name(svc));
		for (t = 0; t < SS_TRANSPORT_MAX; t++) {
			for (af = 0; af < SS_AF_MAX; af++) {
				const struct ss_svc_counters *c = &s->svc[svc][t][af];
				char cell[48];

				snprintf(cell, sizeof(cell), "%" PRIu64 "/%" PRIu64, c->requests,
						c->replies);
				fprintf(f, " %14s", cell);
			}
		}
		fprintf(f, "\n");
	}
}

static bool
tcp_events_none(const struct ss_stats *s)
{
	unsigned int e;

	for (e = 0; e < SS_TCP_EV_MAX; e++)
		if (s->tcp_event[e] != 0)
			return false;
	return true;
}

static void
print_tcp(FILE *f, const struct ss_stats *s)
{
	unsigned int svc, af, e;

	fprintf(f, "  %-10s %9s %9s %9s %9s %9s %9s %11s   (ipv4+ipv6)\n", "tcp", "accepted",
			"active", "closed", "refused", "reset", "timed out", "retransmits");
	for (svc = 0; svc < SS_SVC_MAX; svc++) {
		uint64_t acc = 0, closed = 0, refused = 0, reset = 0, tmo = 0, rtx = 0;

		for (af = 0; af < SS_AF_MAX; af++) {
			const struct ss_tcp_counters *t = &s->tcp[svc][af];

			acc += s->svc[svc][SS_TCP][af].requests;
			closed += t->closed;
			refused += t->refused;
			reset += t->reset;
			tmo += t->timed_out;
			rtx += t->retransmits;
		}
		fprintf(f,
				"  %-10s %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64
				" %9" PRIu64 " %9" PRIu64 " %11" PRIu64 "\n",
				ss_svc_name(svc), acc, acc - closed, closed, refused, reset, tmo,
				rtx);
	}
	fprintf(f, "  tcp events:%s\n", tcp_events_none(s) ? " none" : "");
	for (e = 0; e < SS_TCP_EV_MAX; e++)
		if (s->tcp_event[e] != 0)
			fprintf(f, "    %-26s %12" PRIu64 "  %s\n", ss_tcp_event_name(e),
					s->tcp_event[e], ss_tcp_event_desc(e));
}

static void
print_drops(FILE *f, const struct ss_stats *s)
{
	unsigned int v;

	fprintf(f, "  not answered, by reason:%s\n", ss_stats_drops(s) == 0 ? " none" : "");
	for (v = SS_DROP_FIRST; v < SS_VERDICT_MAX; v++)
		if (s->drop[v] != 0)
			fprintf(f, "    %-26s %12" PRIu64 "  %s\n", ss_drop_name(v), s->drop[v],
					ss_drop_desc(v));
}

/*
 * The packet trace, when one was asked for: a line per traced packet, by
 * worker and in order, under a header that says what was not kept.
 */
static void
print_trace(FILE *f, const struct ss_app *app)
{
	uint64_t recorded = 0, missed = 0, left = 0;
	char line[SS_TRACE_LINE_MAX];
	struct ss_trace_text text;
	unsigned int w, i;

	for (w = 0; w < app->n_workers; w++) {
		recorded += ss_trace_count(&app->workers[w].trace);
		missed += ss_trace_missed(&app->workers[w].trace);
		left += ss_trace_pending(&app->workers[w].trace);
	}
	if (recorded + missed + left == 0 && app->cfg->trace == 0)
		return;
	fprintf(f,
			"  trace: %" PRIu64 " recorded, %" PRIu64
			" not recorded (no room), %" PRIu64 " still to trace\n",
			recorded, missed, left);
	for (w = 0; w < app->n_workers; w++) {
		const struct ss_trace *t = &app->workers[w].trace;
		uint32_t n = ss_trace_count(t);

		for (i = 0; i < n; i++) {
			ss_trace_format(ss_trace_entry(t, i), w, app->cfg, &text);
			ss_trace_line(&text, line, sizeof(line));
			fprintf(f, "    %s\n", line);
		}
	}
}

void
ss_summary_print(FILE *f, const struct ss_app *app)
{
	struct ss_stats s;
	char label[16];
	unsigned int i;

	fprintf(f, "smallsrv: stopped after %.1f s\n",
			(double)(rte_rdtsc() - app->start_tsc) / rte_get_tsc_hz());
	for (i = 0; i < app->n_ifaces; i++) {
		ss_app_counters(app, i, &s);
		snprintf(label, sizeof(label), "port %u", app->ifaces[i].port_id);
		print_traffic(f, label, &s);
		print_port_errors(f, app->ifaces[i].port_id);
	}
	ss_app_counters(app, -1, &s);
	print_traffic(f, "total", &s);
	print_replies(f, &s);
	print_reasm(f, &s);
	print_reloads(f);
	print_services(f, &s);
	print_tcp(f, &s);
	print_drops(f, &s);
	print_trace(f, app);
	fflush(f);
}

/*
 * One line per port, before the ready line: the offloads in effect, and
 * those the device offers. "port 0 offloads (net_tap): rx IPV4_CKSUM ...
 * (offered: ...); tx ... (offered: ...)". Before, not after: what reads
 * stdout up to "ready" and then the summary sees the same two as before.
 */
static void
print_offloads(FILE *f, const struct ss_app *app)
{
	char on[1024], offered[1024];
	unsigned int i;

	for (i = 0; i < app->n_ifaces; i++) {
		const struct ss_port_info *pi = &app->port_info[i];

		fprintf(f, "port %u offloads (%s): rx %s", app->ifaces[i].port_id, pi->driver,
				ss_port_offload_names(pi->rx_offloads, true, on, sizeof(on)));
		fprintf(f, " (offered: %s)",
				ss_port_offload_names(pi->rx_offload_capa, true, offered,
						sizeof(offered)));
		fprintf(f, "; tx %s",
				ss_port_offload_names(pi->tx_offloads, false, on, sizeof(on)));
		fprintf(f, " (offered: %s)\n",
				ss_port_offload_names(pi->tx_offload_capa, false, offered,
						sizeof(offered)));
	}
}

void
ss_summary_ready(FILE *f, const struct ss_app *app)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE], prefix[SS_PREFIX_STRLEN], link[64];
	unsigned int i, a;

	print_offloads(f, app);
	fprintf(f, "ready: %u port%s, %u worker%s", app->n_ifaces, app->n_ifaces == 1 ? "" : "s",
			app->n_workers, app->n_workers == 1 ? "" : "s");
	for (i = 0; i < app->n_ifaces; i++) {
		const struct ss_iface *it = &app->ifaces[i];

		rte_ether_format_addr(mac, sizeof(mac), &it->mac);
		fprintf(f, "; port %u %s mtu %u queues %u %s", it->port_id, mac, it->mtu,
				it->nb_queues,
				ss_port_link_format(&app->port_info[i], link, sizeof(link)));
		for (a = 0; a < it->cfg->n_ip4; a++)
			fprintf(f, " %s",
					ss_prefix_format(AF_INET, &it->cfg->ip4[a].addr,
							it->cfg->ip4[a].len, prefix,
							sizeof(prefix)));
		for (a = 0; a < it->cfg->n_ip6; a++)
			fprintf(f, " %s",
					ss_prefix_format(AF_INET6, it->cfg->ip6[a].addr,
							it->cfg->ip6[a].len, prefix,
							sizeof(prefix)));
	}
	fprintf(f, "\n");
	fflush(f);
}
