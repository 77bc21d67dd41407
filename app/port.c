/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "ip_reasm.h"
#include "numa.h"
#include "port.h"
#include "tcp_mem.h"
#include "tx_cksum.h"
#include "worker.h"

#define POOL_CACHE 256
/* Ethernet header, one VLAN tag and the CRC around the MTU. */
#define FRAME_OVERHEAD (RTE_ETHER_HDR_LEN + 4 + RTE_ETHER_CRC_LEN)

static uint16_t
max_mtu(const struct ss_config *cfg)
{
	uint16_t mtu = 0;
	unsigned int i;

	for (i = 0; i < cfg->n_ports; i++)
		mtu = RTE_MAX(mtu, cfg->port[i].mtu);
	return mtu;
}

/* Each port's socket, in port order (ports beyond SS_MAX_PORTS are refused before). */
static unsigned int
port_sockets(int *socket, unsigned int max)
{
	unsigned int n = 0;
	uint16_t port_id;

	RTE_ETH_FOREACH_DEV(port_id) {
		if (n == max)
			break;
		socket[n++] = rte_eth_dev_socket_id(port_id);
	}
	return n;
}

/*
 * The pool's socket (numa.h), said when the ports are on several: those not
 * on it receive into remote memory. No port's socket known (virtual
 * devices): the main lcore's, where EAL put everything else.
 */
static int
pool_socket(void)
{
	int socket[SS_MAX_PORTS];
	unsigned int n = port_sockets(socket, SS_MAX_PORTS), i;
	bool mixed;
	int s = ss_numa_pool_socket(socket, n, (int)rte_socket_id(), &mixed);

	if (mixed) {
		unsigned int remote = 0;

		fprintf(stderr,
				"smallsrv: warning: the ports are on several sockets and share "
				"one mbuf pool, on socket %d:",
				s);
		for (i = 0; i < n; i++)
			if (socket[i] >= 0 && socket[i] != s)
				fprintf(stderr, "%s port %u (socket %d)", remote++ > 0 ? "," : "",
						i, socket[i]);
		fprintf(stderr, " receive%s into remote memory\n", remote > 1 ? "" : "s");
	}
	return s;
}

struct rte_mempool *
ss_port_pool_create(const struct ss_config *cfg, unsigned int n_ports, unsigned int n_workers,
		char *err, size_t errlen)
{
	/* Frames live in one segment: the data room holds the largest frame. */
	uint32_t room = RTE_MAX((uint32_t)RTE_MBUF_DEFAULT_BUF_SIZE,
			(uint32_t)(RTE_PKTMBUF_HEADROOM + max_mtu(cfg) + FRAME_OVERHEAD));
	/*
	 * Queues, bursts and caches; then TCP: segments waiting to be sent and
	 * what echo connections hold until it is acknowledged back; then IP
	 * reassembly: the fragments held, and one datagram's copy and fragments.
	 */
	uint32_t n = n_ports * n_workers * (cfg->rx_desc + cfg->tx_desc + SS_TXBUF_MAX) +
			n_workers * (POOL_CACHE + 2 * SS_BURST_MAX) + 1024 +
			ss_tcp_mem_pool_share(&cfg->tcp) +
			n_workers * ss_reasm_pool_share(&cfg->ip);
	int socket = pool_socket();
	struct rte_mempool *mp;

	mp = rte_pktmbuf_pool_create("ss_mbufs", n, POOL_CACHE, 0, room, socket);
	/*
	 * Hugepages reserved on another node than the NIC's: slower, but
	 * serving. (Without hugepages, -m memory is all on socket 0.)
	 */
	if (mp == NULL && rte_errno == ENOMEM && socket != SOCKET_ID_ANY) {
		fprintf(stderr,
				"smallsrv: warning: no memory for the mbuf pool on socket %d "
				"(hugepages there?): taking it from any socket\n",
				socket);
		mp = rte_pktmbuf_pool_create("ss_mbufs", n, POOL_CACHE, 0, room, SOCKET_ID_ANY);
	}
	if (mp == NULL)
		snprintf(err, errlen,
				"cannot create a pool of %u mbufs of %u bytes: %s "
				"(more memory with -m, or hugepages)",
				n, room, rte_strerror(rte_errno));
	return mp;
}

int
ss_port_worker_socket(unsigned int worker, unsigned int lcore, unsigned int n_ports,
		const struct rte_mempool *pool)
{
	int socket[SS_MAX_PORTS], lcore_socket = (int)rte_lcore_to_socket_id(lcore);
	unsigned int n = port_sockets(socket, RTE_MIN(n_ports, (unsigned int)SS_MAX_PORTS));
	char line[256];

	if (ss_numa_worker_warning(worker, lcore, lcore_socket, socket, n, line, sizeof(line)))
		fprintf(stderr, "smallsrv: warning: %s\n", line);
	/* The pool found no memory on the ports' socket: neither would the worker. */
	if (pool->socket_id == SOCKET_ID_ANY)
		return SOCKET_ID_ANY;
	return ss_numa_worker_socket(socket, n, lcore_socket);
}

static void
port_conf(const struct rte_eth_dev_info *info, const struct ss_config *cfg,
		const struct ss_port_cfg *pc, uint16_t nq, struct rte_eth_conf *conf)
{
	const uint64_t rx_cksum = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
			RTE_ETH_RX_OFFLOAD_TCP_CKSUM;

	memset(conf, 0, sizeof(*conf));
	conf->rxmode.mtu = pc->mtu;
	conf->rxmode.offloads = info->rx_offload_capa & rx_cksum;
	/* Every mbuf comes from one pool with a reference count of one. */
	conf->txmode.offloads = info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	if (cfg->tx_cksum_offload)
		conf->txmode.offloads |= info->tx_offload_capa & SS_TX_CKSUM_OFFLOADS;
	if (nq > 1) {
		conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf->rx_adv_conf.rss_conf.rss_hf = info->flow_type_rss_offloads &
				(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	}
}

static int
port_queues(uint16_t port_id, uint16_t nq, const struct rte_eth_conf *conf,
		const struct rte_eth_dev_info *info, uint16_t nb_rxd, uint16_t nb_txd,
		struct rte_mempool *pool, char *err, size_t errlen)
{
	struct rte_eth_rxconf rxq = info->default_rxconf;
	struct rte_eth_txconf txq = info->default_txconf;
	int socket = rte_eth_dev_socket_id(port_id);
	uint16_t q;
	int ret;

	rxq.offloads = conf->rxmode.offloads;
	txq.offloads = conf->txmode.offloads;
	for (q = 0; q < nq; q++) {
		ret = rte_eth_rx_queue_setup(port_id, q, nb_rxd, socket, &rxq, pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(port_id, q, nb_txd, socket, &txq);
		if (ret < 0) {
			snprintf(err, errlen, "port %u: queue %u setup: %s", port_id, q,
					rte_strerror(-ret));
			return -1;
		}
	}
	return 0;
}

const char *
ss_port_offload_names(uint64_t bits, bool rx, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int b;

	buf[0] = '\0';
	for (b = 0; b < 64; b++) {
		uint64_t bit = UINT64_C(1) << b;
		const char *name;
		int n;

		if (!(bits & bit))
			continue;
		name = rx ? rte_eth_dev_rx_offload_name(bit) : rte_eth_dev_tx_offload_name(bit);
		n = snprintf(buf + used, size - used, "%s%s", used > 0 ? " " : "", name);
		if (n < 0 || (size_t)n >= size - used)
			break; /* cut at a whole name */
		used += n;
	}
	if (used == 0)
		snprintf(buf, size, "none");
	return buf;
}

/*
 * What the started port holds, not what was asked: rte_eth_dev_configure
 * takes only what dev_info offers, and some PMDs add offloads of their own
 * (RSS_HASH with RSS).
 */
static void
port_info_fill(uint16_t port_id, const struct rte_eth_dev_info *dev,
		const struct rte_eth_conf *asked, uint16_t nq, struct ss_port_info *info)
{
	struct rte_eth_conf now;

	memset(info, 0, sizeof(*info));
	snprintf(info->driver, sizeof(info->driver), "%s", dev->driver_name);
	info->nb_rxq = nq;
	info->nb_txq = nq;
	if (rte_eth_dev_conf_get(port_id, &now) != 0)
		now = *asked;
	info->rx_offloads = now.rxmode.offloads;
	info->tx_offloads = now.txmode.offloads;
	info->rx_offload_capa = dev->rx_offload_capa;
	info->tx_offload_capa = dev->tx_offload_capa;
	info->rss_hf = now.rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG ?
			now.rx_adv_conf.rss_conf.rss_hf :
			0;
	info->rss_offered = dev->flow_type_rss_offloads;
}

int
ss_port_start(uint16_t port_id, const struct ss_config *cfg, const struct ss_port_cfg *pc,
		unsigned int n_workers, struct rte_mempool *pool, struct ss_iface *iface,
		struct ss_port_info *pinfo, char *err, size_t errlen)
{
	uint16_t nb_rxd = cfg->rx_desc, nb_txd = cfg->tx_desc, nq;
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	int ret;

	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret < 0) {
		snprintf(err, errlen, "port %u: %s", port_id, rte_strerror(-ret));
		return -1;
	}
	if (pc->mtu > info.max_mtu || pc->mtu < info.min_mtu) {
		snprintf(err, errlen,
				"port %u (%s): MTU %u outside what the device takes "
				"(%u..%u)",
				port_id, info.driver_name, pc->mtu, info.min_mtu, info.max_mtu);
		return -1;
	}
	nq = RTE_MIN(n_workers, (unsigned int)RTE_MIN(info.max_rx_queues, info.max_tx_queues));
	port_conf(&info, cfg, pc, nq, &conf);
	ret = rte_eth_dev_configure(port_id, nq, nq, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (ret < 0) {
		snprintf(err, errlen, "port %u (%s): configure with %u queues: %s", port_id,
				info.driver_name, nq, rte_strerror(-ret));
		return -1;
	}
	if (port_queues(port_id, nq, &conf, &info, nb_rxd, nb_txd, pool, err, errlen) < 0)
		return -1;
	ret = rte_eth_dev_start(port_id);
	if (ret < 0) {
		snprintf(err, errlen, "port %u (%s): start: %s", port_id, info.driver_name,
				rte_strerror(-ret));
		return -1;
	}
	/* Not every PMD has it (net_pcap takes what the file holds anyway). */
	rte_eth_allmulticast_enable(port_id);
	port_info_fill(port_id, &info, &conf, nq, pinfo);

	memset(iface, 0, sizeof(*iface));
	iface->port_id = port_id;
	iface->mtu = pc->mtu;
	iface->nb_queues = nq;
	/* What the data path leaves to the port: what it holds now, not what was asked. */
	iface->tx_cksum = pinfo->tx_offloads & SS_TX_CKSUM_OFFLOADS;
	iface->cfg = pc;
	rte_eth_macaddr_get(port_id, &iface->mac);
	return 0;
}

/*
 * How long to wait for the links after the ports start: 9 s, as testpmd's
 * check_all_ports_link_status (autonegotiation takes a NIC a few seconds; an
 * unplugged cable, for ever). A constant, not a key: the appliance starts
 * anyway once it has passed, so the bound only delays the ready line.
 */
#define LINK_WAIT_MS 9000
#define LINK_POLL_MS 100

/* Polls what the port says now; false once it is known up, or cannot say. */
static bool
link_pending(uint16_t port_id, struct ss_port_info *info)
{
	if (info->link_known && info->link.link_status == RTE_ETH_LINK_UP)
		return false;
	memset(&info->link, 0, sizeof(info->link));
	info->link_known = rte_eth_link_get_nowait(port_id, &info->link) == 0;
	return info->link_known && info->link.link_status != RTE_ETH_LINK_UP;
}

void
ss_port_links_wait(const struct ss_iface *ifaces, struct ss_port_info *info, unsigned int n,
		const volatile bool *quit)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * LINK_WAIT_MS / 1000;
	unsigned int i, pending;

	for (;;) {
		pending = 0;
		for (i = 0; i < n; i++)
			pending += link_pending(ifaces[i].port_id, &info[i]);
		if (pending == 0 || rte_get_timer_cycles() >= deadline || *quit)
			break;
		/* Asleep, not spinning: the lcore may be shared until the workers start. */
		rte_delay_us_sleep(LINK_POLL_MS * 1000);
	}
	for (i = 0; i < n; i++) {
		if (!info[i].link_known)
			fprintf(stderr,
					"smallsrv: warning: port %u (%s) does not say whether its "
					"link is up\n",
					ifaces[i].port_id, info[i].driver);
		else if (info[i].link.link_status != RTE_ETH_LINK_UP)
			fprintf(stderr,
					"smallsrv: warning: port %u (%s): link down after %u s; "
					"starting anyway, it serves once the link is up\n",
					ifaces[i].port_id, info[i].driver, LINK_WAIT_MS / 1000);
	}
}

static const char *
link_speed(uint32_t speed)
{
	if (speed == RTE_ETH_SPEED_NUM_NONE || speed == RTE_ETH_SPEED_NUM_UNKNOWN)
		return "speed unknown";
	return rte_eth_link_speed_to_str(speed);
}

const char *
ss_port_link_format(const struct ss_port_info *info, char *buf, size_t size)
{
	const struct rte_eth_link *l = &info->link;

	if (!info->link_known)
		snprintf(buf, size, "link unknown");
	else if (l->link_status != RTE_ETH_LINK_UP)
		snprintf(buf, size, "link down");
	else
		snprintf(buf, size, "link up %s %s", link_speed(l->link_speed),
				l->link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? "full-duplex" :
									     "half-duplex");
	return buf;
}
