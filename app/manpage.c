/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * smallsrv(8) from app/smallsrv.8.in: the template's line @OPTIONS@ becomes the
 * options of cmdline.c's table, @CONFIGURATION@ every key of config.c's tables,
 * so that the page says what the parser does. @VERSION@ and @SYSCONFDIR@ are
 * the build's. The build runs it (app/meson.build):
 *   smallsrv-manpage TEMPLATE SYSCONFDIR > smallsrv.8
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "config.h"
#include "config_reload.h"
#include "service.h"

/* What each section of the key tables is; a section missing here fails the build. */
static const struct {
	const char *name; /* ss_config_key.section */
	const char *intro;
} sections[] = {
	{ "general", "Queues, bursts and the data path's switches." },
	{ "portN",
			"One section per DPDK port in port order, [port0], [port1], ... "
			"(N below 8); every port needs at least one address, in the file or "
			"from --ipv4 and --ipv6. Lists take spaces or commas." },
	{ "SERVICE",
			"Each service has a section of its name: [echo], [discard], "
			"[daytime], [qotd], [chargen], [time]. Their defaults:" },
	{ "daytime", "Besides the keys of every service:" },
	{ "chargen", "Besides the keys of every service:" },
	{ "qotd",
			"Besides the keys of every service. Quote of the day is an "
			"amplifier (about 140 times), so off unless asked for." },
	{ "abuse",
			"Defences against abuse; every refusal is counted under its drop "
			"reason." },
	{ "tcp", "The TCP stack (passive open only); timers in milliseconds." },
	{ "ip",
			"IP reassembly, per worker: a datagram that arrives in fragments is "
			"put back together and answered like any other, and a reply larger than "
			"the port's MTU leaves in fragments." },
};

/* Text for a roff line: backslashes and minus signs escaped, no request at its start. */
static void
put_text(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

static void
print_options(void)
{
	const struct ss_cmdline_opt *o;
	unsigned int i;

	for (i = 0; (o = ss_cmdline_option(i)) != NULL; i++) {
		printf(".TP\n\\fB\\-\\-");
		put_text(o->name);
		fputs("\\fR", stdout);
		if (o->arg != NULL) {
			fputs(" \\fI", stdout);
			put_text(o->arg);
			fputs("\\fR", stdout);
		}
		putchar('\n');
		put_text(o->doc);
		putchar('\n');
	}
}

/* The services' defaults, from services.def. */
static void
print_services(void)
{
	unsigned int s;

	printf(".RS\n");
	for (s = 0; s < SS_SVC_MAX; s++)
		printf(".br\n\\fB%s\\fR: UDP and TCP port %u, %s\n", ss_svc_name(s),
				ss_svc_default_port(s), ss_svc_has(s, SS_SVC_F_OFF) ? "off" : "on");
	printf(".RE\n");
}

static int
print_section(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (strcmp(sections[i].name, name) != 0)
			continue;
		printf(".SS \"[%s]\"\n", name);
		put_text(sections[i].intro);
		putchar('\n');
		if (strcmp(name, "SERVICE") == 0)
			print_services();
		return 0;
	}
	fprintf(stderr, "smallsrv-manpage: section [%s] has no introduction in manpage.c\n", name);
	return -1;
}

static int
print_keys(void)
{
	const char *section = "";
	struct ss_config_key k;
	unsigned int i;

	for (i = 0; ss_config_key_get(i, &k) == 0; i++) {
		if (strcmp(k.section, section) != 0 && print_section(k.section) < 0)
			return -1;
		section = k.section;
		printf(".TP\n\\fB");
		put_text(k.key);
		fputs("\\fR", stdout);
		if (k.def != NULL) {
			fputs(" = \\fI", stdout);
			put_text(k.def);
			fputs("\\fR", stdout);
		}
		if (k.has_range)
			printf(" (%" PRIu64 "..%" PRIu64 ")", k.min, k.max);
		putchar('\n');
		put_text(k.doc);
		if (ss_config_key_needs_restart(k.section, k.key))
			fputs(" A reload (SIGHUP) leaves it as it runs: it changes on a restart.",
					stdout);
		putchar('\n');
	}
	return 0;
}

/* One template line, @VERSION@ and @SYSCONFDIR@ replaced. */
static void
put_line(const char *s, const char *sysconfdir)
{
	const char *at;

	while ((at = strchr(s, '@')) != NULL) {
		fwrite(s, 1, at - s, stdout);
		if (strncmp(at, "@VERSION@", 9) == 0) {
			fputs(SS_VERSION, stdout);
			s = at + 9;
		} else if (strncmp(at, "@SYSCONFDIR@", 12) == 0) {
			fputs(sysconfdir, stdout);
			s = at + 12;
		} else {
			putchar('@');
			s = at + 1;
		}
	}
	fputs(s, stdout);
}

int
main(int argc, char **argv)
{
	char line[1024];
	FILE *in;
	int ret = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: smallsrv-manpage TEMPLATE SYSCONFDIR > smallsrv.8\n");
		return 2;
	}
	in = fopen(argv[1], "r");
	if (in == NULL) {
		fprintf(stderr, "smallsrv-manpage: %s: %m\n", argv[1]);
		return 1;
	}
	while (ret == 0 && fgets(line, sizeof(line), in) != NULL) {
		if (strcmp(line, "@OPTIONS@\n") == 0)
			print_options();
		else if (strcmp(line, "@CONFIGURATION@\n") == 0)
			ret = print_keys();
		else
			put_line(line, argv[2]);
	}
	fclose(in);
	if (ret == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		ret = -1;
	return ret == 0 ? 0 : 1;
}
