/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "app.h"

void
ss_app_counters(const struct ss_app *app, int iface, struct ss_stats *out)
{
	unsigned int w, i;

	memset(out, 0, sizeof(*out));
	for (w = 0; w < app->n_workers; w++)
		for (i = 0; i < app->n_ifaces; i++)
			if (iface < 0 || (unsigned int)iface == i)
				ss_stats_add(out, &app->workers[w].stats[i]);
}
