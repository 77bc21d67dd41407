/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CMDLINE_H
#define SS_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

#define SS_MAX_OVERRIDES 64

/* A configuration key given on the command line, applied after the file. */
struct ss_override {
	const char *option; /* as typed, for error messages: "--ipv4" */
	const char *arg;
	char section[32];
	char key[64];
	const char *value;
};

struct ss_options {
	const char *config_file;
	unsigned int n_overrides;
	struct ss_override overrides[SS_MAX_OVERRIDES];
	bool check_only;
	bool help;
	bool version;
	uint64_t packet_limit;
};

/*
 * Parse the application's arguments (those after "--"). On error returns
 * -1 with one line in err.
 */
int ss_cmdline_parse(int argc, char **argv, struct ss_options *o, char *err, size_t errlen);

/*
 * Build the configuration: defaults, the file, then the overrides in the
 * order given, then validation. On error returns -1 with one line in err.
 */
int ss_cmdline_config(const struct ss_options *o, struct ss_config *cfg, char *err, size_t errlen);

void ss_cmdline_usage(FILE *f, const char *prog);

/* One option of the application, as --help and smallsrv(8) show it. */
struct ss_cmdline_opt {
	const char *name; /* without "--" */
	const char *arg;  /* its value, as the usage names it; NULL: none */
	const char *help; /* one short line, for --help */
	const char *doc;  /* a paragraph, for smallsrv(8) */
};

/* The i-th option, from 0 up; NULL past the last. */
const struct ss_cmdline_opt *ss_cmdline_option(unsigned int i);

#endif /* SS_CMDLINE_H */
