/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 865 quote of the day: the built-in quote, fortune-format files
 * (quotes between "%" lines, LF or CR LF line ends), what a file may not
 * hold, rotation over the quotes and the UDP reply.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "config.h"
#include "qotd.h"
#include "stats.h"

static char dir[64];
static unsigned int file_no;
static struct ss_config *cfg;

static int
group_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ssqotdXXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	cfg = malloc(sizeof(*cfg));
	return cfg == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char path[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < file_no; i++) {
		snprintf(path, sizeof(path), "%s/q%u", dir, i);
		unlink(path);
	}
	rmdir(dir);
	free(cfg);
	return 0;
}

/* Write len bytes to a new file in the test directory; its path goes to cfg. */
static void
use_file(const void *data, size_t len)
{
	FILE *f;

	ss_config_defaults(cfg);
	snprintf(cfg->qotd_file, sizeof(cfg->qotd_file), "%s/q%u", dir, file_no++);
	f = fopen(cfg->qotd_file, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
use_text(const char *s)
{
	use_file(s, strlen(s));
}

static int
load(char *err, size_t errlen)
{
	err[0] = '\0';
	return ss_qotd_load(cfg, err, errlen);
}

static void
load_ok(void)
{
	char err[256];

	if (load(err, sizeof(err)) != 0)
		fail_msg("ss_qotd_load: %s", err);
}

static void
load_bad(const char *reason)
{
	char err[256];

	assert_int_equal(load(err, sizeof(err)), -1);
	if (strstr(err, reason) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err, reason);
}

/* Every quote is printable ASCII with CR LF line ends, ending in CR LF. */
static void
check_wire_form(const char *q)
{
	size_t len = strlen(q), i;

	assert_true(len >= 3);
	assert_true(len <= SS_QOTD_MAX_LEN);
	assert_memory_equal(q + len - 2, "\r\n", 2);
	for (i = 0; i < len; i++) {
		if (q[i] == '\r') {
			assert_int_equal(q[i + 1], '\n');
			i++;
			continue;
		}
		assert_true(q[i] >= 0x20 && q[i] <= 0x7e);
	}
}

static void
test_builtin(void **state)
{
	char err[256];

	(void)state;
	ss_config_defaults(cfg);
	assert_int_equal(cfg->qotd_file[0], '\0');
	assert_int_equal(ss_qotd_load(cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg->n_quotes, 1);
	check_wire_form(cfg->quotes[0]);
	assert_non_null(strstr(cfg->quotes[0], "Postel"));
	assert_ptr_equal(ss_qotd_quote(cfg, 0), cfg->quotes[0]);
	assert_ptr_equal(ss_qotd_quote(cfg, 12345), cfg->quotes[0]);
}

static void
test_fortune_file(void **state)
{
	(void)state;
	use_text("First quote\n%\nSecond, line one\nline two\n%\nThird -- someone\n");
	load_ok();
	assert_int_equal(cfg->n_quotes, 3);
	assert_string_equal(cfg->quotes[0], "First quote\r\n");
	assert_string_equal(cfg->quotes[1], "Second, line one\r\nline two\r\n");
	assert_string_equal(cfg->quotes[2], "Third -- someone\r\n");
	check_wire_form(cfg->quotes[1]);
}

static void
test_crlf_input(void **state)
{
	(void)state;
	use_text("A\r\nB\r\n%\r\nC\r\n");
	load_ok();
	assert_int_equal(cfg->n_quotes, 2);
	assert_string_equal(cfg->quotes[0], "A\r\nB\r\n");
	assert_string_equal(cfg->quotes[1], "C\r\n");
}

static void
test_no_final_newline(void **state)
{
	(void)state;
	use_text("Q1\n%\nQ2");
	load_ok();
	assert_int_equal(cfg->n_quotes, 2);
	assert_string_equal(cfg->quotes[1], "Q2\r\n");
}

static void
test_blank_quotes_skipped(void **state)
{
	(void)state;
	/* Empty quotes between separators, blank lines around a quote. */
	use_text("%\n\n%\n\n\nQ1\n\n%\n%\n%\n\r\nQ2 line\n\nQ2 after blank\n\n\n%\n\n");
	load_ok();
	assert_int_equal(cfg->n_quotes, 2);
	assert_string_equal(cfg->quotes[0], "Q1\r\n");
	/* A blank line inside a quote stays. */
	assert_string_equal(cfg->quotes[1], "Q2 line\r\n\r\nQ2 after blank\r\n");
}

static void
test_percent_inside_lines(void **state)
{
	(void)state;
	use_text("100% sure\n%%\n % \nend\n%\nnext\n");
	load_ok();
	assert_int_equal(cfg->n_quotes, 2);
	assert_string_equal(cfg->quotes[0], "100% sure\r\n%%\r\n % \r\nend\r\n");
	assert_string_equal(cfg->quotes[1], "next\r\n");
}

static void
test_length_limit(void **state)
{
	char text[2048];

	(void)state;
	/* 509 characters and CR LF: 511 bytes on the wire, under RFC 865's 512. */
	memset(text, 'a', 509);
	strcpy(text + 509, "\n");
	use_text(text);
	load_ok();
	assert_int_equal(cfg->n_quotes, 1);
	assert_int_equal(strlen(cfg->quotes[0]), 511);
	/* One more is too long. */
	memset(text, 'a', 510);
	strcpy(text + 510, "\n");
	use_text(text);
	load_bad("longer than 511");
	/* The limit counts CR LF: 5 lines of 100 fit (510), 6 of 84 do not (516). */
	text[0] = '\0';
	for (int i = 0; i < 5; i++) {
		memset(text + i * 101, 'b', 100);
		text[i * 101 + 100] = '\n';
	}
	text[505] = '\0';
	use_text(text);
	load_ok();
	assert_int_equal(strlen(cfg->quotes[0]), 510);
	for (int i = 0; i < 6; i++) {
		memset(text + i * 85, 'c', 84);
		text[i * 85 + 84] = '\n';
	}
	text[510] = '\0';
	use_text(text);
	load_bad("longer than");
	/* The second quote is the one named. */
	memset(text, 'a', 600);
	memcpy(text, "ok\n%\n", 5);
	text[600] = '\0';
	use_text(text);
	load_bad("quote 2 ");
}

static void
test_not_printable(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		const char *reason;
	} bad[] = {
		{ "tab\there\n", sizeof("tab\there\n") - 1, "0x09" },
		{ "caf\xc3\xa9\n", sizeof("caf\xc3\xa9\n") - 1, "0xc3" },
		{ "del\x7f\n", sizeof("del\x7f\n") - 1, "0x7f" },
		{ "nul\0byte\n", sizeof("nul\0byte\n") - 1, "0x00" },
		{ "bell\a\n", sizeof("bell\a\n") - 1, "0x07" },
		{ "ok\n%\nesc\x1b[0m\n", sizeof("ok\n%\nesc\x1b[0m\n") - 1, "quote 2 " },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(bad); i++) {
		use_file(bad[i].data, bad[i].len);
		load_bad(bad[i].reason);
	}
}

static void
test_empty_files(void **state)
{
	(void)state;
	use_text("");
	load_bad("holds no quote");
	use_text("\n\n\n");
	load_bad("holds no quote");
	use_text("%\n%\n\r\n%\n");
	load_bad("holds no quote");
}

static void
test_missing_file(void **state)
{
	(void)state;
	ss_config_defaults(cfg);
	snprintf(cfg->qotd_file, sizeof(cfg->qotd_file), "%s/does-not-exist", dir);
	load_bad("cannot open");
}

/*
 * A FIFO with no writer would block a reader opening it, and a directory
 * reads as an error: neither is a quote file, and neither holds the load.
 */
static void
test_not_regular_file(void **state)
{
	(void)state;
	ss_config_defaults(cfg);
	snprintf(cfg->qotd_file, sizeof(cfg->qotd_file), "%s/fifo", dir);
	assert_int_equal(mkfifo(cfg->qotd_file, 0600), 0);
	load_bad("not a regular file");
	unlink(cfg->qotd_file);
	snprintf(cfg->qotd_file, sizeof(cfg->qotd_file), "%s", dir);
	load_bad("not a regular file");
}

static void
test_quote_count_limit(void **state)
{
	size_t size = (SS_QOTD_MAX_QUOTES + 1) * 8 + 1;
	char *text = malloc(size);
	size_t off = 0;
	int i;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < SS_QOTD_MAX_QUOTES; i++)
		off += snprintf(text + off, size - off, "q%03d\n%%\n", i);
	use_text(text);
	load_ok();
	assert_int_equal(cfg->n_quotes, SS_QOTD_MAX_QUOTES);
	assert_string_equal(cfg->quotes[255], "q255\r\n");
	off += snprintf(text + off, size - off, "q%03d\n", i);
	use_text(text);
	load_bad("more than 256 quotes");
	free(text);
}

static void
test_file_size_limit(void **state)
{
	size_t size = 256 * 1024 + 1;
	char *text = malloc(size);

	(void)state;
	assert_non_null(text);
	/* Short quotes, so that only the size is wrong. */
	for (size_t i = 0; i < size; i++)
		text[i] = (i % 4 == 3) ? '\n' : 'x';
	use_file(text, size);
	load_bad("larger than");
	free(text);
}

static void
test_rotation(void **state)
{
	static const char *const want[] = { "one\r\n", "two\r\n", "three\r\n" };
	uint8_t out[SS_QOTD_MAX_LEN];
	uint32_t next = 0;
	unsigned int i;
	int n;

	(void)state;
	use_text("one\n%\ntwo\n%\nthree\n");
	load_ok();
	for (i = 0; i < 10; i++) {
		n = ss_qotd_udp(cfg, &next, out, sizeof(out));
		assert_int_equal(n, strlen(want[i % 3]));
		assert_memory_equal(out, want[i % 3], n);
		assert_int_equal(next, i + 1);
		assert_string_equal(ss_qotd_quote(cfg, i), want[i % 3]);
	}
	/* The counter wraps without skipping: 2^32 is not a multiple of 3. */
	next = UINT32_MAX;
	n = ss_qotd_udp(cfg, &next, out, sizeof(out));
	assert_memory_equal(out, want[UINT32_MAX % 3], n);
	assert_int_equal(next, 0);
}

static void
test_udp_room(void **state)
{
	uint8_t out[SS_QOTD_MAX_LEN];
	uint32_t next = 1;

	(void)state;
	use_text("one\n%\nquote two\n");
	load_ok();
	memset(out, 0, sizeof(out));
	assert_int_equal(ss_qotd_udp(cfg, &next, out, 10), -SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(next, 1); /* not sent, not skipped */
	assert_int_equal(out[0], 0);
	assert_int_equal(ss_qotd_udp(cfg, &next, out, 11), 11);
	assert_memory_equal(out, "quote two\r\n", 11);
	assert_int_equal(next, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_fortune_file),
		cmocka_unit_test(test_crlf_input),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_blank_quotes_skipped),
		cmocka_unit_test(test_percent_inside_lines),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_not_printable),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_regular_file),
		cmocka_unit_test(test_quote_count_limit),
		cmocka_unit_test(test_file_size_limit),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_udp_room),
	};

	return cmocka_run_group_tests_name("qotd", tests, group_setup, group_teardown);
}
