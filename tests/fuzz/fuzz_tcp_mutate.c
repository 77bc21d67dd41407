/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A structure-aware mutator for fuzz_tcp (libFuzzer's custom mutator and
 * cross-over hooks). It edits the op sequence as a list of ops, and each
 * field with values that mean something for it: sequence deltas of a few
 * bytes or a few segments, the boundaries of sequence space (2^31 - 1,
 * 2^32 - 2), windows of 0, 1 or 65535, the services' ports, SACK blocks of
 * a few segments or of a quarter to a half of sequence space (so that a
 * few of them can cover it all). A share of the mutations is libFuzzer's
 * own, on the whole input or on a RAW op's frame, so that nothing the
 * grammar cannot express is out of reach.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_tcp_grammar.h"

#define MAX_OPS 1024
#define BUF_MAX 65536
#define DIM(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
	size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed);

enum kind {
	K_SLOT, K_BITS, K_SVC, K_PORT, K_MSS, K_WS, K_ISN, K_DELTA, K_WIN, K_LEN, K_MODE,
	K_SDELTA8, K_BYTE, K_SACKN, K_SACKOFF, K_SACKLEN, K_AMOUNT, K_RAWLEN,
};

struct field {
	uint8_t off;
	uint8_t size;
	uint8_t kind;
};

#define F(o, s, k) { (o), (s), (k) }
#define END { 0, 0, 0 }

static const struct field fields[FZ_OP_MAX][16] = {
	[FZ_OP_SYN] = { F(1, 1, K_SLOT), F(2, 1, K_BITS), F(3, 1, K_SVC), F(4, 2, K_PORT),
		F(6, 2, K_MSS), F(8, 1, K_WS), F(9, 4, K_ISN), F(13, 2, K_WIN),
		F(15, 1, K_BITS), END },
	[FZ_OP_ACCEPT] = { F(1, 1, K_SLOT), F(2, 2, K_WIN), F(4, 1, K_BITS), F(5, 2, K_LEN),
		F(7, 1, K_BYTE), END },
	[FZ_OP_DATA] = { F(1, 1, K_SLOT), F(2, 1, K_BITS), F(3, 1, K_MODE), F(4, 4, K_DELTA),
		F(8, 2, K_LEN), F(10, 1, K_MODE), F(11, 1, K_SDELTA8), F(12, 1, K_BYTE),
		F(13, 2, K_WIN), F(15, 1, K_BITS), END },
	[FZ_OP_ACK] = { F(1, 1, K_SLOT), F(2, 1, K_MODE), F(3, 4, K_DELTA), F(7, 2, K_WIN),
		F(9, 1, K_SACKN), F(10, 1, K_BITS), F(11, 1, K_BITS),
		F(12, 4, K_SACKOFF), F(16, 4, K_SACKLEN), F(20, 4, K_SACKOFF),
		F(24, 4, K_SACKLEN), F(28, 4, K_SACKOFF), F(32, 4, K_SACKLEN),
		F(36, 4, K_SACKOFF), F(40, 4, K_SACKLEN), END },
	[FZ_OP_WINDOW] = { F(1, 1, K_SLOT), F(2, 2, K_WIN), END },
	[FZ_OP_RST] = { F(1, 1, K_SLOT), F(2, 1, K_MODE), F(3, 4, K_DELTA), END },
	[FZ_OP_CLOCK] = { F(1, 1, K_MODE), F(2, 2, K_AMOUNT), END },
	[FZ_OP_RAW] = { F(1, 1, K_BITS), F(2, 2, K_RAWLEN), END },
};

/* How often each op is generated when one is inserted. */
static const uint8_t op_weight[FZ_OP_MAX] = {
	[FZ_OP_SYN] = 10, [FZ_OP_ACCEPT] = 8, [FZ_OP_DATA] = 20, [FZ_OP_ACK] = 22,
	[FZ_OP_WINDOW] = 6, [FZ_OP_RST] = 7, [FZ_OP_CLOCK] = 16, [FZ_OP_RAW] = 1,
};

static uint64_t rng;

static uint32_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 16);
}

static uint32_t
below(uint32_t n)
{
	return n > 1 ? rnd() % n : 0;
}

static uint32_t
rnd32(void)
{
	return rnd() << 16 ^ rnd();
}

static uint32_t
pick(const uint32_t *v, unsigned int n)
{
	return v[below(n)];
}

static uint32_t
mss_multiple(unsigned int max_k)
{
	static const uint32_t mss[] = { 536, 1220, 1460, 1440, 1 };

	return (1 + below(max_k)) * pick(mss, 5);
}

static const uint32_t edges[] = {
	0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x7ffffffd,
	0x3fffffff, 0x40000000, 65535, 65536, 0xffff0000,
};

/* A new value for a field of this kind; cur is its value now. */
static uint32_t
gen(enum kind k, uint32_t cur)
{
	static const uint32_t ports[] = { 7, 9, 13, 17, 19, 37, 7007, 40000, 40001, 0, 65535 };
	static const uint32_t msss[] = { 0, 1, 47, 48, 88, 536, 1220, 1440, 1460, 8960, 65535 };
	static const uint32_t wins[] = { 0, 1, 2, 536, 1460, 4096, 8192, 32768, 65535 };
	static const uint32_t lens[] = { 0, 1, 2, 100, 512, 513, 536, 1220, 1400, 1460, 8000 };
	static const uint32_t amounts[] = { 1, 2, 10, 199, 200, 201, 1000, 3000, 60000, 65535 };

	switch (k) {
	case K_SLOT:
		return below(FZ_SLOTS);
	case K_BITS:
		return cur ^ (1u << below(8));
	case K_SVC:
		return below(8);
	case K_PORT:
		return below(4) == 0 ? (rnd() & 0xffff) : pick(ports, DIM(ports));
	case K_MSS:
		return below(4) == 0 ? (rnd() & 0xffff) : pick(msss, DIM(msss));
	case K_WS:
		return below(4) == 0 ? (rnd() & 0xff) : below(16);
	case K_ISN:
		return below(3) == 0 ? pick(edges, DIM(edges)) - below(4) : rnd32();
	case K_DELTA:
		switch (below(6)) {
		case 0:
			return (uint32_t)((int32_t)below(33) - 16);
		case 1:
			return mss_multiple(16);
		case 2:
			return -mss_multiple(16);
		case 3:
			return pick(edges, DIM(edges));
		case 4:
			return cur + (uint32_t)((int32_t)below(9) - 4);
		default:
			return rnd32();
		}
	case K_WIN:
		return below(4) == 0 ? (rnd() & 0xffff) : pick(wins, DIM(wins));
	case K_LEN:
		return below(4) == 0 ? (rnd() & 0x3fff) : pick(lens, DIM(lens));
	case K_MODE:
		return below(3) == 0 ? (cur + 1) & 0xff : below(8);
	case K_SDELTA8:
		return (uint32_t)((int32_t)below(17) - 8) & 0xff;
	case K_SACKN:
		/* blocks in the low bits, repeats above them */
		return below(2) ? (cur & 0xf0) | below(5) : (cur & 0x07) | below(8) << 4;
	case K_SACKOFF:
		switch (below(5)) {
		case 0:
			return mss_multiple(32);
		case 1:
			return pick(edges, DIM(edges));
		case 2:
			return cur + mss_multiple(4);
		default:
			return rnd32();
		}
	case K_SACKLEN:
		switch (below(5)) {
		case 0:
			return mss_multiple(16);
		case 1:
			return pick(edges, DIM(edges));
		case 2:
			/* a quarter to a half of sequence space: a few cover it all */
			return 0x40000000 + (rnd32() & 0x3fffffff);
		default:
			return rnd32();
		}
	case K_AMOUNT:
		return below(3) == 0 ? (rnd() & 0xffff) : pick(amounts, DIM(amounts));
	case K_RAWLEN:
		return cur + (uint32_t)((int32_t)below(9) - 4);
	default:
		return rnd() & 0xff;
	}
}

static uint32_t
get_field(const uint8_t *p, unsigned int size)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v = v << 8 | p[i];
	return v;
}

static void
put_field(uint8_t *p, unsigned int size, uint32_t v)
{
	int i;

	for (i = (int)size - 1; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

/* The ops of an input: where each starts (after the variant byte). */
static size_t
split(const uint8_t *data, size_t size, size_t *start)
{
	struct fz_op op;
	size_t off = 1, n = 0;

	while (off < size && n < MAX_OPS) {
		start[n++] = off;
		off += fz_op_decode(data, size, off, &op);
	}
	start[n] = off < size ? off : size;
	return n;
}

/* The slot that most ops of the input name, so that new ops reach live connections. */
static uint8_t
likely_slot(const uint8_t *data, size_t size, const size_t *start, size_t n)
{
	size_t i;

	if (n == 0 || below(4) == 0)
		return below(FZ_SLOTS);
	i = below(n);
	if (start[i] + 1 >= size || (data[start[i]] & 0x7f) % FZ_OP_MAX == FZ_OP_CLOCK ||
			(data[start[i]] & 0x7f) % FZ_OP_MAX == FZ_OP_RAW)
		return below(FZ_SLOTS);
	return data[start[i] + 1] & 7;
}

/* A new op, its fields drawn by their kinds. Returns its length. */
static size_t
make_op(uint8_t *out, uint8_t slot)
{
	unsigned int total = 0, r, code;
	const struct field *f;

	for (code = 0; code < FZ_OP_MAX; code++)
		total += op_weight[code];
	r = below(total);
	for (code = 0; r >= op_weight[code]; code++)
		r -= op_weight[code];
	memset(out, 0, fz_op_size[code]);
	out[0] = code;
	for (f = fields[code]; f->size != 0; f++)
		put_field(out + f->off, f->size, gen(f->kind, 0));
	if (code != FZ_OP_CLOCK && code != FZ_OP_RAW)
		out[1] = slot;
	if (code == FZ_OP_RAW)
		put_field(out + 2, 2, 0);
	return fz_op_size[code];
}

/*
 * SACK blocks that together cover all of sequence space, each under half of
 * it (so that each is a valid range by SEQ_LT): 2 to 4 arcs end to end,
 * from anywhere, overlapping a little or not at all. Peers must not send
 * such blocks; a receiver must survive them.
 */
static void
sack_ring(uint8_t *p)
{
	unsigned int n = 2 + below(3), i;
	uint32_t start = rnd32(), left = 0, arc;

	p[9] = (p[9] & 0xf0) | n;
	p[11] = 0; /* all from the ACK */
	for (i = 0; i < n; i++) {
		arc = i + 1 < n ? (uint32_t)(UINT64_C(0x100000000) / n) : (uint32_t)(0 - left);
		put_field(p + 12 + 8 * i, 4, start + left);
		put_field(p + 16 + 8 * i, 4, MIN(arc + below(3), 0x7fffffffu));
		left += arc;
	}
}

/* Change one field of the op at p (of len bytes). */
static void
mutate_field(uint8_t *p, size_t len)
{
	enum fz_opcode code = (enum fz_opcode)((p[0] & 0x7f) % FZ_OP_MAX);
	const struct field *f = fields[code];
	unsigned int n = 0;

	/* More often where blocks are sent already: those ACKs reach the SACK code. */
	if (code == FZ_OP_ACK && len >= fz_op_size[FZ_OP_ACK] &&
			below((p[9] & 7) != 0 ? 3 : 16) == 0) {
		sack_ring(p);
		return;
	}

	while (f[n].size != 0)
		n++;
	f += below(n);
	if (f->off + f->size > len)
		return;
	put_field(p + f->off, f->size, gen(f->kind, get_field(p + f->off, f->size)));
}

static size_t
emit(uint8_t *out, size_t o, const uint8_t *src, size_t n)
{
	if (o + n > BUF_MAX)
		return o;
	memcpy(out + o, src, n);
	return o + n;
}

/* libFuzzer's own mutation of a RAW op's frame; the op's length field follows it. */
static size_t
mutate_raw(uint8_t *out, size_t o, const uint8_t *op, size_t len)
{
	static uint8_t frame[BUF_MAX];
	size_t hdr = fz_op_size[FZ_OP_RAW], n;

	if (len < hdr)
		return emit(out, o, op, len);
	n = len - hdr;
	memcpy(frame, op + hdr, n);
	n = LLVMFuzzerMutate(frame, n, 9100);
	if (o + hdr + n > BUF_MAX)
		return o;
	memcpy(out + o, op, hdr);
	put_field(out + o + 2, 2, n);
	memcpy(out + o + hdr, frame, n);
	return o + hdr + n;
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static size_t start[MAX_OPS + 1];
	static uint8_t out[BUF_MAX];
	uint8_t fresh[FZ_OP_BYTES_MAX];
	size_t n, i, o = 0, at, len, action;

	rng = seed;
	if (size == 0 || below(8) == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	n = split(data, size, start);
	out[o++] = below(16) == 0 ? (uint8_t)below(2 * FZ_VARIANTS) : data[0];
	at = below(n + 1);
	action = below(100);
	for (i = 0; i <= n; i++) {
		if (i == at && action < 30) {
			/* insert a new op here (or, past the end, append it) */
			len = make_op(fresh, likely_slot(data, size, start, n));
			o = emit(out, o, fresh, len);
		}
		if (i == n)
			break;
		len = start[i + 1] - start[i];
		if (i == at && action >= 30 && action < 42)
			continue; /* delete */
		if (i == at && action >= 42 && action < 50) {
			o = emit(out, o, data + start[i], len); /* duplicate */
		} else if (i == at && action >= 50 && action < 55 && i + 1 < n) {
			/* swap with the next */
			o = emit(out, o, data + start[i + 1], start[i + 2] - start[i + 1]);
			o = emit(out, o, data + start[i], len);
			i++;
			continue;
		} else if (i == at && action >= 55 && action < 60) {
			o = emit(out, o, data + start[i], len);
			out[o - len] ^= FZ_BURST_BIT;
			continue;
		} else if (i == at && action >= 60 && action < 66 &&
				(data[start[i]] & 0x7f) % FZ_OP_MAX == FZ_OP_RAW) {
			o = mutate_raw(out, o, data + start[i], len);
			continue;
		}
		o = emit(out, o, data + start[i], len);
		if (i == at && action >= 60) {
			/* one field, or two fields of this op */
			mutate_field(out + o - len, len);
			if (below(3) == 0)
				mutate_field(out + o - len, len);
		}
	}
	/* What did not split into ops (a cut-off tail) is dropped. */
	if (o > max_size)
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(data, out, o);
	return o;
}

size_t
LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
	size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
	static size_t s1[MAX_OPS + 1], s2[MAX_OPS + 1];
	size_t n1, n2, a, b, o, len1, len2;

	rng = seed;
	if (size1 == 0 || max_out_size == 0)
		return 0;
	n1 = split(data1, size1, s1);
	n2 = size2 > 0 ? split(data2, size2, s2) : 0;
	/* data1's first ops, then data2's from one of its ops on */
	a = below(n1 + 1);
	b = below(n2 + 1);
	len1 = s1[a] - 0;
	len2 = s2[n2] - s2[b];
	if (n2 == 0)
		len2 = 0;
	o = len1 < max_out_size ? len1 : max_out_size;
	memcpy(out, data1, o);
	if (len2 > max_out_size - o)
		len2 = max_out_size - o;
	if (len2 > 0)
		memcpy(out + o, data2 + s2[b], len2);
	return o + len2;
}
