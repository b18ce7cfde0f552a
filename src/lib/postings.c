/*
 * postings.c - an open-addressing table from key to its rows. A key met
 * once (most of them) keeps its row in its slot; a key met again gets a
 * bucket, a ring of the POSTINGS_KEEP newest rows, so a look-up reads one
 * slot and at most one bucket however common the key, and memory stays
 * bounded by the number of keys.
 */
#include "postings.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t key;
    long long row;   /* the row of a key met once */
    uint32_t bucket; /* bucket index + 1; 0: none */
    uint32_t n;      /* rows added (0: the slot is empty), saturating */
} slot;

typedef struct {
    long long rows[POSTINGS_KEEP];
} bucket;

struct postings {
    slot *slots;
    size_t mask; /* slots - 1, a power of two minus one */
    size_t keys;
    bucket *buckets;
    size_t n_buckets, cap_buckets;
    size_t bytes, max_bytes;
};

static size_t hash(uint64_t k)
{
    k ^= k >> 33; /* the keys are hashes already; mix the high bits down */
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

postings *radar_postings_new(size_t max_bytes)
{
    postings *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->mask = 1023;
    p->max_bytes = max_bytes;
    if (!(p->slots = calloc(p->mask + 1, sizeof *p->slots))) {
        free(p);
        return NULL;
    }
    p->bytes = (p->mask + 1) * sizeof *p->slots;
    return p;
}

void radar_postings_free(postings *p)
{
    if (!p)
        return;
    free(p->slots);
    free(p->buckets);
    free(p);
}

static slot *find_slot(slot *slots, size_t mask, uint64_t key)
{
    size_t i = hash(key) & mask;
    while (slots[i].n && slots[i].key != key)
        i = (i + 1) & mask;
    return &slots[i];
}

/* Double the table when it is half full: probes stay short. */
static int grow_table(postings *p)
{
    size_t mask = p->mask * 2 + 1, bytes = p->bytes + (p->mask + 1) * sizeof *p->slots;
    if (bytes > p->max_bytes)
        return 1;
    slot *slots = calloc(mask + 1, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i <= p->mask; i++)
        if (p->slots[i].n)
            *find_slot(slots, mask, p->slots[i].key) = p->slots[i];
    free(p->slots);
    p->slots = slots;
    p->mask = mask;
    p->bytes = bytes;
    return 0;
}

/* A new bucket's index + 1, or 0 (full: 1 in *why; no memory: -1). */
static uint32_t new_bucket(postings *p, int *why)
{
    if (p->n_buckets == p->cap_buckets) {
        size_t cap = p->cap_buckets ? p->cap_buckets * 2 : 256;
        size_t bytes = p->bytes + (cap - p->cap_buckets) * sizeof *p->buckets;
        if (bytes > p->max_bytes || cap >= UINT32_MAX) {
            *why = 1;
            return 0;
        }
        bucket *b = realloc(p->buckets, cap * sizeof *b);
        if (!b) {
            *why = -1;
            return 0;
        }
        p->buckets = b;
        p->cap_buckets = cap;
        p->bytes = bytes;
    }
    return (uint32_t)++p->n_buckets;
}

int radar_postings_add(postings *p, uint64_t key, long long row)
{
    int rc;
    if ((p->keys + 1) * 2 > p->mask + 1 && (rc = grow_table(p)))
        return rc;
    slot *s = find_slot(p->slots, p->mask, key);
    if (!s->n) {
        s->key = key;
        s->row = row;
        s->n = 1;
        p->keys++;
        return 0;
    }
    if (!s->bucket) {
        int why = 0;
        uint32_t b = new_bucket(p, &why);
        if (!b)
            return why;
        s->bucket = b;
        p->buckets[b - 1].rows[0] = s->row;
    }
    /* the ring: row i of the key (from 0) at i % POSTINGS_KEEP */
    p->buckets[s->bucket - 1].rows[s->n % POSTINGS_KEEP] = row;
    if (s->n < UINT32_MAX / 2)
        s->n++;
    else /* a key met two billion times: keep the count on the ring's step */
        s->n = UINT32_MAX / 2 - (UINT32_MAX / 2) % POSTINGS_KEEP + (s->n + 1) % POSTINGS_KEEP;
    return 0;
}

size_t radar_postings_find(const postings *p, uint64_t key, long long below, long long *out, size_t max)
{
    const slot *s = find_slot(p->slots, p->mask, key);
    if (!s->n || !max)
        return 0;
    if (!s->bucket) {
        if (s->row >= below)
            return 0;
        out[0] = s->row;
        return 1;
    }
    const long long *ring = p->buckets[s->bucket - 1].rows;
    size_t kept = s->n < POSTINGS_KEEP ? s->n : POSTINGS_KEEP, n = 0;
    for (size_t i = 0; i < kept && n < max; i++) {
        long long row = ring[(s->n - 1 - i) % POSTINGS_KEEP];
        if (row < below)
            out[n++] = row;
    }
    return n;
}

void radar_postings_clear(postings *p)
{
    memset(p->slots, 0, (p->mask + 1) * sizeof *p->slots);
    p->keys = 0;
    p->n_buckets = 0;
}
