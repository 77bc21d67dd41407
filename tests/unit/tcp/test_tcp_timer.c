/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_timer.c: the hashed timer wheel. A timer fires once, at its tick
 * and not before; disarming and moving work; deadlines beyond the wheel's
 * span wait their lap; deadlines already past fire at the next tick; a
 * long stall visits every slot once; the 32-bit tick may wrap.
 */
#include "harness.h"

#include <string.h>

#include "tcp_conn.h"
#include "tcp_timer.h"

#define N 8

struct fired {
	unsigned int n;
	uint32_t idx[64];
	uint32_t at[64]; /* the tick of the run that fired it */
	uint32_t now;
	struct ss_tcp_table *t;
	struct ss_tcp_wheel *w;
	uint32_t rearm_idx; /* this one re-arms itself for rearm_at */
	uint32_t rearm_at;
};

struct fixture {
	struct ss_tcp_table table;
	struct ss_tcp_wheel wheel;
	struct fired f;
};

static int
setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));

	test_eal_init();
	assert_non_null(x);
	assert_int_equal(ss_tcp_table_init(&x->table, N, 64, SOCKET_ID_ANY), 0);
	x->f.t = &x->table;
	x->f.w = &x->wheel;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *x = *state;

	ss_tcp_table_free(&x->table);
	free(x);
	return 0;
}

static void
expired(void *ctx, struct ss_tcp_conn *c)
{
	struct fired *f = ctx;
	uint32_t idx = ss_tcp_conn_index(f->t, c);

	assert_true(f->n < RTE_DIM(f->idx));
	/* Disarmed before the call. */
	assert_int_equal(c->timer_at, 0);
	f->idx[f->n] = idx;
	f->at[f->n] = f->now;
	f->n++;
	if (idx == f->rearm_idx)
		ss_tcp_timer_arm(f->t, f->w, c, f->rearm_at);
}

static struct ss_tcp_conn *
conn(struct fixture *x, unsigned int i)
{
	return &x->table.conns[i];
}

static void
run(struct fixture *x, uint32_t now)
{
	x->f.now = now;
	ss_tcp_timer_run(&x->table, &x->wheel, now, expired, &x->f);
}

/* Run tick by tick from the wheel's position to to. */
static void
run_to(struct fixture *x, uint32_t to)
{
	while (x->wheel.done != to)
		run(x, x->wheel.done + 1);
}

static void
test_fire_once_on_time(void **state)
{
	struct fixture *x = *state;

	ss_tcp_wheel_init(&x->wheel, 100);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), 110);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 2), 105);
	assert_int_equal(conn(x, 1)->timer_at, 110);
	run_to(x, 104);
	assert_int_equal(x->f.n, 0);
	run_to(x, 105);
	assert_int_equal(x->f.n, 1);
	assert_int_equal(x->f.idx[0], 2);
	run_to(x, 109);
	assert_int_equal(x->f.n, 1);
	run_to(x, 110);
	assert_int_equal(x->f.n, 2);
	assert_int_equal(x->f.idx[1], 1);
	assert_int_equal(x->f.at[1], 110);
	run_to(x, 110 + 3 * SS_TCP_WHEEL_SLOTS);
	assert_int_equal(x->f.n, 2);
}

static void
test_jump(void **state)
{
	struct fixture *x = *state;

	/* A run over many ticks at once fires all that are due, and only them. */
	ss_tcp_wheel_init(&x->wheel, 0);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), 10);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 2), 20);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 3), 31);
	run(x, 30);
	assert_int_equal(x->f.n, 2);
	assert_int_equal(conn(x, 3)->timer_at, 31);
	run(x, 31);
	assert_int_equal(x->f.n, 3);
	assert_int_equal(x->f.idx[2], 3);
}

static void
test_disarm_and_move(void **state)
{
	struct fixture *x = *state;
	unsigned int i;

	ss_tcp_wheel_init(&x->wheel, 0);
	/* Several in one slot; take one out of the middle of its list. */
	for (i = 1; i <= 4; i++)
		ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, i), 50);
	ss_tcp_timer_disarm(&x->table, &x->wheel, conn(x, 2));
	assert_int_equal(conn(x, 2)->timer_at, 0);
	ss_tcp_timer_disarm(&x->table, &x->wheel, conn(x, 2)); /* twice: harmless */
	/* Moved later, and moved earlier. */
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 3), 80);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 5), 90);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 5), 40);
	run_to(x, 40);
	assert_int_equal(x->f.n, 1);
	assert_int_equal(x->f.idx[0], 5);
	run_to(x, 50);
	assert_int_equal(x->f.n, 3);
	assert_true((x->f.idx[1] == 1 && x->f.idx[2] == 4) ||
			(x->f.idx[1] == 4 && x->f.idx[2] == 1));
	run_to(x, 79);
	assert_int_equal(x->f.n, 3);
	run_to(x, 200);
	assert_int_equal(x->f.n, 4);
	assert_int_equal(x->f.idx[3], 3);
	assert_int_equal(x->f.at[3], 80);
	/* Armed at the tick it already has: still once. */
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 6), 210);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 6), 210);
	run_to(x, 300);
	assert_int_equal(x->f.n, 5);
}

static void
test_beyond_span(void **state)
{
	struct fixture *x = *state;
	const uint32_t far = 1000 + 2 * SS_TCP_WHEEL_SLOTS + 7;

	/* Its slot comes round twice before its lap. */
	ss_tcp_wheel_init(&x->wheel, 1000);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), far);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 2), 1007);
	run_to(x, far - 1);
	assert_int_equal(x->f.n, 1);
	assert_int_equal(x->f.idx[0], 2);
	run_to(x, far);
	assert_int_equal(x->f.n, 2);
	assert_int_equal(x->f.idx[1], 1);
	assert_int_equal(x->f.at[1], far);
}

static void
test_past_deadline(void **state)
{
	struct fixture *x = *state;

	ss_tcp_wheel_init(&x->wheel, 500);
	/* Already past (or now, or 0 = "tick 1"): the next tick, not a lap later. */
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), 400);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 2), 500);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 3), 0);
	assert_int_equal(conn(x, 1)->timer_at, 501);
	run(x, 501);
	assert_int_equal(x->f.n, 3);
}

static void
test_callback_rearms(void **state)
{
	struct fixture *x = *state;

	ss_tcp_wheel_init(&x->wheel, 0);
	/* Re-armed for "now" from its own callback: the next run, not this one. */
	x->f.rearm_idx = 1;
	x->f.rearm_at = 10;
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), 10);
	run(x, 10);
	assert_int_equal(x->f.n, 1);
	assert_int_equal(conn(x, 1)->timer_at, 11);
	x->f.rearm_at = 25;
	run(x, 20);
	assert_int_equal(x->f.n, 2);
	assert_int_equal(conn(x, 1)->timer_at, 25);
	x->f.rearm_idx = 0;
	run(x, 25);
	assert_int_equal(x->f.n, 3);
	assert_int_equal(conn(x, 1)->timer_at, 0);
}

static void
test_long_stall(void **state)
{
	struct fixture *x = *state;

	ss_tcp_wheel_init(&x->wheel, 0);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), 3);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 2), 5000);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 3), 20000);
	/* One run over more than a lap: every slot once, all that are due fire. */
	run(x, 10000);
	assert_int_equal(x->f.n, 2);
	assert_int_equal(x->wheel.done, 10000);
	run(x, 19999);
	assert_int_equal(x->f.n, 2);
	run(x, 20000);
	assert_int_equal(x->f.n, 3);
	assert_int_equal(x->f.idx[2], 3);
}

static void
test_tick_wrap(void **state)
{
	struct fixture *x = *state;
	const uint32_t start = UINT32_MAX - 20;

	/* Ticks wrap after 49 days: deadlines across it still come in order. */
	assert_true(ss_tick_before(UINT32_MAX, 5));
	assert_false(ss_tick_before(5, UINT32_MAX));
	ss_tcp_wheel_init(&x->wheel, start);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), start + 10);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 2), start + 40); /* 19 */
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 3), start - 10); /* past */
	run_to(x, start + 1);
	assert_int_equal(x->f.n, 1);
	assert_int_equal(x->f.idx[0], 3);
	run_to(x, start + 10);
	assert_int_equal(x->f.n, 2);
	run_to(x, 18);
	assert_int_equal(x->f.n, 2);
	run_to(x, 19);
	assert_int_equal(x->f.n, 3);
	assert_int_equal(x->f.idx[2], 2);
	assert_int_equal(x->f.at[2], 19);
}

/*
 * Found by fuzz_tcp: with the wheel done at the last tick before the wrap,
 * a deadline already past went to "done + 1", which is 0, "not armed": the
 * connection stayed on the wheel with no deadline, and was later freed
 * from under it. It goes to tick 1 now; and a deadline computed to fall on
 * tick 0 is taken a tick later (ss_tick_after), never lost.
 */
static void
test_past_deadline_at_wrap(void **state)
{
	struct fixture *x = *state;

	ss_tcp_wheel_init(&x->wheel, UINT32_MAX);
	ss_tcp_timer_arm(&x->table, &x->wheel, conn(x, 1), UINT32_MAX - 5);
	assert_int_equal(conn(x, 1)->timer_at, 1);
	run(x, 0);
	assert_int_equal(x->f.n, 0);
	run(x, 1);
	assert_int_equal(x->f.n, 1);
	assert_int_equal(conn(x, 1)->timer_at, 0);
	assert_int_equal(x->wheel.heads[0], 0);
	assert_int_equal(x->wheel.heads[1], 0);
	assert_int_equal(ss_tick_after(UINT32_MAX, 1), 1);
	assert_int_equal(ss_tick_after(UINT32_MAX - 9, 10), 1);
	assert_int_equal(ss_tick_after(UINT32_MAX, 2), 1);
	assert_int_equal(ss_tick_after(7, 3), 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fire_once_on_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disarm_and_move, setup, teardown),
		cmocka_unit_test_setup_teardown(test_beyond_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_past_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_rearms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_stall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_past_deadline_at_wrap, setup, teardown),
	};

	return cmocka_run_group_tests_name("tcp_timer", tests, NULL, NULL);
}
