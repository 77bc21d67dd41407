/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_H
#define SS_TCP_H

#include "pkt.h"

/*
 * TCP: check the segment (length, data offset, checksum) and answer it.
 * Until the TCP stack exists, every port is closed: each segment but a RST
 * gets a RST (RFC 9293 3.10.7.1), so scanners see "closed", not "filtered".
 */
enum ss_verdict ss_tcp_input(struct ss_pkt *p);

/* Turn the segment into the RST that RFC 9293 3.10.7.1 answers it with. */
enum ss_verdict ss_tcp_reply_rst(struct ss_pkt *p);

#endif /* SS_TCP_H */
