/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In the sanitizer build only (app/meson.build): our calls to DPDK's heap
 * are linked to these (ld --wrap), which take the blocks from libc's heap.
 * DPDK's heap is memory ASan knows nothing of: a read or write past a
 * connection table, a limiter's slots or a worker's counters would land in
 * the next block unseen. From malloc(), every block has ASan's red zones
 * around it and LeakSanitizer accounts for it. --wrap changes the calls in
 * our objects only: DPDK's own blocks, and mbufs (mempool memory), stay out
 * of ASan's sight.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_memory.h>

void *__wrap_rte_malloc_socket(const char *type, size_t size, unsigned int align, int socket);
void *__wrap_rte_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket);
void *__wrap_rte_calloc_socket(const char *type, size_t num, size_t size, unsigned int align,
		int socket);
void *__wrap_rte_malloc(const char *type, size_t size, unsigned int align);
void *__wrap_rte_zmalloc(const char *type, size_t size, unsigned int align);
void *__wrap_rte_calloc(const char *type, size_t num, size_t size, unsigned int align);
void __wrap_rte_free(void *ptr);
void __real_rte_free(void *ptr);

/* DPDK's rules: no empty block, a power-of-two alignment, a cache line at least. */
void *
__wrap_rte_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	void *p;

	RTE_SET_USED(type);
	RTE_SET_USED(socket);
	if (size == 0 || (align != 0 && !rte_is_power_of_2(align)))
		return NULL;
	if (posix_memalign(&p, RTE_MAX(align, (unsigned int)RTE_CACHE_LINE_SIZE), size) != 0)
		return NULL;
	return p;
}

void *
__wrap_rte_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	void *p = __wrap_rte_malloc_socket(type, size, align, socket);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void *
__wrap_rte_calloc_socket(const char *type, size_t num, size_t size, unsigned int align, int socket)
{
	size_t total;

	if (__builtin_mul_overflow(num, size, &total))
		return NULL;
	return __wrap_rte_zmalloc_socket(type, total, align, socket);
}

void *
__wrap_rte_malloc(const char *type, size_t size, unsigned int align)
{
	return __wrap_rte_malloc_socket(type, size, align, SOCKET_ID_ANY);
}

void *
__wrap_rte_zmalloc(const char *type, size_t size, unsigned int align)
{
	return __wrap_rte_zmalloc_socket(type, size, align, SOCKET_ID_ANY);
}

void *
__wrap_rte_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	return __wrap_rte_calloc_socket(type, num, size, align, SOCKET_ID_ANY);
}

/* A block from DPDK's heap (one DPDK allocated for us) goes back there. */
void
__wrap_rte_free(void *ptr)
{
	if (ptr != NULL && rte_mem_virt2memseg_list(ptr) != NULL)
		__real_rte_free(ptr);
	else
		free(ptr);
}
