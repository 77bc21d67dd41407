/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_SECRET_H
#define SS_SECRET_H

/*
 * Secrets (the SYN-cookie key, the source key, the tuple hash's key) come
 * from the kernel's CSPRNG, not from rte_rand(): that is a linear
 * generator (LFSR258) whose outputs a peer can see (IP identifications,
 * chargen's random lengths), from which its state, and so the secrets drawn
 * from it, would follow.
 */

#include <stddef.h>

/* Fill buf with len random bytes. Returns 0, or -1 if the kernel gave none. */
int ss_secret_fill(void *buf, size_t len);

#endif /* SS_SECRET_H */
