/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NUMA placement: which socket the mbuf pool and each worker's structures
 * go on, and when a worker's lcore is said to be on another socket than its
 * ports; machines of two and four sockets, ports of unknown socket (-1,
 * virtual devices), mixed.
 */
#include "harness.h"

#include <string.h>

#include "numa.h"

#define ANY (-1)

static int
pool(const int *s, unsigned int n, int fallback, bool *mixed)
{
	return ss_numa_pool_socket(s, n, fallback, mixed);
}

static void
test_pool_one_socket(void **state)
{
	const int one[] = { 1 }, two[] = { 1, 1 }, with_vdev[] = { ANY, 1, ANY };
	bool mixed = true;

	(void)state;
	assert_int_equal(pool(one, 1, 0, &mixed), 1);
	assert_false(mixed);
	assert_int_equal(pool(two, 2, 0, &mixed), 1);
	assert_false(mixed);
	/* A virtual device beside a NIC takes the NIC's socket. */
	assert_int_equal(pool(with_vdev, 3, 0, &mixed), 1);
	assert_false(mixed);
}

static void
test_pool_unknown(void **state)
{
	const int vdevs[] = { ANY, ANY };
	bool mixed = true;

	(void)state;
	/* Nothing known: the caller's fallback (the main lcore's socket). */
	assert_int_equal(pool(vdevs, 2, 3, &mixed), 3);
	assert_false(mixed);
	assert_int_equal(pool(vdevs, 0, 2, &mixed), 2);
	assert_false(mixed);
}

static void
test_pool_mixed(void **state)
{
	const int tie[] = { 1, 0 }, most[] = { 0, 1, 1 }, most_late[] = { 3, ANY, 2, 2, 3, 2 };
	bool mixed = false;

	(void)state;
	/* A tie: the lowest port's socket. */
	assert_int_equal(pool(tie, 2, 0, &mixed), 1);
	assert_true(mixed);
	mixed = false;
	assert_int_equal(pool(most, 3, 0, &mixed), 1);
	assert_true(mixed);
	mixed = false;
	assert_int_equal(pool(most_late, 6, 0, &mixed), 2);
	assert_true(mixed);
}

static void
test_worker_socket(void **state)
{
	const int one[] = { 1, ANY, 1 }, vdevs[] = { ANY }, mixed[] = { 0, 1 };

	(void)state;
	/* The ports' socket, even from an lcore on another (which is warned). */
	assert_int_equal(ss_numa_worker_socket(one, 3, 1), 1);
	assert_int_equal(ss_numa_worker_socket(one, 3, 0), 1);
	/* Unknown or several: the lcore's. */
	assert_int_equal(ss_numa_worker_socket(vdevs, 1, 0), 0);
	assert_int_equal(ss_numa_worker_socket(vdevs, 0, 1), 1);
	assert_int_equal(ss_numa_worker_socket(mixed, 2, 1), 1);
	assert_int_equal(ss_numa_worker_socket(mixed, 2, 0), 0);
}

static void
test_warning_none(void **state)
{
	const int same[] = { 1, 1 }, vdevs[] = { ANY, ANY }, with_vdev[] = { ANY, 0 };
	char buf[256];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_false(ss_numa_worker_warning(0, 4, 1, same, 2, buf, sizeof(buf)));
	assert_string_equal(buf, "");
	assert_false(ss_numa_worker_warning(0, 4, 1, vdevs, 2, buf, sizeof(buf)));
	assert_string_equal(buf, "");
	assert_false(ss_numa_worker_warning(2, 0, 0, with_vdev, 2, buf, sizeof(buf)));
	assert_string_equal(buf, "");
	/* The lcore's socket unknown: nothing to compare. */
	assert_false(ss_numa_worker_warning(0, 0, ANY, same, 2, buf, sizeof(buf)));
	assert_string_equal(buf, "");
}

static void
test_warning_line(void **state)
{
	const int one[] = { 0 }, some[] = { 0, 1, ANY, 2 };
	char buf[256];

	(void)state;
	assert_true(ss_numa_worker_warning(1, 3, 1, one, 1, buf, sizeof(buf)));
	assert_string_equal(buf,
			"worker 1 on lcore 3 (socket 1) serves port 0 on socket 0: its "
			"frames cross between sockets (give -l lcores of the port's "
			"socket)");
	/* Only the ports on another socket than the lcore's, each named once. */
	assert_true(ss_numa_worker_warning(0, 8, 1, some, 4, buf, sizeof(buf)));
	assert_non_null(strstr(buf,
			"worker 0 on lcore 8 (socket 1) serves port 0 on socket 0, "
			"port 3 on socket 2: "));
	assert_null(strstr(buf, "port 1"));
	assert_null(strchr(buf, '\n'));
}

static void
test_warning_short_buffer(void **state)
{
	const int ports[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	char buf[40];

	(void)state;
	/* Cut, still a string, still a warning. */
	assert_true(ss_numa_worker_warning(7, 63, 1, ports, 8, buf, sizeof(buf)));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_memory_equal(buf, "worker 7 on lcore 63 (socket 1) serves", 38);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_one_socket),
		cmocka_unit_test(test_pool_unknown),
		cmocka_unit_test(test_pool_mixed),
		cmocka_unit_test(test_worker_socket),
		cmocka_unit_test(test_warning_none),
		cmocka_unit_test(test_warning_line),
		cmocka_unit_test(test_warning_short_buffer),
	};

	return cmocka_run_group_tests_name("numa", tests, NULL, NULL);
}
