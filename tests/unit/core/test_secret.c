/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * secret.c: ss_secret_fill() fills exactly the bytes it is asked for,
 * however the kernel hands them out (a few at a time, or after an
 * interrupted call), and says so when it gets none. getrandom() is this
 * program's own: the kernel's unless a test scripts it otherwise (the
 * program's definition is the one the library's call binds to).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "secret.h"

static enum {
	KERNEL,     /* the kernel's getrandom() */
	FEW,        /* at most 3 bytes a call */
	EINTR_ONCE, /* the first call interrupted */
	BROKEN,     /* always -1 (ENOSYS) */
} mode;
static unsigned int calls;

ssize_t
getrandom(void *buf, size_t len, unsigned int flags)
{
	calls++;
	if (mode == BROKEN || (mode == EINTR_ONCE && calls == 1)) {
		errno = mode == BROKEN ? ENOSYS : EINTR;
		return -1;
	}
	if (mode == FEW && len > 3)
		len = 3;
	return syscall(SYS_getrandom, buf, len, flags);
}

#define GUARD 16

/*
 * Fill len bytes in the middle of a zeroed buffer: every 8 bytes of them
 * must have changed (all zero by chance: 2^-64), and nothing around them.
 * Returns what ss_secret_fill() did.
 */
static int
fill_checked(size_t len)
{
	uint8_t *buf = calloc(1, len + 2 * GUARD);
	static const uint8_t zero[GUARD];
	size_t i;
	int rc;

	assert_non_null(buf);
	rc = ss_secret_fill(buf + GUARD, len);
	/* Each 8 bytes, the last 8 overlapping the one before when len is not a multiple. */
	if (rc == 0 && len >= 8)
		for (i = 0; i < len; i += 8)
			assert_memory_not_equal(buf + GUARD + (i < len - 8 ? i : len - 8), zero, 8);
	assert_memory_equal(buf, zero, GUARD);
	assert_memory_equal(buf + GUARD + len, zero, GUARD);
	free(buf);
	return rc;
}

static int
reset(void **state)
{
	(void)state;
	mode = KERNEL;
	calls = 0;
	return 0;
}

static void
test_fills_all(void **state)
{
	const size_t lens[] = { 8, 16, 255, 256, 257, 4096, 1 << 20 };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		assert_int_equal(fill_checked(lens[i]), 0);
	/* Fewer than 8 bytes: nothing written around them. */
	assert_int_equal(fill_checked(1), 0);
	assert_int_equal(fill_checked(0), 0);
}

static void
test_nothing_asked(void **state)
{
	(void)state;
	assert_int_equal(ss_secret_fill(NULL, 0), 0);
	assert_int_equal(calls, 0);
}

static void
test_two_secrets_differ(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	assert_int_equal(ss_secret_fill(a, sizeof(a)), 0);
	assert_int_equal(ss_secret_fill(b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
}

/* The kernel may give fewer bytes than asked: the rest is asked for again. */
static void
test_short_reads(void **state)
{
	(void)state;
	mode = FEW;
	assert_int_equal(fill_checked(100), 0);
	assert_int_equal(calls, 34); /* 33 of 3 bytes, then 1 */
}

static void
test_interrupted(void **state)
{
	(void)state;
	mode = EINTR_ONCE;
	assert_int_equal(fill_checked(64), 0);
	assert_int_equal(calls, 2);
}

/* No random bytes at all (no getrandom() in the kernel): an error, not a zero key. */
static void
test_no_randomness(void **state)
{
	(void)state;
	mode = BROKEN;
	assert_int_equal(fill_checked(32), -1);
	assert_int_equal(calls, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fills_all, reset),
		cmocka_unit_test_setup(test_nothing_asked, reset),
		cmocka_unit_test_setup(test_two_secrets_differ, reset),
		cmocka_unit_test_setup(test_short_reads, reset),
		cmocka_unit_test_setup(test_interrupted, reset),
		cmocka_unit_test_setup(test_no_randomness, reset),
	};

	return cmocka_run_group_tests_name("secret", tests, NULL, NULL);
}
