/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <stdio.h>

#include "app.h"

const char *
ss_prefix_format(int family, const void *addr, unsigned int len, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, a, sizeof(a));
	snprintf(buf, size, "%s/%u", a, len);
	return buf;
}
