/*
 * arena.c - chunked bump allocator (see arena.h).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct radar_arena_chunk {
    radar_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void radar_arena_init(radar_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
}

#ifdef RADAR_ARENA_MALLOC
void *radar_arena_alloc(radar_arena *a, size_t size)
{
    radar_arena_chunk *c = malloc(sizeof *c + (size ? size : 1));
    if (!c)
        return NULL;
    c->next = a->head;
    c->size = c->used = size;
    a->head = c;
    memset(c->data, 0, size);
    return c->data;
}

void radar_arena_reset(radar_arena *a) { radar_arena_free(a); }
#else
void *radar_arena_alloc(radar_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    radar_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t cs = a->chunk_size > size ? a->chunk_size : size;
        c = malloc(sizeof *c + cs);
        if (!c)
            return NULL;
        c->size = cs;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

void radar_arena_reset(radar_arena *a)
{
    /* Keep the largest chunk (the tail grows as articles grow) and drop the rest. */
    radar_arena_chunk *keep = NULL;
    for (radar_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep || c->size > keep->size) {
            free(keep);
            keep = c;
        } else {
            free(c);
        }
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
}
#endif

char *radar_arena_strndup(radar_arena *a, const char *s, size_t len)
{
    char *p = radar_arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void radar_arena_free(radar_arena *a)
{
    for (radar_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}
