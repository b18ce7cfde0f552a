/*
 * syndication.c - SimHash prints of article texts.
 *
 * The same agency story run by two outlets differs in a headline, a byline
 * or a trailing sentence, so an exact hash misses it. A SimHash over
 * three-word shingles moves by a few bits for such edits and by about half
 * its bits for a different text; the store keeps each print in four 16-bit
 * bands, so that any print within three bits shares a band with it and is
 * found through an index (pigeonhole), then checked bit by bit.
 */
#include "syndication.h"

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

int syndication_print(const char *text, size_t len, uint64_t *out)
{
    int votes[64] = {0};
    uint64_t w0 = 0, w1 = 0;
    size_t words = 0, i = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (i < len) {
        while (i < len && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') && !(s[i] >= '0' && s[i] <= '9') &&
               s[i] < 0x80)
            i++;
        if (i >= len)
            break;
        uint64_t h = 1469598103934665603ull;
        while (i < len && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                           s[i] >= 0x80)) {
            unsigned char c = s[i] >= 'A' && s[i] <= 'Z' ? (unsigned char)(s[i] | 0x20) : s[i];
            h = (h ^ c) * 1099511628211ull;
            i++;
        }
        words++;
        if (words >= 3) {
            uint64_t sh = mix(w0 * 31 + mix(w1 * 17 + h));
            for (int b = 0; b < 64; b++)
                votes[b] += (sh >> b) & 1 ? 1 : -1;
        }
        w0 = w1;
        w1 = h;
    }
    if (words < SYNDICATION_MIN_WORDS)
        return 0;
    uint64_t p = 0;
    for (int b = 0; b < 64; b++)
        if (votes[b] > 0)
            p |= 1ull << b;
    *out = p;
    return 1;
}

int syndication_distance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }
