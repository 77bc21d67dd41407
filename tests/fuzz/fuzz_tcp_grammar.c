/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "fuzz_tcp_grammar.h"

/* Longest frame a RAW op carries: a jumbo frame with its tag. */
#define RAW_MAX 9100

const uint8_t fz_op_size[FZ_OP_MAX] = {
	[FZ_OP_SYN] = 16,
	[FZ_OP_ACCEPT] = 8,
	[FZ_OP_DATA] = 16,
	[FZ_OP_ACK] = 44,
	[FZ_OP_WINDOW] = 4,
	[FZ_OP_RST] = 7,
	[FZ_OP_CLOCK] = 4,
	[FZ_OP_RAW] = 4,
};

size_t
fz_op_decode(const uint8_t *data, size_t size, size_t off, struct fz_op *op)
{
	size_t n, avail = size - off;
	uint16_t len;

	op->code = (enum fz_opcode)((data[off] & 0x7f) % FZ_OP_MAX);
	op->burst = (data[off] & FZ_BURST_BIT) != 0;
	n = fz_op_size[op->code];
	memset(op->b, 0, sizeof(op->b));
	memcpy(op->b, data + off, n < avail ? n : avail);
	op->frame = NULL;
	op->frame_len = 0;
	if (n >= avail) {
		op->size = avail;
		return avail;
	}
	if (op->code == FZ_OP_RAW) {
		len = fz_op16(op, 2) % (RAW_MAX + 1);
		if (len > avail - n)
			len = avail - n;
		op->frame = data + off + n;
		op->frame_len = len;
		n += len;
	}
	op->size = n;
	return n;
}
