/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_IP_FRAG_H
#define SS_IP_FRAG_H

/*
 * Fragmentation of our replies, IPv4 and IPv6: the echo of a reassembled
 * datagram (ip_reasm.h) is as large as the request, and leaves in
 * fragments of the port's MTU.
 *
 * Not rte_ipv4_fragment_packet(): its fragments are chains of indirect
 * mbufs, which the TX queues' MBUF_FAST_FREE forbids and a port without
 * MULTI_SEGS cannot send, and its IPv6 fragments all carry the
 * identification 0. Ours are single mbufs from the worker's pool, copied
 * from the reply: a copy of 64 KiB at most, for a datagram that took up to
 * 54 fragments to arrive.
 */

#include "pkt.h"

/*
 * The verdict v of a reassembled datagram p, as it leaves: a reply (TX)
 * larger than the port's MTU is cut into fragments, the first in p->m,
 * the others queued (ss_worker_emit()); one that fits is made one mbuf.
 * Returns v, or why the reply could not be sent.
 */
enum ss_verdict ss_ip_frag_send(struct ss_pkt *p, enum ss_verdict v);

#endif /* SS_IP_FRAG_H */
