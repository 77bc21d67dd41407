/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address classification: martian sources, what a destination is to the
 * port (ours, directed or limited broadcast, multicast, solicited-node),
 * /31 and /32 prefixes that have no broadcast address; the port's own
 * link-local address (modified EUI-64).
 */
#include "harness.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

static uint32_t
ip4(const char *s)
{
	uint32_t a;

	test_addr(s, 0, (uint8_t *)&a);
	return a;
}

static const uint8_t *
ip6(const char *s)
{
	/* A small ring so that a test can hold a few results at once. */
	static uint8_t ring[8][16];
	static unsigned int next;
	uint8_t *a = ring[next++ % 8];

	test_addr(s, 1, a);
	return a;
}

static void
add4(struct ss_port_cfg *p, const char *addr, uint8_t len)
{
	ss_ip4_prefix_set(&p->ip4[p->n_ip4], ip4(addr), len);
	p->n_ip4++;
}

static void
add6(struct ss_port_cfg *p, const char *addr, uint8_t len)
{
	memcpy(p->ip6[p->n_ip6].addr, ip6(addr), 16);
	p->ip6[p->n_ip6].len = len;
	p->n_ip6++;
	ss_ip6_list_index(p);
}

/* 192.0.2.1/24, 198.51.100.8/31, 203.0.113.5/32; 2001:db8::1/64, 2001:db8:1::abcd:1234/64. */
static void
test_port(struct ss_port_cfg *p)
{
	memset(p, 0, sizeof(*p));
	add4(p, "192.0.2.1", 24);
	add4(p, "198.51.100.8", 31);
	add4(p, "203.0.113.5", 32);
	add6(p, "2001:db8::1", 64);
	add6(p, "2001:db8:1::abcd:1234", 64);
}

static void
check4_martian(const char *s, bool expect)
{
	if (ss_ip4_martian(ip4(s)) != expect)
		fail_msg("ss_ip4_martian(%s) should be %d", s, expect);
}

static void
test_ip4_martian(void **state)
{
	static const char *const martian[] = {
		"0.0.0.0",
		"0.1.2.3",
		"0.255.255.255",
		"127.0.0.1",
		"127.255.255.255",
		"127.1.2.3",
		"224.0.0.1",
		"224.0.0.0",
		"239.255.255.255",
		"240.0.0.0",
		"240.0.0.1",
		"250.1.2.3",
		"255.255.255.254",
		"255.255.255.255",
	};
	static const char *const honest[] = {
		"1.0.0.0",
		"1.2.3.4",
		"126.255.255.255",
		"128.0.0.0",
		"192.0.2.1",
		"198.51.100.7",
		"203.0.113.200",
		"223.255.255.255",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(martian); i++)
		check4_martian(martian[i], true);
	for (i = 0; i < RTE_DIM(honest); i++)
		check4_martian(honest[i], false);
}

static void
check6_martian(const char *s, bool expect)
{
	if (ss_ip6_martian(ip6(s)) != expect)
		fail_msg("ss_ip6_martian(%s) should be %d", s, expect);
}

static void
test_ip6_martian(void **state)
{
	static const char *const martian[] = {
		"::",
		"::1",
		"ff00::",
		"ff02::1",
		"ff02::1:ff00:1",
		"ff05::2",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"::ffff:0:0",
		"::ffff:192.0.2.1",
		"::ffff:255.255.255.255",
		"::ffff:127.0.0.1",
	};
	static const char *const honest[] = {
		"2001:db8::1",
		"fe80::1",
		"fc00::1",
		"::2",
		"::1:0",
		"::fffe:c000:201",
		"0:0:0:0:1:ffff:c000:201",
		"1::ffff:c000:201",
		"64:ff9b::c000:201",
		"feff::1",
		"2001:db8::ff00:0",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(martian); i++)
		check6_martian(martian[i], true);
	for (i = 0; i < RTE_DIM(honest); i++)
		check6_martian(honest[i], false);
}

static void
test_ip4_helpers(void **state)
{
	struct ss_ip4_prefix p = { .addr = ip4("192.0.2.77"), .len = 24 };

	(void)state;
	assert_int_equal(ss_ip4_mask(0), 0);
	assert_int_equal(ss_ip4_mask(32), UINT32_MAX);
	assert_int_equal(ss_ip4_mask(24), ip4("255.255.255.0"));
	assert_int_equal(ss_ip4_mask(1), ip4("128.0.0.0"));
	assert_int_equal(ss_ip4_mask(31), ip4("255.255.255.254"));
	assert_int_equal(ss_ip4_network(&p), ip4("192.0.2.0"));
	assert_int_equal(ss_ip4_bcast(&p), ip4("192.0.2.255"));
	p.len = 28;
	assert_int_equal(ss_ip4_network(&p), ip4("192.0.2.64"));
	assert_int_equal(ss_ip4_bcast(&p), ip4("192.0.2.79"));
}

static void
check4_match(const struct ss_port_cfg *p, const char *dst, enum ss_addr_match expect)
{
	enum ss_addr_match m = ss_ip4_match(p, ip4(dst));

	if (m != expect)
		fail_msg("ss_ip4_match(%s) = %d, expected %d", dst, m, expect);
}

static void
test_ip4_match(void **state)
{
	struct ss_port_cfg p;

	(void)state;
	test_port(&p);
	check4_match(&p, "192.0.2.1", SS_ADDR_LOCAL);
	check4_match(&p, "198.51.100.8", SS_ADDR_LOCAL);
	check4_match(&p, "203.0.113.5", SS_ADDR_LOCAL);
	/* Directed broadcast of the /24, the limited broadcast. */
	check4_match(&p, "192.0.2.255", SS_ADDR_BROADCAST);
	check4_match(&p, "255.255.255.255", SS_ADDR_BROADCAST);
	/* Other hosts of our subnets and the world are not ours. */
	check4_match(&p, "192.0.2.2", SS_ADDR_NONE);
	check4_match(&p, "192.0.2.254", SS_ADDR_NONE);
	check4_match(&p, "192.0.3.1", SS_ADDR_NONE);
	check4_match(&p, "198.51.100.1", SS_ADDR_NONE);
	/* /31 (RFC 3021) and /32: no broadcast address, the other end is a host. */
	check4_match(&p, "198.51.100.9", SS_ADDR_NONE);
	check4_match(&p, "198.51.100.255", SS_ADDR_NONE);
	check4_match(&p, "203.0.113.255", SS_ADDR_NONE);
	check4_match(&p, "203.0.113.4", SS_ADDR_NONE);
	check4_match(&p, "224.0.0.1", SS_ADDR_MULTICAST);
	check4_match(&p, "239.255.255.250", SS_ADDR_MULTICAST);
	check4_match(&p, "240.0.0.1", SS_ADDR_NONE);
}

static void
test_ip4_match_second_subnet_broadcast(void **state)
{
	struct ss_port_cfg p;

	(void)state;
	memset(&p, 0, sizeof(p));
	add4(&p, "192.0.2.1", 24);
	add4(&p, "198.51.100.130", 25);
	check4_match(&p, "198.51.100.255", SS_ADDR_BROADCAST);
	check4_match(&p, "198.51.100.127", SS_ADDR_NONE);
	check4_match(&p, "198.51.100.130", SS_ADDR_LOCAL);
	/* A port without IPv4 still sees the limited broadcast as broadcast. */
	memset(&p, 0, sizeof(p));
	check4_match(&p, "192.0.2.1", SS_ADDR_NONE);
	check4_match(&p, "255.255.255.255", SS_ADDR_BROADCAST);
	check4_match(&p, "224.0.0.251", SS_ADDR_MULTICAST);
}

static void
check4_src(const struct ss_port_cfg *p, const char *src, bool expect)
{
	if (ss_ip4_src_invalid(p, ip4(src)) != expect)
		fail_msg("ss_ip4_src_invalid(%s) should be %d", src, expect);
}

static void
test_ip4_src_invalid(void **state)
{
	struct ss_port_cfg p;

	(void)state;
	test_port(&p);
	check4_src(&p, "0.0.0.0", true);
	check4_src(&p, "127.0.0.1", true);
	check4_src(&p, "224.0.0.1", true);
	check4_src(&p, "240.0.0.1", true);
	check4_src(&p, "255.255.255.255", true);
	/* Our own addresses and our subnet's broadcast are not a peer's. */
	check4_src(&p, "192.0.2.1", true);
	check4_src(&p, "198.51.100.8", true);
	check4_src(&p, "203.0.113.5", true);
	check4_src(&p, "192.0.2.255", true);
	check4_src(&p, "192.0.2.254", false);
	check4_src(&p, "198.51.100.9", false); /* the other end of the /31 */
	check4_src(&p, "203.0.113.6", false);
	check4_src(&p, "198.51.100.255", false);
	check4_src(&p, "1.1.1.1", false);
}

static void
test_solicited_node(void **state)
{
	uint8_t out[16];

	(void)state;
	ss_ip6_solicited_node(ip6("2001:db8::1234:5678:9abc"), out);
	assert_memory_equal(out, ip6("ff02::1:ff78:9abc"), 16);
	ss_ip6_solicited_node(ip6("2001:db8::1"), out);
	assert_memory_equal(out, ip6("ff02::1:ff00:1"), 16);
	ss_ip6_solicited_node(ip6("fe80::ffff:ffff:ffff:ffff"), out);
	assert_memory_equal(out, ip6("ff02::1:ffff:ffff"), 16);
}

static void
check6_match(const struct ss_port_cfg *p, const char *dst, enum ss_addr_match expect)
{
	enum ss_addr_match m = ss_ip6_match(p, ip6(dst));

	if (m != expect)
		fail_msg("ss_ip6_match(%s) = %d, expected %d", dst, m, expect);
}

static void
test_ip6_match(void **state)
{
	struct ss_port_cfg p;

	(void)state;
	test_port(&p);
	check6_match(&p, "2001:db8::1", SS_ADDR_LOCAL);
	check6_match(&p, "2001:db8:1::abcd:1234", SS_ADDR_LOCAL);
	check6_match(&p, "2001:db8::2", SS_ADDR_NONE);
	check6_match(&p, "2001:db8:1::1", SS_ADDR_NONE);
	check6_match(&p, "fe80::1", SS_ADDR_NONE);
	check6_match(&p, "ff02::1:ff00:1", SS_ADDR_SOLICITED);
	check6_match(&p, "ff02::1:ffcd:1234", SS_ADDR_SOLICITED);
	/* Another node's group, the right group at another scope: multicast. */
	check6_match(&p, "ff02::1:ff00:2", SS_ADDR_MULTICAST);
	check6_match(&p, "ff05::1:ff00:1", SS_ADDR_MULTICAST);
	check6_match(&p, "ff02::1", SS_ADDR_MULTICAST);
	check6_match(&p, "ff02::2", SS_ADDR_MULTICAST);
}

static void
test_ip6_find(void **state)
{
	struct ss_port_cfg p;

	(void)state;
	test_port(&p);
	assert_ptr_equal(ss_ip6_find(&p, ip6("2001:db8::1")), &p.ip6[0]);
	assert_ptr_equal(ss_ip6_find(&p, ip6("2001:db8:1::abcd:1234")), &p.ip6[1]);
	assert_null(ss_ip6_find(&p, ip6("2001:db8::3")));
	assert_null(ss_ip6_find(&p, ip6("ff02::1:ff00:1")));
	p.n_ip6 = 1; /* entries past n_ip6 do not count */
	ss_ip6_list_index(&p);
	assert_null(ss_ip6_find(&p, ip6("2001:db8:1::abcd:1234")));
	/* A link-local address behind the others is found, and costs them nothing. */
	add6(&p, "fe80::1", 64);
	assert_int_equal(p.n_ip6_not_fe, 1);
	assert_ptr_equal(ss_ip6_find(&p, ip6("fe80::1")), &p.ip6[1]);
	assert_ptr_equal(ss_ip6_find(&p, ip6("2001:db8::1")), &p.ip6[0]);
	/* One in front of a global one: both are looked at. */
	memcpy(p.ip6[0].addr, ip6("fe80::2"), 16);
	memcpy(p.ip6[1].addr, ip6("2001:db8::9"), 16);
	ss_ip6_list_index(&p);
	assert_int_equal(p.n_ip6_not_fe, 2);
	assert_ptr_equal(ss_ip6_find(&p, ip6("2001:db8::9")), &p.ip6[1]);
	assert_ptr_equal(ss_ip6_find(&p, ip6("fe80::2")), &p.ip6[0]);
}

static void
check6_src(const struct ss_port_cfg *p, const char *src, bool expect)
{
	if (ss_ip6_src_invalid(p, ip6(src)) != expect)
		fail_msg("ss_ip6_src_invalid(%s) should be %d", src, expect);
}

static void
test_ip6_src_invalid(void **state)
{
	struct ss_port_cfg p;

	(void)state;
	test_port(&p);
	check6_src(&p, "::", true);
	check6_src(&p, "::1", true);
	check6_src(&p, "ff02::1", true);
	check6_src(&p, "::ffff:192.0.2.254", true);
	check6_src(&p, "2001:db8::1", true);
	check6_src(&p, "2001:db8:1::abcd:1234", true);
	check6_src(&p, "2001:db8::fe", false);
	check6_src(&p, "fe80::2", false);
	check6_src(&p, "2001:db8:ffff::1", false);
}

static void
test_ip6_predicates(void **state)
{
	(void)state;
	assert_true(ss_ip6_is_multicast(ip6("ff02::1")));
	assert_false(ss_ip6_is_multicast(ip6("fe80::1")));
	assert_true(ss_ip6_is_linklocal(ip6("fe80::1")));
	assert_true(ss_ip6_is_linklocal(ip6("febf::1")));
	assert_false(ss_ip6_is_linklocal(ip6("fec0::1")));
	assert_false(ss_ip6_is_linklocal(ip6("2001:db8::1")));
	assert_true(ss_ip6_is_linklocal64(ip6("fe80::1")));
	assert_true(ss_ip6_is_linklocal64(ip6("fe80::ffff:ffff:ffff:ffff")));
	assert_false(ss_ip6_is_linklocal64(ip6("fe80:0:0:1::1")));
	assert_false(ss_ip6_is_linklocal64(ip6("febf::1")));
	assert_true(ss_ip6_is_unspecified(ip6("::")));
	assert_false(ss_ip6_is_unspecified(ip6("::1")));
	assert_false(ss_ip6_is_unspecified(ip6("8000::")));
}

static void
check_eui64(const char *mac_str, const char *want)
{
	uint8_t mac[6], out[16];

	assert_int_equal(sscanf(mac_str, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
					 &mac[3], &mac[4], &mac[5]),
			6);
	ss_ip6_link_local_eui64(mac, out);
	test_check_addr(out, 1, want);
}

static void
test_link_local_eui64(void **state)
{
	(void)state;
	/* RFC 4291 appendix A: ff:fe in the middle, the universal/local bit flipped. */
	check_eui64("34:56:78:9a:bc:de", "fe80::3656:78ff:fe9a:bcde");
	check_eui64("52:54:00:12:34:56", "fe80::5054:ff:fe12:3456"); /* what Linux makes */
	check_eui64("02:00:00:00:00:01", "fe80::ff:fe00:1");
	check_eui64("00:00:00:00:00:00", "fe80::200:ff:fe00:0");
	check_eui64("ff:ff:ff:ff:ff:ff", "fe80::fdff:ffff:feff:ffff");
}

static void
test_link_local_add(void **state)
{
	const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
	const struct ss_ip6_prefix *ll;
	struct ss_port_cfg p;
	char name[32];
	unsigned int i;

	(void)state;
	/* auto: behind the configured addresses, /64, ours in every respect. */
	test_port(&p);
	ll = ss_ip6_link_local_add(&p, mac);
	assert_ptr_equal(ll, &p.ip6[2]);
	assert_int_equal(p.n_ip6, 3);
	assert_int_equal(ll->len, 64);
	test_check_addr(ll->addr, 1, "fe80::5eff:fe10:2030");
	check6_match(&p, "fe80::5eff:fe10:2030", SS_ADDR_LOCAL);
	check6_match(&p, "ff02::1:ff10:2030", SS_ADDR_SOLICITED);
	check6_src(&p, "fe80::5eff:fe10:2030", true);
	check6_src(&p, "fe80::2", false);
	/* Once only: then the list holds a link-local address. */
	assert_null(ss_ip6_link_local_add(&p, mac));
	assert_int_equal(p.n_ip6, 3);
	/* One listed in ipv6 stands in for the derived one. */
	test_port(&p);
	add6(&p, "fe80::1", 64);
	assert_null(ss_ip6_link_local_add(&p, mac));
	assert_int_equal(p.n_ip6, 3);
	/* off: none. */
	test_port(&p);
	p.link_local = SS_LINK_LOCAL_OFF;
	assert_null(ss_ip6_link_local_add(&p, mac));
	assert_int_equal(p.n_ip6, 2);
	/* An address given: that one, not twice. */
	test_port(&p);
	p.link_local = SS_LINK_LOCAL_ADDR;
	memcpy(p.link_local_addr, ip6("fe80::53"), 16);
	ll = ss_ip6_link_local_add(&p, mac);
	assert_non_null(ll);
	test_check_addr(ll->addr, 1, "fe80::53");
	assert_null(ss_ip6_link_local_add(&p, mac));
	/* A port with no IPv6 address gets one, and one with the most, too. */
	memset(&p, 0, sizeof(p));
	assert_non_null(ss_ip6_link_local_add(&p, mac));
	assert_int_equal(p.n_ip6, 1);
	memset(&p, 0, sizeof(p));
	for (i = 0; i < SS_MAX_ADDRS; i++) {
		snprintf(name, sizeof(name), "2001:db8:%x::1", i);
		add6(&p, name, 64);
	}
	ll = ss_ip6_link_local_add(&p, mac);
	assert_ptr_equal(ll, &p.ip6[SS_MAX_ADDRS]);
	check6_match(&p, "fe80::5eff:fe10:2030", SS_ADDR_LOCAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip4_martian),
		cmocka_unit_test(test_ip6_martian),
		cmocka_unit_test(test_ip4_helpers),
		cmocka_unit_test(test_ip4_match),
		cmocka_unit_test(test_ip4_match_second_subnet_broadcast),
		cmocka_unit_test(test_ip4_src_invalid),
		cmocka_unit_test(test_solicited_node),
		cmocka_unit_test(test_ip6_match),
		cmocka_unit_test(test_ip6_find),
		cmocka_unit_test(test_ip6_src_invalid),
		cmocka_unit_test(test_ip6_predicates),
		cmocka_unit_test(test_link_local_eui64),
		cmocka_unit_test(test_link_local_add),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
