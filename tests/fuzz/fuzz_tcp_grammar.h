/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_FUZZ_TCP_GRAMMAR_H
#define SS_FUZZ_TCP_GRAMMAR_H

/*
 * The input language of fuzz_tcp: what a sequence of bytes means.
 *
 *   input = variant op*
 *   op    = opcode field*          (a fixed size per opcode; RAW: then its frame)
 *
 * variant (mod FZ_VARIANTS) picks one of the configurations the harness
 * builds at start-up; its next bit (variant / FZ_VARIANTS & 1) starts the
 * appliances' millisecond clock a minute before it wraps (49.7 days up).
 * opcode & 0x7f (mod FZ_OP_MAX) is the operation; bit 0x80 puts the frames
 * the op builds in the same receive burst as the ones before (one
 * ss_worker_process() call). Fields past the end of the input
 * read as zero, so every byte string is a valid input, and plain
 * mutation works; the custom mutator (fuzz_tcp_mutate.c) knows the fields.
 * Multi-byte fields are big-endian. tests/fuzz/make_corpus_tcp.py writes
 * the same encoding.
 *
 * The client "slot" (field & 7) is one of eight peers; the harness keeps a
 * model of each (its ISN, next sequence number, what the appliance sent
 * it), learnt from the frames the appliance emits.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FZ_VARIANTS 4
#define FZ_SLOTS 8
#define FZ_BURST_BIT 0x80
#define FZ_OP_BYTES_MAX 44

enum fz_opcode {
	/*
	 * SYN from a slot, which starts the slot afresh. [1] slot, [2] flags
	 * (FZ_SYN_*), [3] service (index into the configured TCP ports, 6 =
	 * a closed port, 7 = the source port's value as destination too),
	 * [4-5] source port, [6-7] MSS, [8] window scale, [9-12] ISN, [13-14]
	 * window, [15] TCP flags ORed into the SYN.
	 */
	FZ_OP_SYN,
	/*
	 * The handshake's final ACK, acknowledging the SYN-ACK seen (or 1 if
	 * none was): [1] slot, [2-3] window, [4] TCP flags XORed into ACK,
	 * [5-6] payload length, [7] payload seed.
	 */
	FZ_OP_ACCEPT,
	/*
	 * A segment with data: [1] slot, [2] TCP flags XORed into ACK, [3]
	 * sequence mode (FZ_SEQ_*), [4-7] delta, [8-9] payload length, [10]
	 * ACK mode (FZ_ACK_*), [11] ACK delta (signed), [12] payload seed,
	 * [13-14] window, [15] bit 0: use that window (else the slot's).
	 */
	FZ_OP_DATA,
	/*
	 * Pure ACKs with SACK blocks: [1] slot, [2] ACK mode (FZ_ACK_*), [3-6]
	 * ACK delta (signed), [7-8] window, [9] low 3 bits: SACK blocks (at
	 * most 4), bits 4-6: repeats - 1 (duplicate ACKs in one op), [10] TCP
	 * flags XORed into ACK, [11] bit i: block i relative to the highest
	 * sequence number seen from the appliance rather than to the ACK,
	 * [12-43] four blocks (left offset, length).
	 */
	FZ_OP_ACK,
	/* A window update (zero: a zero window) that stays the slot's: [1] slot, [2-3] window. */
	FZ_OP_WINDOW,
	/*
	 * RST: [1] slot, [2] mode (FZ_RST_*; bit 2: with ACK), [3-6] delta.
	 */
	FZ_OP_RST,
	/*
	 * Time: [1] mode (FZ_CLOCK_*), [2-3] amount. The clocks move in steps,
	 * each running the timers and sending what they owe, as the poll
	 * loop does.
	 */
	FZ_OP_CLOCK,
	/*
	 * A frame as it is: [1] flags (FZ_RAW_*), [2-3] length; then the frame.
	 */
	FZ_OP_RAW,
	FZ_OP_MAX,
};

/* FZ_OP_SYN flags. */
#define FZ_SYN_B 0x01       /* to appliance B (created on first use) */
#define FZ_SYN_V6 0x02
#define FZ_SYN_VLAN 0x04
#define FZ_SYN_MSS 0x08     /* with an MSS option */
#define FZ_SYN_WS 0x10      /* with a window scale option */
#define FZ_SYN_SACK 0x20    /* with SACK permitted */
#define FZ_SYN_SHARED 0x40  /* from the address all such slots share */
#define FZ_SYN_SPOOF 0x80   /* from the other appliance's MAC and address */

/* FZ_OP_DATA sequence modes (mod FZ_SEQ_MAX). */
enum {
	FZ_SEQ_NEXT,      /* the slot's next sequence number: in order */
	FZ_SEQ_NEAR,      /* next + (int16)delta */
	FZ_SEQ_ANY,       /* next + delta */
	FZ_SEQ_EDGE,      /* the appliance's window edge + (int16)delta */
	FZ_SEQ_ACKED,     /* what the appliance acknowledged + (int16)delta */
	FZ_SEQ_MAX,
};

/* ACK modes (mod FZ_ACK_MAX). */
enum {
	FZ_ACK_POINT,     /* what the slot acknowledged last, + delta */
	FZ_ACK_ALL,       /* all the appliance sent, + delta */
	FZ_ACK_SAME,      /* what the slot acknowledged last (a duplicate) */
	FZ_ACK_HIGHEST,   /* all the appliance sent */
	FZ_ACK_MAX,
};

/* FZ_OP_RST modes (low 2 bits). */
enum {
	FZ_RST_EXACT,     /* at the slot's next sequence number */
	FZ_RST_NEAR,      /* next + (int16)delta: in the window, mostly */
	FZ_RST_ANY,       /* next + delta */
	FZ_RST_ACKED,     /* what the appliance acknowledged + (int16)delta */
};
#define FZ_RST_WITH_ACK 0x04

/* FZ_OP_CLOCK modes (mod 4). */
enum {
	FZ_CLOCK_MS,      /* amount ms */
	FZ_CLOCK_10MS,    /* amount * 10 ms */
	FZ_CLOCK_S,       /* amount s (at most FZ_CLOCK_S_MAX) */
	FZ_CLOCK_WALL,    /* the wall clock to T0 + (int16)amount s; 0x8000: unset */
};
#define FZ_CLOCK_S_MAX 700

/* FZ_OP_RAW flags. */
#define FZ_RAW_B 0x01       /* to appliance B */
#define FZ_RAW_GOOD 0x02    /* recompute the checksums and mark them verified (RX flags) */
#define FZ_RAW_FIX 0x04     /* recompute the checksums */

/* Size of each op's encoding, opcode byte included (RAW: before its frame). */
extern const uint8_t fz_op_size[FZ_OP_MAX];

/* One decoded op. */
struct fz_op {
	enum fz_opcode code;
	bool burst;
	uint8_t b[FZ_OP_BYTES_MAX]; /* the encoding, zero-padded */
	const uint8_t *frame;       /* RAW: the frame's bytes (in the input) */
	uint16_t frame_len;
	size_t size;                /* bytes taken from the input */
};

/*
 * Decode the op at data[off] (off < size). Returns the bytes it takes
 * (at least 1).
 */
size_t fz_op_decode(const uint8_t *data, size_t size, size_t off, struct fz_op *op);

static inline uint16_t
fz_op16(const struct fz_op *op, unsigned int i)
{
	return (uint16_t)(op->b[i] << 8 | op->b[i + 1]);
}

static inline uint32_t
fz_op32(const struct fz_op *op, unsigned int i)
{
	return (uint32_t)op->b[i] << 24 | (uint32_t)op->b[i + 1] << 16 |
		(uint32_t)op->b[i + 2] << 8 | op->b[i + 3];
}

#endif /* SS_FUZZ_TCP_GRAMMAR_H */
