/* SPDX-License-Identifier: BSD-3-Clause */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "config_parse.h"

enum {
	OPT_CONFIG = 256,
	OPT_IPV4,
	OPT_IPV6,
	OPT_SET,
	OPT_CHECK,
	OPT_PACKETS,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "ipv4", required_argument, NULL, OPT_IPV4 },
	{ "ipv6", required_argument, NULL, OPT_IPV6 },
	{ "set", required_argument, NULL, OPT_SET },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "packets", required_argument, NULL, OPT_PACKETS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void
ss_cmdline_usage(FILE *f, const char *prog)
{
	fprintf(f,
			"Usage: %s [EAL options] -- [options]\n"
			"Serves echo, discard, daytime, chargen, time (and qotd) over UDP and TCP.\n"
			"\n"
			"Options:\n"
			"  --config FILE           INI configuration (defaults: config/smallsrv.ini)\n"
			"  --ipv4 ADDR/LEN[,...]   port 0's IPv4 addresses (replaces [port0] ipv4)\n"
			"  --ipv6 ADDR/LEN[,...]   port 0's IPv6 addresses (replaces [port0] ipv6)\n"
			"  --set SECTION.KEY=VALUE any configuration key, e.g. --set daytime.format=cisco\n"
			"  --check                 check the configuration and exit\n"
			"  --packets N             stop after N received packets (benchmarks, tests)\n"
			"  --help                  this text\n"
			"  --version               the version\n"
			"\n"
			"Prints a line starting with \"ready\" once it serves; SIGINT or SIGTERM stop it\n"
			"and print its counters; SIGHUP reads the configuration again (the same file\n"
			"and options). Counters are also in DPDK telemetry: /smallsrv/...\n"
			"Exit status: 0 after a clean stop, 1 on a runtime failure, 2 on a bad\n"
			"command line or configuration.\n",
			prog);
}

static int
add_override(struct ss_options *o, const char *option, const char *arg, const char *section,
		const char *key, const char *value, char *err, size_t errlen)
{
	struct ss_override *ov;

	if (o->n_overrides == SS_MAX_OVERRIDES) {
		snprintf(err, errlen, "%s \"%s\": more than %d overrides", option, arg,
				SS_MAX_OVERRIDES);
		return -1;
	}
	ov = &o->overrides[o->n_overrides++];
	ov->option = option;
	ov->arg = arg;
	snprintf(ov->section, sizeof(ov->section), "%s", section);
	snprintf(ov->key, sizeof(ov->key), "%s", key);
	ov->value = value;
	return 0;
}

/* --set SECTION.KEY=VALUE */
static int
add_set(struct ss_options *o, const char *arg, char *err, size_t errlen)
{
	const char *dot = strchr(arg, '.');
	const char *eq = strchr(arg, '=');
	char section[32], key[64];

	if (dot == NULL || eq == NULL || eq < dot || dot == arg || eq == dot + 1 ||
			(size_t)(dot - arg) >= sizeof(section) ||
			(size_t)(eq - dot - 1) >= sizeof(key)) {
		snprintf(err, errlen, "--set \"%s\": expected SECTION.KEY=VALUE", arg);
		return -1;
	}
	snprintf(section, sizeof(section), "%.*s", (int)(dot - arg), arg);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
	return add_override(o, "--set", arg, section, key, eq + 1, err, errlen);
}

int
ss_cmdline_parse(int argc, char **argv, struct ss_options *o, char *err, size_t errlen)
{
	char reason[128];
	int opt;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_CONFIG:
			o->config_file = optarg;
			break;
		case OPT_IPV4:
			if (add_override(o, "--ipv4", optarg, "port0", "ipv4", optarg, err,
					    errlen) < 0)
				return -1;
			break;
		case OPT_IPV6:
			if (add_override(o, "--ipv6", optarg, "port0", "ipv6", optarg, err,
					    errlen) < 0)
				return -1;
			break;
		case OPT_SET:
			if (add_set(o, optarg, err, errlen) < 0)
				return -1;
			break;
		case OPT_CHECK:
			o->check_only = true;
			break;
		case OPT_PACKETS:
			if (ss_parse_uint(optarg, 1, UINT64_MAX, &o->packet_limit, reason,
					    sizeof(reason)) < 0) {
				snprintf(err, errlen, "--packets \"%s\": %s", optarg, reason);
				return -1;
			}
			break;
		case OPT_HELP:
			o->help = true;
			break;
		case OPT_VERSION:
			o->version = true;
			break;
		case ':':
			snprintf(err, errlen, "%s: needs a value", argv[optind - 1]);
			return -1;
		default:
			snprintf(err, errlen, "%s: unknown option (see --help)", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "\"%s\": unexpected argument (see --help)", argv[optind]);
		return -1;
	}
	return 0;
}

int
ss_cmdline_config(const struct ss_options *o, struct ss_config *cfg, char *err, size_t errlen)
{
	char reason[256];
	unsigned int i;

	ss_config_defaults(cfg);
	if (o->config_file != NULL && ss_config_load(cfg, o->config_file, err, errlen) < 0)
		return -1;
	for (i = 0; i < o->n_overrides; i++) {
		const struct ss_override *ov = &o->overrides[i];

		if (ss_config_set(cfg, ov->section, ov->key, ov->value, reason, sizeof(reason)) <
				0) {
			snprintf(err, errlen, "%s \"%s\": [%s] %s = \"%s\": %s", ov->option,
					ov->arg, ov->section, ov->key, ov->value, reason);
			return -1;
		}
	}
	if (ss_config_finish(cfg, reason, sizeof(reason)) < 0) {
		snprintf(err, errlen, "%s: %s",
				o->config_file != NULL ? o->config_file : "configuration", reason);
		return -1;
	}
	return 0;
}
