/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * smallsrv: the classic small services (RFC 862-868) from DPDK poll-mode
 * workers. This file is the control side: command line, EAL, ports,
 * workers, signals, telemetry, the exit summary. No protocol logic.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_pdump.h>
#include <rte_version.h>

#include "addr.h"
#include "app.h"
#include "cmdline.h"
#include "port.h"
#include "reload.h"
#include "summary.h"
#include "telemetry.h"
#include "worker.h"

#define EXIT_USAGE 2

static struct ss_config cfg;
static struct ss_run run;
static struct ss_iface ifaces[SS_MAX_PORTS];
static struct ss_port_info port_info[SS_MAX_PORTS];
static struct rte_mempool *pool;

static void
on_signal(int sig)
{
	(void)sig;
	run.quit = true;
}

static void
die(int status, const char *fmt, const char *msg)
{
	fprintf(stderr, "smallsrv: error: ");
	fprintf(stderr, fmt, msg);
	fprintf(stderr, "\n");
	exit(status);
}

/* Index of "--" in argv: what precedes it is EAL's, what follows is ours. */
static int
find_separator(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/*
 * Options and configuration, all checked before EAL touches a device.
 * sep: the index of "--" in argv (argc without one).
 */
static void
parse_options(int argc, char **argv, int sep, struct ss_options *opts)
{
	int app_argc = 1, i;
	char **app_argv;
	char err[512];

	/*
	 * getopt wants a program name in front of the options: a copy, not
	 * argv + sep with "--" standing in, since the message for an unknown
	 * option in a cluster ("-ab") names argv[0], and without "--" there is
	 * nothing to stand in.
	 */
	app_argv = calloc(argc + 1, sizeof(*app_argv));
	if (app_argv == NULL)
		die(EXIT_FAILURE, "%s", "out of memory");
	app_argv[0] = argv[0];
	for (i = sep + 1; i < argc; i++)
		app_argv[app_argc++] = argv[i];
	if (ss_cmdline_parse(app_argc, app_argv, opts, err, sizeof(err)) < 0)
		die(EXIT_USAGE, "%s", err);
	free(app_argv);
	/*
	 * Without "--" every option is EAL's, but "smallsrv --help" is the first
	 * thing anyone types: answer it, not with a configuration error.
	 */
	for (i = 1; sep == argc && i < argc; i++) {
		opts->help |= strcmp(argv[i], "--help") == 0;
		opts->version |= strcmp(argv[i], "--version") == 0;
	}
	if (opts->help) {
		ss_cmdline_usage(stdout, "smallsrv");
		exit(0);
	}
	if (opts->version) {
		/* rte_version() is "DPDK 22.11.x" already. */
		printf("smallsrv %s (%s)\n", SS_VERSION, rte_version());
		exit(0);
	}
	if (ss_cmdline_config(opts, &cfg, err, sizeof(err)) < 0)
		die(EXIT_USAGE, "%s", err);
	if (opts->check_only) {
		printf("configuration ok\n");
		exit(0);
	}
	run.packet_limit = opts->packet_limit;
}

static void
check_ports(unsigned int n_ports)
{
	char msg[160];

	if (n_ports == 0)
		die(EXIT_USAGE, "%s", "no Ethernet port: give one with -a PCI_ADDRESS or --vdev");
	if (cfg.n_ports > n_ports) {
		snprintf(msg, sizeof(msg), "[port%u] is configured but there %s only %u port%s",
				cfg.n_ports - 1, n_ports == 1 ? "is" : "are", n_ports,
				n_ports == 1 ? "" : "s");
		die(EXIT_USAGE, "%s", msg);
	}
	if (n_ports > cfg.n_ports) {
		snprintf(msg, sizeof(msg), "port %u has no addresses: configure [port%u]",
				cfg.n_ports, cfg.n_ports);
		die(EXIT_USAGE, "%s", msg);
	}
}

static void
start_ports(struct ss_app *app)
{
	char err[256];
	uint16_t port_id;
	unsigned int i = 0;

	pool = ss_port_pool_create(&cfg, app->n_ifaces, app->n_workers, err, sizeof(err));
	if (pool == NULL)
		die(EXIT_FAILURE, "%s", err);
	app->pool = pool;
	RTE_ETH_FOREACH_DEV(port_id) {
		if (ss_port_start(port_id, &cfg, &cfg.port[i], app->n_workers, pool, &ifaces[i],
				    &port_info[i], err, sizeof(err)) < 0)
			die(EXIT_FAILURE, "%s", err);
		/* The MAC is known now, and no worker reads the configuration yet. */
		ss_ip6_link_local_add(&cfg.port[i], ifaces[i].mac.addr_bytes);
		i++;
	}
	ss_port_links_wait(ifaces, port_info, i, &run.quit);
}

static void
init_workers(struct ss_app *app)
{
	unsigned int lcore, i = 0;

	app->workers = rte_zmalloc_socket("ss_workers", app->n_workers * sizeof(*app->workers),
			RTE_CACHE_LINE_SIZE, pool->socket_id);
	if (app->workers == NULL)
		die(EXIT_FAILURE, "%s", "out of memory for the workers");
	/* Worker 0 runs on the main lcore: "-l 0" alone is a working set-up. */
	RTE_LCORE_FOREACH(lcore) {
		struct ss_worker *w = &app->workers[i];

		if (ss_worker_init(w, i, app->n_workers, &cfg, ifaces, app->n_ifaces, pool, &run,
				    ss_port_worker_socket(i, lcore, app->n_ifaces, pool)) < 0)
			die(EXIT_FAILURE, "%s", "out of memory for the workers");
		w->lcore = lcore;
		i++;
	}
}

/*
 * Start the other workers, say "ready" once they poll, take SIGHUP from
 * then on (one that came before waits), and be worker 0.
 */
static void
serve(struct ss_app *app)
{
	unsigned int i;

	for (i = 1; i < app->n_workers; i++)
		rte_eal_remote_launch(ss_worker_loop, &app->workers[i], app->workers[i].lcore);
	while (__atomic_load_n(&run.running, __ATOMIC_ACQUIRE) < app->n_workers - 1 && !run.quit)
		rte_pause();
	ss_summary_ready(stdout, app);
	if (ss_reload_start() < 0)
		fprintf(stderr, "smallsrv: warning: no reload thread: SIGHUP is ignored\n");
	ss_worker_loop(&app->workers[0]);
	rte_eal_mp_wait_lcore();
	ss_reload_stop();
}

static void
shutdown_all(struct ss_app *app)
{
	unsigned int i;

	for (i = 0; i < app->n_ifaces; i++)
		rte_eth_dev_stop(ifaces[i].port_id);
	ss_summary_print(stdout, app);
	for (i = 0; i < app->n_ifaces; i++)
		rte_eth_dev_close(ifaces[i].port_id);
	for (i = 0; i < app->n_workers; i++)
		ss_worker_free(&app->workers[i]);
	rte_free(app->workers);
	ss_reload_free();
}

int
main(int argc, char **argv)
{
	struct ss_options opts;
	struct ss_app app = { .cfg = &cfg, .ifaces = ifaces, .port_info = port_info };
	int sep = find_separator(argc, argv);

	/* Before any thread exists, so that none of them takes it (reload.h). */
	ss_reload_block_signal();
	parse_options(argc, argv, sep, &opts);
	/*
	 * A stop from here on stops the ports and prints the summary, one during
	 * EAL's start or the wait for the links too: the flag is only looked at.
	 */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (rte_eal_init(sep, argv) < 0)
		die(rte_errno == EINVAL ? EXIT_USAGE : EXIT_FAILURE, "EAL: %s",
				rte_strerror(rte_errno));

	/*
	 * dpdk-dumpcap attaches as a secondary process: possible with shared
	 * hugepage memory, not with --no-shconf or --in-memory, where this fails
	 * quietly and capture is simply not offered.
	 */
	rte_pdump_init();
	app.n_ifaces = rte_eth_dev_count_avail();
	check_ports(app.n_ifaces);
	app.n_workers = rte_lcore_count();
	start_ports(&app);
	init_workers(&app);
	if (ss_reload_init(&app, &opts, &run, &cfg) < 0)
		fprintf(stderr, "smallsrv: warning: out of memory for reloads: SIGHUP is ignored\n");
	app.start_tsc = rte_rdtsc();
	if (ss_telemetry_register(&app) < 0)
		fprintf(stderr, "smallsrv: warning: telemetry commands not registered\n");

	serve(&app);
	shutdown_all(&app);
	rte_eal_cleanup();
	return 0;
}
