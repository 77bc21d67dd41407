/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "cksum.h"
#include "daytime.h"
#include "eth.h"
#include "harness.h"
#include "tcp.h"

static int eal_ready;

/* DPDK leaves its (empty) runtime directory behind even with --no-shconf. */
static void
eal_cleanup(void)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	rmdir(dir);
}

void
test_eal_init(void)
{
	char prefix[64];
	char *argv[] = {
		"unit",
		"--no-huge",
		"-m",
		"256",
		"--no-pci",
		"--no-shconf",
		"--file-prefix",
		prefix,
		"-l",
		"0",
		"--log-level",
		"*:error",
		"--no-telemetry",
		NULL,
	};

	if (eal_ready)
		return;
	snprintf(prefix, sizeof(prefix), "ssunit%d", getpid());
	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "unit: EAL init failed\n");
		exit(1);
	}
	eal_ready = 1;
	atexit(eal_cleanup);
}

static struct rte_mempool *test_pool;

static void
apply_config(struct test_env *env)
{
	char err[256];

	if (ss_config_finish(&env->cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "unit: config: %s\n", err);
		abort();
	}
	ss_daytime_apply_timezone(&env->cfg.daytime);
}

struct test_env *
test_env_new(void)
{
	const struct rte_ether_addr mac = { .addr_bytes = TEST_MAC_US };
	struct test_env *env;
	char err[256];

	test_eal_init();
	if (test_pool == NULL)
		test_pool = rte_pktmbuf_pool_create("unit", 1024, 0, 0,
				RTE_MBUF_DEFAULT_BUF_SIZE + 8192, 0);
	assert_non_null(test_pool);
	env = calloc(1, sizeof(*env));
	assert_non_null(env);
	env->pool = test_pool;
	ss_config_defaults(&env->cfg);
	assert_int_equal(ss_config_set(&env->cfg, "port0", "ipv4", TEST_IP4_US "/24", err,
					 sizeof(err)),
			0);
	assert_int_equal(ss_config_set(&env->cfg, "port0", "ipv6", TEST_IP6_US "/64", err,
					 sizeof(err)),
			0);
	apply_config(env);
	env->iface.port_id = 0;
	env->iface.mtu = env->cfg.port[0].mtu;
	env->iface.nb_queues = 1;
	env->iface.mac = mac;
	env->iface.cfg = &env->cfg.port[0];
	assert_int_equal(ss_worker_init(&env->worker, 0, 1, &env->cfg, &env->iface, 1, env->pool,
					 &env->run, 0),
			0);
	env->worker.now = 1;
	return env;
}

void
test_env_apply(struct test_env *env)
{
	apply_config(env);
	env->iface.mtu = env->cfg.port[0].mtu;
	ss_worker_free(&env->worker);
	assert_int_equal(ss_worker_init(&env->worker, 0, 1, &env->cfg, &env->iface, 1, env->pool,
					 &env->run, 0),
			0);
	env->worker.now = 1;
}

void
test_env_set(struct test_env *env, const char *section, const char *key, const char *value)
{
	char err[256];

	assert_int_equal(ss_config_set(&env->cfg, section, key, value, err, sizeof(err)), 0);
	test_env_apply(env);
}

void
test_env_free(struct test_env *env)
{
	ss_worker_free(&env->worker);
	free(env);
}

int
test_env_setup(void **state)
{
	*state = test_env_new();
	return 0;
}

int
test_env_teardown(void **state)
{
	test_env_free(*state);
	return 0;
}

struct rte_mbuf *
test_mbuf(struct test_env *env, const void *frame, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(env->pool);
	void *data;

	assert_non_null(m);
	data = rte_pktmbuf_append(m, len);
	assert_non_null(data);
	memcpy(data, frame, len);
	return m;
}

enum ss_verdict
test_input(struct test_env *env, const void *frame, size_t len, uint8_t *out, size_t *out_len)
{
	struct ss_pkt p = {
		.w = &env->worker,
		.iface = &env->iface,
		.stats = &env->worker.stats[0],
	};
	enum ss_verdict v;

	p.m = test_mbuf(env, frame, len);
	v = ss_eth_input(&p);
	if (v == SS_VERDICT_TX && out != NULL) {
		assert_true(p.m->data_len <= *out_len);
		memcpy(out, rte_pktmbuf_mtod(p.m, void *), p.m->data_len);
		*out_len = p.m->data_len;
		assert_int_equal(p.m->data_len, p.m->pkt_len);
	}
	env->worker.stats[0].drop[v]++;
	/* With SS_VERDICT_TCP the connection has the mbuf (freed or held), with HELD reassembly. */
	if (v != SS_VERDICT_TCP && v != SS_VERDICT_HELD)
		rte_pktmbuf_free(p.m);
	return v;
}

void
test_addr(const char *s, int ipv6, uint8_t *out)
{
	assert_int_equal(inet_pton(ipv6 ? AF_INET6 : AF_INET, s, out), 1);
}

void
test_check_addr(const uint8_t *at, int ipv6, const char *addr)
{
	uint8_t a[16];

	test_addr(addr, ipv6, a);
	assert_memory_equal(at, a, ipv6 ? 16 : 4);
}

const char *const test_ip_us[2] = { TEST_IP4_US, TEST_IP6_US };
const char *const test_ip_peer[2] = { TEST_IP4_PEER, TEST_IP6_PEER };

void
test_check_ip_reply(const uint8_t *frame, size_t l3, int ipv6, const char *from, const char *to,
		uint8_t proto, size_t l4_len)
{
	const uint8_t us[6] = TEST_MAC_US, peer[6] = TEST_MAC_PEER;

	assert_memory_equal(frame, peer, 6);
	assert_memory_equal(frame + 6, us, 6);
	if (ipv6) {
		assert_int_equal(test_be16(frame, l3 - 2), RTE_ETHER_TYPE_IPV6);
		assert_int_equal(frame[l3] >> 4, 6);
		assert_int_equal(test_be16(frame, l3 + 4), l4_len);
		assert_int_equal(frame[l3 + 6], proto);
		assert_int_equal(frame[l3 + 7], 64);
		test_check_addr(frame + l3 + 8, 1, from);
		test_check_addr(frame + l3 + 24, 1, to);
	} else {
		assert_int_equal(test_be16(frame, l3 - 2), RTE_ETHER_TYPE_IPV4);
		assert_int_equal(frame[l3], 0x45);
		assert_int_equal(test_be16(frame, l3 + 2), 20 + l4_len);
		assert_int_equal(test_be16(frame, l3 + 6) & 0x3fff, 0); /* MF, offset */
		assert_int_equal(frame[l3 + 8], 64);
		assert_int_equal(frame[l3 + 9], proto);
		assert_true(test_ip4_cksum_ok(frame, l3));
		test_check_addr(frame + l3 + 12, 0, from);
		test_check_addr(frame + l3 + 16, 0, to);
	}
}

void
test_check_echo_reply(const uint8_t *out, size_t out_len, int ipv6, const char *from, uint16_t id,
		uint16_t seq, const void *data, size_t len)
{
	size_t l4 = test_l4_off_af(ipv6);

	assert_int_equal(out_len, l4 + 8 + len);
	test_check_ip_reply(out, RTE_ETHER_HDR_LEN, ipv6, from, test_ip_peer[ipv6 != 0],
			ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, 8 + len);
	assert_int_equal(out[l4], ipv6 ? 129 : 0); /* echo reply */
	assert_int_equal(out[l4 + 1], 0);
	assert_int_equal(test_be16(out, l4 + 4), id);
	assert_int_equal(test_be16(out, l4 + 6), seq);
	assert_memory_equal(out + l4 + 8, data, len);
	assert_true(test_l4_cksum_ok(out, out_len, RTE_ETHER_HDR_LEN, ipv6));
}

void
test_frame_defaults(struct test_frame *f, int ipv6)
{
	const uint8_t us[6] = TEST_MAC_US, peer[6] = TEST_MAC_PEER;

	memset(f, 0, sizeof(*f));
	memcpy(f->dst_mac, us, 6);
	memcpy(f->src_mac, peer, 6);
	f->vlan = -1;
	f->ipv6 = ipv6;
	f->src = test_ip_peer[ipv6 != 0];
	f->dst = test_ip_us[ipv6 != 0];
	f->ttl = 64;
	f->proto = IPPROTO_UDP;
}

size_t
test_l3_off(const struct test_frame *f)
{
	return RTE_ETHER_HDR_LEN + (f->vlan >= 0 ? 4 : 0);
}

size_t
test_l4_off(const struct test_frame *f)
{
	return test_l3_off(f) + (f->ipv6 ? 40 : 20);
}

size_t
test_l4_off_af(int ipv6)
{
	return RTE_ETHER_HDR_LEN + (ipv6 ? 40 : 20);
}

/* Ethernet (and VLAN) and IP header for an upper-layer packet of l4_len bytes. */
static size_t
build_l2_l3(uint8_t *buf, const struct test_frame *f, uint8_t proto, size_t l4_len)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;
	size_t off = RTE_ETHER_HDR_LEN;
	uint16_t type = f->ipv6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4;

	memcpy(&eh->dst_addr, f->dst_mac, 6);
	memcpy(&eh->src_addr, f->src_mac, 6);
	if (f->vlan >= 0) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(buf + off);

		eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(f->vlan);
		vh->eth_proto = rte_cpu_to_be_16(type);
		off += 4;
	} else {
		eh->ether_type = rte_cpu_to_be_16(type);
	}
	if (f->ipv6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + off);

		memset(ip, 0, sizeof(*ip));
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16(l4_len);
		ip->proto = proto;
		ip->hop_limits = f->ttl;
		test_addr(f->src, 1, ip->src_addr);
		test_addr(f->dst, 1, ip->dst_addr);
		return off + sizeof(*ip);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + off);

		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + l4_len);
		ip->time_to_live = f->ttl;
		ip->next_proto_id = proto;
		test_addr(f->src, 0, (uint8_t *)&ip->src_addr);
		test_addr(f->dst, 0, (uint8_t *)&ip->dst_addr);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		return off + sizeof(*ip);
	}
}

static uint16_t
l4_cksum(const uint8_t *buf, const struct test_frame *f, uint8_t proto, const void *l4, size_t len)
{
	const void *ip = buf + test_l3_off(f);

	if (f->ipv6)
		return ss_ip6_l4_cksum(ip, proto, l4, len);
	return ss_ip4_l4_cksum(ip, proto, l4, len);
}

size_t
test_build_udp(uint8_t *buf, const struct test_frame *f, uint16_t sport, uint16_t dport,
		const void *payload, size_t len)
{
	size_t off = build_l2_l3(buf, f, IPPROTO_UDP, sizeof(struct rte_udp_hdr) + len);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(buf + off);

	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + len);
	udp->dgram_cksum = 0;
	if (len > 0)
		memcpy(udp + 1, payload, len);
	udp->dgram_cksum = l4_cksum(buf, f, IPPROTO_UDP, udp, sizeof(*udp) + len);
	return off + sizeof(*udp) + len;
}

size_t
test_build_tcp(uint8_t *buf, const struct test_frame *f, uint16_t sport, uint16_t dport,
		uint8_t flags, uint32_t seq, uint32_t ack, const void *payload, size_t len)
{
	size_t off = build_l2_l3(buf, f, IPPROTO_TCP, sizeof(struct rte_tcp_hdr) + len);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(buf + off);

	memset(th, 0, sizeof(*th));
	th->src_port = rte_cpu_to_be_16(sport);
	th->dst_port = rte_cpu_to_be_16(dport);
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = rte_cpu_to_be_32(ack);
	th->data_off = 5 << 4;
	th->tcp_flags = flags;
	th->rx_win = rte_cpu_to_be_16(65535);
	if (len > 0)
		memcpy(th + 1, payload, len);
	th->cksum = l4_cksum(buf, f, IPPROTO_TCP, th, sizeof(*th) + len);
	return off + sizeof(*th) + len;
}

size_t
test_build_closed_port(uint8_t *buf, int ipv6, const char *dst, size_t len)
{
	uint8_t data[9000];
	struct test_frame f;

	assert_true(len <= sizeof(data));
	test_fill_pattern(data, len, 0);
	test_frame_defaults(&f, ipv6);
	if (dst != NULL)
		f.dst = dst;
	return test_build_udp(buf, &f, 40000, 4444, data, len);
}

size_t
test_build_ping(uint8_t *buf, int ipv6, const char *dst, uint16_t id, uint16_t seq,
		const void *data, size_t len)
{
	uint8_t body[9000];
	struct test_frame f;

	assert_true(4 + len <= sizeof(body));
	test_frame_defaults(&f, ipv6);
	f.proto = ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	if (dst != NULL)
		f.dst = dst;
	body[0] = id >> 8;
	body[1] = id & 0xff;
	body[2] = seq >> 8;
	body[3] = seq & 0xff;
	if (len > 0)
		memcpy(body + 4, data, len);
	return test_build_icmp(buf, &f, ipv6 ? 128 : 8, 0, body, 4 + len);
}

size_t
test_build_icmp(uint8_t *buf, const struct test_frame *f, uint8_t type, uint8_t code,
		const void *body, size_t len)
{
	uint8_t proto = f->ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	size_t off = build_l2_l3(buf, f, proto, 4 + len);
	uint8_t *icmp = buf + off;
	uint16_t c;

	icmp[0] = type;
	icmp[1] = code;
	icmp[2] = icmp[3] = 0;
	if (len > 0)
		memcpy(icmp + 4, body, len);
	if (f->ipv6)
		c = l4_cksum(buf, f, proto, icmp, 4 + len);
	else
		c = ~rte_raw_cksum(icmp, 4 + len);
	memcpy(icmp + 2, &c, 2);
	return off + 4 + len;
}

size_t
test_build_arp_request(uint8_t *buf, const char *target)
{
	const uint8_t peer[6] = TEST_MAC_PEER;
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;
	struct rte_arp_hdr *ah = (struct rte_arp_hdr *)(eh + 1);

	memset(buf, 0, 60);
	memset(&eh->dst_addr, 0xff, 6);
	memcpy(&eh->src_addr, peer, 6);
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	ah->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	ah->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ah->arp_hlen = 6;
	ah->arp_plen = 4;
	ah->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	memcpy(&ah->arp_data.arp_sha, peer, 6);
	test_addr(TEST_IP4_PEER, 0, (uint8_t *)&ah->arp_data.arp_sip);
	test_addr(target, 0, (uint8_t *)&ah->arp_data.arp_tip);
	return 60; /* padded to the Ethernet minimum, as on the wire */
}

int
test_ip4_cksum_ok(const uint8_t *frame, size_t l3_off)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + l3_off);

	return rte_raw_cksum(ip, (ip->version_ihl & 0xf) * 4) == 0xffff;
}

int
test_l4_cksum_ok(const uint8_t *frame, size_t len, size_t l3_off, int ipv6)
{
	if (ipv6) {
		const struct rte_ipv6_hdr *ip = (const void *)(frame + l3_off);
		uint16_t l4_len = rte_be_to_cpu_16(ip->payload_len);

		assert_true(l3_off + 40 + l4_len <= len);
		return ss_ip6_l4_cksum_ok(ip, ip->proto, ip + 1, l4_len);
	} else {
		const struct rte_ipv4_hdr *ip = (const void *)(frame + l3_off);
		size_t hlen = (ip->version_ihl & 0xf) * 4;
		uint16_t l4_len = rte_be_to_cpu_16(ip->total_length) - hlen;

		assert_true(l3_off + hlen + l4_len <= len);
		if (ip->next_proto_id == IPPROTO_ICMP)
			return rte_raw_cksum((const uint8_t *)ip + hlen, l4_len) == 0xffff;
		return ss_ip4_l4_cksum_ok(ip, ip->next_proto_id, (const uint8_t *)ip + hlen,
				l4_len);
	}
}

enum ss_verdict
test_input_mbuf(struct test_env *env, struct rte_mbuf *m, uint8_t *out, size_t *out_len)
{
	struct ss_pkt p = {
		.m = m,
		.w = &env->worker,
		.iface = &env->iface,
		.stats = &env->worker.stats[0],
	};
	enum ss_verdict v;

	v = ss_eth_input(&p);
	if (v == SS_VERDICT_TX && out != NULL) {
		assert_int_equal(p.m->nb_segs, 1);
		assert_true(p.m->data_len <= *out_len);
		memcpy(out, rte_pktmbuf_mtod(p.m, void *), p.m->data_len);
		*out_len = p.m->data_len;
		assert_int_equal(p.m->data_len, p.m->pkt_len);
	}
	env->worker.stats[0].drop[v]++;
	/* With SS_VERDICT_TCP the connection has the mbuf (freed or held). */
	if (v != SS_VERDICT_TCP)
		rte_pktmbuf_free(p.m);
	return v;
}

enum ss_verdict
test_input_flags(struct test_env *env, const void *frame, size_t len, uint64_t ol_flags,
		uint8_t *out, size_t *out_len)
{
	struct rte_mbuf *m = test_mbuf(env, frame, len);

	m->ol_flags |= ol_flags;
	return test_input_mbuf(env, m, out, out_len);
}

size_t
test_ip4_add_options(uint8_t *buf, size_t len, size_t l3_off, const void *opt, size_t opt_len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + l3_off);
	size_t hlen = (ip->version_ihl & 0xf) * 4;

	assert_int_equal(opt_len % 4, 0);
	assert_true(hlen + opt_len <= 60);
	memmove(buf + l3_off + hlen + opt_len, buf + l3_off + hlen, len - l3_off - hlen);
	memcpy(buf + l3_off + hlen, opt, opt_len);
	ip->version_ihl = 0x40 | ((hlen + opt_len) / 4);
	ip->total_length = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->total_length) + opt_len);
	test_fix_ip4_cksum(buf, l3_off);
	return len + opt_len;
}

size_t
test_ip6_add_ext(uint8_t *buf, size_t len, size_t l3_off, uint8_t type, const void *ext,
		size_t ext_len)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + l3_off);
	uint8_t *h = buf + l3_off + sizeof(*ip);

	assert_int_equal(ext_len % 8, 0);
	memmove(h + ext_len, h, len - l3_off - sizeof(*ip));
	memcpy(h, ext, ext_len);
	h[0] = ip->proto;
	ip->proto = type;
	ip->payload_len = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->payload_len) + ext_len);
	return len + ext_len;
}

void
test_set_ip_payload_len(uint8_t *buf, size_t l3_off, int ipv6, size_t len)
{
	if (ipv6) {
		buf[l3_off + 4] = len >> 8;
		buf[l3_off + 5] = len & 0xff;
	} else {
		buf[l3_off + 2] = (20 + len) >> 8;
		buf[l3_off + 3] = (20 + len) & 0xff;
		test_fix_ip4_cksum(buf, l3_off);
	}
}

void
test_fix_ip4_cksum(uint8_t *buf, size_t l3_off)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + l3_off);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = ~rte_raw_cksum(ip, (ip->version_ihl & 0xf) * 4);
}

void
test_fix_l4_cksum(uint8_t *buf, size_t l3_off, int ipv6)
{
	uint8_t proto, *l4;
	uint16_t len, c;
	size_t at;

	if (ipv6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + l3_off);

		proto = ip->proto;
		l4 = (uint8_t *)(ip + 1);
		len = rte_be_to_cpu_16(ip->payload_len);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + l3_off);
		size_t hlen = (ip->version_ihl & 0xf) * 4;

		proto = ip->next_proto_id;
		l4 = (uint8_t *)ip + hlen;
		len = rte_be_to_cpu_16(ip->total_length) - hlen;
	}
	switch (proto) {
	case IPPROTO_UDP:
		at = 6;
		break;
	case IPPROTO_TCP:
		at = 16;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		at = 2;
		break;
	default:
		fail_msg("test_fix_l4_cksum: protocol %u", proto);
		return;
	}
	l4[at] = l4[at + 1] = 0;
	if (proto == IPPROTO_ICMP)
		c = ~rte_raw_cksum(l4, len);
	else if (ipv6)
		c = ss_ip6_l4_cksum((const void *)(buf + l3_off), proto, l4, len);
	else
		c = ss_ip4_l4_cksum((const void *)(buf + l3_off), proto, l4, len);
	memcpy(l4 + at, &c, 2);
}

uint16_t
test_be16(const uint8_t *buf, size_t off)
{
	return (uint16_t)(buf[off] << 8 | buf[off + 1]);
}

uint32_t
test_be32(const uint8_t *buf, size_t off)
{
	return (uint32_t)buf[off] << 24 | (uint32_t)buf[off + 1] << 16 |
			(uint32_t)buf[off + 2] << 8 | buf[off + 3];
}

/*
 * TCP helpers.
 */

void
test_tcp_parse(const uint8_t *frame, size_t len, struct test_seg *s)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)frame;
	size_t l3 = RTE_ETHER_HDR_LEN, l4, hlen, l4_len, i;
	const uint8_t *th, *o;
	unsigned int b;
	uint16_t type;

	memset(s, 0, offsetof(struct test_seg, data));
	assert_true(len >= RTE_ETHER_HDR_LEN);
	memcpy(s->dst_mac, &eh->dst_addr, 6);
	memcpy(s->src_mac, &eh->src_addr, 6);
	type = rte_be_to_cpu_16(eh->ether_type);
	s->vlan = -1;
	if (type == RTE_ETHER_TYPE_VLAN) {
		s->vlan = test_be16(frame, l3) & 0xfff;
		type = test_be16(frame, l3 + 2);
		l3 += 4;
	}
	if (type == RTE_ETHER_TYPE_IPV4) {
		const struct rte_ipv4_hdr *ip = (const void *)(frame + l3);

		assert_int_equal(ip->version_ihl, 0x45);
		assert_true(test_ip4_cksum_ok(frame, l3));
		assert_int_equal(ip->next_proto_id, IPPROTO_TCP);
		l4_len = rte_be_to_cpu_16(ip->total_length) - 20;
		l4 = l3 + 20;
		memcpy(s->src, &ip->src_addr, 4);
		memcpy(s->dst, &ip->dst_addr, 4);
		s->ttl = ip->time_to_live;
		s->df = (rte_be_to_cpu_16(ip->fragment_offset) & RTE_IPV4_HDR_DF_FLAG) != 0;
	} else {
		const struct rte_ipv6_hdr *ip = (const void *)(frame + l3);

		assert_int_equal(type, RTE_ETHER_TYPE_IPV6);
		assert_int_equal(ip->proto, IPPROTO_TCP);
		s->ipv6 = 1;
		l4_len = rte_be_to_cpu_16(ip->payload_len);
		l4 = l3 + 40;
		memcpy(s->src, ip->src_addr, 16);
		memcpy(s->dst, ip->dst_addr, 16);
		s->ttl = ip->hop_limits;
	}
	/* Exactly the segment: no padding behind it, nothing cut short. */
	assert_int_equal(l4 + l4_len, len);
	assert_true(l4_len >= 20);
	assert_true(test_l4_cksum_ok(frame, len, l3, s->ipv6));
	th = frame + l4;
	s->sport = test_be16(th, 0);
	s->dport = test_be16(th, 2);
	s->seq = test_be32(th, 4);
	s->ack = test_be32(th, 8);
	hlen = (th[12] >> 4) * 4;
	assert_true(hlen >= 20 && hlen <= l4_len);
	assert_int_equal(th[12] & 0x0f, 0);
	s->flags = th[13];
	s->win = test_be16(th, 14);
	s->urp = test_be16(th, 18);
	s->opt_len = hlen - 20;
	s->mss = -1;
	s->wscale = -1;
	o = th + 20;
	for (i = 0; i < s->opt_len;) {
		uint8_t kind = o[i], olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		assert_true(i + 1 < s->opt_len);
		olen = o[i + 1];
		assert_true(olen >= 2 && i + olen <= s->opt_len);
		switch (kind) {
		case 2:
			assert_int_equal(olen, 4);
			s->mss = test_be16(o, i + 2);
			break;
		case 3:
			assert_int_equal(olen, 3);
			s->wscale = o[i + 2];
			break;
		case 4:
			assert_int_equal(olen, 2);
			s->sack_ok = 1;
			break;
		case 5:
			assert_int_equal((olen - 2) % 8, 0);
			s->n_sack = (olen - 2) / 8;
			assert_true(s->n_sack >= 1 && s->n_sack <= 4);
			for (b = 0; b < s->n_sack; b++) {
				s->sack[b][0] = test_be32(o, i + 2 + 8 * b);
				s->sack[b][1] = test_be32(o, i + 6 + 8 * b);
			}
			break;
		default:
			fail_msg("unexpected TCP option %u", kind);
		}
		i += olen;
	}
	s->len = l4_len - hlen;
	assert_true(s->len <= TEST_SEG_DATA_MAX);
	memcpy(s->data, th + hlen, s->len);
}

unsigned int
test_tcp_drain(struct test_env *env, struct test_seg *segs, unsigned int max)
{
	struct ss_txbuf *b = &env->worker.txbuf[0];
	uint8_t frame[9100];
	unsigned int i, n;

	ss_tcp_flush(&env->worker);
	n = b->n;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = b->pkts[i];

		assert_int_equal(m->nb_segs, 1);
		assert_int_equal(m->data_len, m->pkt_len);
		assert_true(m->data_len <= sizeof(frame));
		memcpy(frame, rte_pktmbuf_mtod(m, void *), m->data_len);
		if (i < max)
			test_tcp_parse(frame, m->data_len, &segs[i]);
		rte_pktmbuf_free(m);
	}
	b->n = 0;
	if (n > max)
		fail_msg("the stack sent %u segments, at most %u expected", n, max);
	return n;
}

void
test_tcp_set_tick(struct test_env *env, uint32_t tick)
{
	struct ss_tcp *tcp = &env->worker.tcp;

	env->worker.now = tcp->tsc_base + (uint64_t)(tick - 1) * tcp->cycles_per_tick;
	ss_tcp_timers(&env->worker);
	assert_int_equal(tcp->tick, tick);
}

void
test_tcp_advance(struct test_env *env, uint32_t ms)
{
	test_tcp_set_tick(env, env->worker.tcp.tick + ms);
}

size_t
test_build_tcp_opt(uint8_t *buf, const struct test_frame *f, uint16_t sport, uint16_t dport,
		uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opt,
		size_t opt_len, const void *payload, size_t len)
{
	uint8_t body[9000];
	size_t l4 = test_l4_off(f), n;

	assert_int_equal(opt_len % 4, 0);
	assert_true(opt_len <= 40 && opt_len + len <= sizeof(body));
	if (opt_len > 0)
		memcpy(body, opt, opt_len);
	if (len > 0)
		memcpy(body + opt_len, payload, len);
	n = test_build_tcp(buf, f, sport, dport, flags, seq, ack, body, opt_len + len);
	buf[l4 + 12] = (uint8_t)((5 + opt_len / 4) << 4);
	buf[l4 + 14] = win >> 8;
	buf[l4 + 15] = win & 0xff;
	test_fix_l4_cksum(buf, test_l3_off(f), f->ipv6);
	return n;
}

size_t
test_syn_options(uint8_t *opt, int mss, int wscale, int sack)
{
	size_t n = 0;

	if (mss > 0) {
		opt[n++] = 2;
		opt[n++] = 4;
		opt[n++] = mss >> 8;
		opt[n++] = mss & 0xff;
	}
	if (wscale >= 0) {
		opt[n++] = 1;
		opt[n++] = 3;
		opt[n++] = 3;
		opt[n++] = wscale;
	}
	if (sack) {
		opt[n++] = 1;
		opt[n++] = 1;
		opt[n++] = 4;
		opt[n++] = 2;
	}
	return n;
}

size_t
test_sack_option(uint8_t *opt, const uint32_t blocks[][2], unsigned int n)
{
	unsigned int i;

	opt[0] = 1;
	opt[1] = 1;
	opt[2] = 5;
	opt[3] = 2 + 8 * n;
	for (i = 0; i < n; i++) {
		uint32_t l = rte_cpu_to_be_32(blocks[i][0]), r = rte_cpu_to_be_32(blocks[i][1]);

		memcpy(opt + 4 + 8 * i, &l, 4);
		memcpy(opt + 8 + 8 * i, &r, 4);
	}
	return 4 + 8 * n;
}

void
test_peer_init(struct test_peer *p, struct test_env *env, int ipv6, const char *addr,
		uint16_t sport, uint16_t dport, uint32_t iss)
{
	memset(p, 0, sizeof(*p));
	p->env = env;
	test_frame_defaults(&p->f, ipv6);
	p->f.proto = IPPROTO_TCP;
	if (addr != NULL)
		p->f.src = addr;
	p->sport = sport;
	p->dport = dport;
	p->iss = iss;
	p->snd_nxt = iss;
	p->win = 65535;
}

enum ss_verdict
test_peer_seg(struct test_peer *p, const struct test_seg_spec *s, struct test_seg *reply)
{
	uint8_t buf[9100], out[9100];
	size_t n, out_len = sizeof(out);
	uint32_t seq = p->snd_nxt, ack = 0;
	enum ss_verdict v;

	/* A number written as .seq = x, not SEQ(x), would be dropped for the default. */
	if ((!s->seq_set && s->seq != 0) || (!s->ack_set && s->ack != 0))
		fail_msg("seq or ack given without SEQ() or ACK()");
	if (s->seq_set)
		seq = s->seq;
	if (s->ack_set)
		ack = s->ack;
	else if (s->flags & RTE_TCP_ACK_FLAG)
		ack = p->rcv_nxt;
	n = test_build_tcp_opt(buf, &p->f, p->sport, p->dport, s->flags, seq, ack, p->win, s->opt,
			s->opt_len, s->data, s->len);
	v = test_input(p->env, buf, n, out, &out_len);
	if (v == SS_VERDICT_TX && reply != NULL)
		test_tcp_parse(out, out_len, reply);
	return v;
}

enum ss_verdict
test_peer_data(struct test_peer *p, uint8_t flags, const void *data, size_t len)
{
	enum ss_verdict v;

	v = test_peer_seg(p,
			&(struct test_seg_spec){ .flags = flags | RTE_TCP_ACK_FLAG,
					.data = data,
					.len = len },
			NULL);
	p->snd_nxt += len + ((flags & RTE_TCP_FIN_FLAG) ? 1 : 0);
	return v;
}

void
test_peer_syn(struct test_peer *p, int mss, int wscale, int sack, struct test_seg *synack)
{
	uint8_t opt[40];
	size_t n = test_syn_options(opt, mss, wscale, sack);
	struct test_seg local;

	if (synack == NULL)
		synack = &local;
	assert_int_equal(test_peer_seg(p,
					 &(struct test_seg_spec){ .flags = RTE_TCP_SYN_FLAG,
							 .seq_set = true,
							 .seq = p->iss,
							 .opt = opt,
							 .opt_len = n },
					 synack),
			SS_VERDICT_TX);
	assert_int_equal(synack->flags, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG);
	assert_int_equal(synack->ack, p->iss + 1);
	p->snd_nxt = p->iss + 1;
	p->our_iss = synack->seq;
	p->rcv_nxt = synack->seq + 1;
}

void
test_peer_connect(struct test_peer *p, int mss, int wscale, int sack)
{
	struct ss_tcp_conn *c;

	test_peer_syn(p, mss, wscale, sack, NULL);
	assert_int_equal(test_peer_data(p, 0, NULL, 0), SS_VERDICT_TCP);
	c = test_peer_conn(p);
	assert_non_null(c);
	assert_true(c->state >= SS_TCP_ESTABLISHED);
}

void
test_peer_key(const struct test_peer *p, struct ss_tcp_key *k)
{
	memset(k, 0, sizeof(*k));
	if (p->f.ipv6) {
		test_addr(p->f.src, 1, k->raddr);
		test_addr(p->f.dst, 1, k->laddr);
	} else {
		k->raddr[10] = k->raddr[11] = 0xff;
		k->laddr[10] = k->laddr[11] = 0xff;
		test_addr(p->f.src, 0, k->raddr + 12);
		test_addr(p->f.dst, 0, k->laddr + 12);
	}
	k->rport = rte_cpu_to_be_16(p->sport);
	k->lport = rte_cpu_to_be_16(p->dport);
}

struct ss_tcp_conn *
test_peer_conn(const struct test_peer *p)
{
	struct ss_tcp_key k;

	test_peer_key(p, &k);
	return ss_tcp_lookup(&p->env->worker.tcp.table, &k);
}

uint8_t
test_chargen_byte(uint64_t k)
{
	uint64_t line = (k / 74) % 95, col = k % 74;

	if (col < 72)
		return 0x20 + (line + col) % 95;
	return col == 72 ? '\r' : '\n';
}

void
test_chargen_check(const uint8_t *d, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (d[i] != test_chargen_byte(off + i))
			fail_msg("chargen byte at offset %" PRIu64 " is 0x%02x, not 0x%02x",
					off + i, d[i], test_chargen_byte(off + i));
}

void
test_fill_pattern(uint8_t *d, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		d[i] = (uint8_t)(i * 7 + seed);
}
