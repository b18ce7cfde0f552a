/*
 * postings.c - an open-addressing table from key to the head of a chain of
 * entries, each entry a row and the index of the next (older) one. Entries
 * live in one growing array, so adding a pair allocates only when the array
 * or the table doubles.
 */
#include "postings.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t key;
    uint32_t head; /* entry index + 1; 0: the slot is empty */
} slot;

typedef struct {
    long long row;
    uint32_t next; /* entry index + 1 of the older entry; 0: none */
} entry;

struct postings {
    slot *slots;
    size_t mask; /* slots - 1, a power of two minus one */
    size_t keys;
    entry *entries;
    size_t n, cap, max;
};

static size_t hash(uint64_t k)
{
    k ^= k >> 33; /* the keys are hashes already; mix the high bits down */
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

postings *postings_new(size_t max_entries)
{
    postings *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->mask = 1023;
    p->max = max_entries < UINT32_MAX ? max_entries : UINT32_MAX - 1;
    if (!(p->slots = calloc(p->mask + 1, sizeof *p->slots))) {
        free(p);
        return NULL;
    }
    return p;
}

void postings_free(postings *p)
{
    if (!p)
        return;
    free(p->slots);
    free(p->entries);
    free(p);
}

static slot *find_slot(slot *slots, size_t mask, uint64_t key)
{
    size_t i = hash(key) & mask;
    while (slots[i].head && slots[i].key != key)
        i = (i + 1) & mask;
    return &slots[i];
}

/* Double the table when it is half full: probes stay short. */
static int grow_table(postings *p)
{
    size_t mask = p->mask * 2 + 1;
    slot *slots = calloc(mask + 1, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i <= p->mask; i++)
        if (p->slots[i].head)
            *find_slot(slots, mask, p->slots[i].key) = p->slots[i];
    free(p->slots);
    p->slots = slots;
    p->mask = mask;
    return 0;
}

int postings_add(postings *p, uint64_t key, long long row)
{
    if (p->n >= p->max)
        return 1;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        if (cap > p->max)
            cap = p->max;
        entry *e = realloc(p->entries, cap * sizeof *e);
        if (!e)
            return -1;
        p->entries = e;
        p->cap = cap;
    }
    if ((p->keys + 1) * 2 > p->mask + 1 && grow_table(p))
        return -1;
    slot *s = find_slot(p->slots, p->mask, key);
    if (!s->head) {
        s->key = key;
        p->keys++;
    }
    p->entries[p->n].row = row;
    p->entries[p->n].next = s->head;
    s->head = (uint32_t)++p->n;
    return 0;
}

size_t postings_find(const postings *p, uint64_t key, long long below, long long *out, size_t max)
{
    size_t n = 0;
    const slot *s = find_slot(p->slots, p->mask, key);
    for (uint32_t e = s->head; e && n < max; e = p->entries[e - 1].next) {
        long long row = p->entries[e - 1].row;
        if (row < below)
            out[n++] = row;
    }
    return n;
}

void postings_clear(postings *p)
{
    memset(p->slots, 0, (p->mask + 1) * sizeof *p->slots);
    p->keys = 0;
    p->n = 0;
}
