/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CONFIG_RELOAD_H
#define SS_CONFIG_RELOAD_H

/*
 * What a configuration reload (SIGHUP) cannot change while the appliance
 * runs: the keys that size tables and queues, or that the ports were
 * configured with. Everything else takes effect when the workers adopt the
 * new configuration (worker.h, ss_worker_adopt()).
 */

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/*
 * Compare next, a configuration just read, with running, the one in effect:
 * name in names ("general.rx_desc, port0.ipv4", NUL-terminated, cut short
 * with "..." if len is too small) each key that differs and cannot change
 * while running, and give next running's values for all of those keys, so
 * that next holds what will really be in effect. The ports' sections
 * ([portN]) are compared as they are in effect, link-local addresses
 * included: the caller adds them to next before (ss_ip6_link_local_add()).
 * Returns the number of keys named.
 */
unsigned int ss_config_restart_keys(const struct ss_config *running, struct ss_config *next,
		char *names, size_t len);

/*
 * Whether a reload leaves this key as it runs: section and key as the key
 * table names them (ss_config_key_get(): "portN" for every port's section).
 * smallsrv(8) says so of each such key.
 */
bool ss_config_key_needs_restart(const char *section, const char *key);

#endif /* SS_CONFIG_RELOAD_H */
