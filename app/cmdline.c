/* SPDX-License-Identifier: BSD-3-Clause */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "config_parse.h"

enum {
	OPT_CONFIG,
	OPT_IPV4,
	OPT_IPV6,
	OPT_SET,
	OPT_CHECK,
	OPT_PACKETS,
	OPT_HELP,
	OPT_VERSION,
	OPT_MAX,
};

/* getopt's values: above any character, so that '?' and ':' stay getopt's own. */
#define OPT_VAL(opt) (256 + (opt))

/* The options, once: getopt's table, --help and smallsrv(8) are made from it. */
static const struct ss_cmdline_opt options[OPT_MAX] = {
	[OPT_CONFIG] = { "config", "FILE", "INI configuration (defaults: config/smallsrv.ini)",
			"Read the configuration from the INI file FILE (see CONFIGURATION); "
			"without it, every key has its default and port 0's addresses come "
			"from --ipv4, --ipv6 or --set." },
	[OPT_IPV4] = { "ipv4", "ADDR/LEN[,...]", "port 0's IPv4 addresses (replaces [port0] ipv4)",
			"Port 0's IPv4 addresses, replacing [port0] ipv4 of the file." },
	[OPT_IPV6] = { "ipv6", "ADDR/LEN[,...]", "port 0's IPv6 addresses (replaces [port0] ipv6)",
			"Port 0's IPv6 addresses, replacing [port0] ipv6 of the file." },
	[OPT_SET] = { "set", "SECTION.KEY=VALUE",
			"any configuration key, e.g. --set daytime.format=cisco",
			"Set any configuration key after the file, e.g. --set "
			"daytime.format=cisco or --set port1.ipv4=203.0.113.1/24; "
			"repeatable, applied in order." },
	[OPT_CHECK] = { "check", NULL, "check the configuration and exit",
			"Check the options and the configuration, print \"configuration ok\" "
			"and exit 0, without starting EAL or touching a port." },
	[OPT_PACKETS] = { "packets", "N", "stop after N received packets (benchmarks, tests)",
			"Stop after N received packets, as after SIGTERM (benchmarks, golden "
			"tests)." },
	[OPT_HELP] = { "help", NULL, "this text", "Print the usage and exit 0." },
	[OPT_VERSION] = { "version", NULL, "the version",
			"Print the version of smallsrv and of DPDK and exit 0." },
};

const struct ss_cmdline_opt *
ss_cmdline_option(unsigned int i)
{
	return i < OPT_MAX ? &options[i] : NULL;
}

void
ss_cmdline_usage(FILE *f, const char *prog)
{
	char name[64];
	unsigned int i;

	fprintf(f,
			"Usage: %s [EAL options] -- [options]\n"
			"Serves echo, discard, daytime, chargen, time (and qotd) over UDP and TCP.\n"
			"\n"
			"Options:\n",
			prog);
	for (i = 0; i < OPT_MAX; i++) {
		snprintf(name, sizeof(name), "--%s%s%s", options[i].name,
				options[i].arg != NULL ? " " : "",
				options[i].arg != NULL ? options[i].arg : "");
		fprintf(f, "  %-23s %s\n", name, options[i].help);
	}
	fprintf(f,
			"\n"
			"Prints a line starting with \"ready\" once it serves; SIGINT or SIGTERM stop it\n"
			"and print its counters; SIGHUP reads the configuration again (the same file\n"
			"and options). Counters are also in DPDK telemetry: /smallsrv/...\n"
			"Exit status: 0 after a clean stop, 1 on a runtime failure, 2 on a bad\n"
			"command line or configuration.\n");
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
	struct option long_options[OPT_MAX + 1];
	char reason[128];
	unsigned int i;
	int opt;

	memset(o, 0, sizeof(*o));
	memset(long_options, 0, sizeof(long_options));
	for (i = 0; i < OPT_MAX; i++)
		long_options[i] = (struct option){ options[i].name,
			options[i].arg != NULL ? required_argument : no_argument, NULL,
			OPT_VAL(i) };
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_VAL(OPT_CONFIG):
			o->config_file = optarg;
			break;
		case OPT_VAL(OPT_IPV4):
			if (add_override(o, "--ipv4", optarg, "port0", "ipv4", optarg, err,
					    errlen) < 0)
				return -1;
			break;
		case OPT_VAL(OPT_IPV6):
			if (add_override(o, "--ipv6", optarg, "port0", "ipv6", optarg, err,
					    errlen) < 0)
				return -1;
			break;
		case OPT_VAL(OPT_SET):
			if (add_set(o, optarg, err, errlen) < 0)
				return -1;
			break;
		case OPT_VAL(OPT_CHECK):
			o->check_only = true;
			break;
		case OPT_VAL(OPT_PACKETS):
			if (ss_parse_uint(optarg, 1, UINT64_MAX, &o->packet_limit, reason,
					    sizeof(reason)) < 0) {
				snprintf(err, errlen, "--packets \"%s\": %s", optarg, reason);
				return -1;
			}
			break;
		case OPT_VAL(OPT_HELP):
			o->help = true;
			break;
		case OPT_VAL(OPT_VERSION):
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
