/*
 * arena.h - per-article scratch memory, released in one call.
 *
 * Blocks are carved from large chunks and all freed together by
 * radar_arena_reset, which keeps the first chunk so that steady-state use
 * allocates nothing. Built with -DRADAR_ARENA_MALLOC every allocation is a
 * separate malloc, so that AddressSanitizer sees each block's bounds.
 */
#ifndef RADAR_ARENA_H
#define RADAR_ARENA_H

#include <stddef.h>

typedef struct radar_arena_chunk radar_arena_chunk;

typedef struct radar_arena {
    radar_arena_chunk *head;
    size_t chunk_size;
} radar_arena;

void radar_arena_init(radar_arena *a, size_t chunk_size);
/* Zeroed, 16-byte aligned memory valid until reset/free; NULL when out of memory. */
void *radar_arena_alloc(radar_arena *a, size_t size);
/* Copy `len` bytes and add a NUL. */
char *radar_arena_strndup(radar_arena *a, const char *s, size_t len);
void radar_arena_reset(radar_arena *a);
void radar_arena_free(radar_arena *a);

#endif
