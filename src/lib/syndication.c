/*
 * syndication.c - bottom-k sketches of article texts.
 *
 * The same agency story run by two outlets differs in a headline, a byline
 * or a credit line, so an exact hash misses it. The texts' sets of
 * five-word shingles still overlap almost entirely, and the smallest k
 * shingle hashes of each set are a sample that estimates that overlap
 * (Broder's resemblance): of the k smallest hashes of the union, the share
 * found in both sketches. The store indexes every sketch hash, so a copy is
 * found through any hash it shares and then checked with the estimate.
 */
#include "syndication.h"

/* Words per shingle: long enough that formulaic phrases shared by every
 * transfer story ("are interested in the", "according to") rarely make a
 * whole shingle, short enough that a copy keeps most of them. */
#define SHINGLE 5

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static int word_byte(unsigned char c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Keep h if it is among the k smallest distinct hashes seen. */
static void keep_smallest(uint64_t *out, size_t *n, uint64_t h)
{
    size_t i = *n;
    if (i == SYNDICATION_SKETCH && h >= out[i - 1])
        return;
    for (size_t k = 0; k < *n; k++)
        if (out[k] == h)
            return;
    if (i == SYNDICATION_SKETCH)
        i--; /* the largest drops out */
    else
        (*n)++;
    while (i > 0 && out[i - 1] > h) {
        out[i] = out[i - 1];
        i--;
    }
    out[i] = h;
}

int radar_syndication_sketch(const char *text, size_t len, uint64_t out[SYNDICATION_SKETCH])
{
    uint64_t w[SHINGLE] = {0}; /* the last words' hashes, w[SHINGLE - 1] the newest */
    size_t words = 0, i = 0, n = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (i < len) {
        while (i < len && !word_byte(s[i]))
            i++;
        if (i >= len)
            break;
        uint64_t h = 1469598103934665603ull;
        for (; i < len && word_byte(s[i]); i++)
            h = (h ^ (s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20u : s[i])) * 1099511628211ull;
        for (int k = 0; k + 1 < SHINGLE; k++)
            w[k] = w[k + 1];
        w[SHINGLE - 1] = h;
        if (++words >= SHINGLE) {
            uint64_t sh = 0;
            for (int k = 0; k < SHINGLE; k++)
                sh = mix(sh * 31 + w[k]);
            keep_smallest(out, &n, sh);
        }
    }
    return words >= SYNDICATION_MIN_WORDS && n == SYNDICATION_SKETCH;
}

int radar_syndication_shared(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, taken = 0;
    int both = 0;
    while (taken < SYNDICATION_SKETCH && (i < na || j < nb)) {
        if (i < na && j < nb && a[i] == b[j]) {
            both++;
            i++;
            j++;
        } else if (j >= nb || (i < na && a[i] < b[j])) {
            i++;
        } else {
            j++;
        }
        taken++;
    }
    return both;
}
