/*
 * utf8.h - the one place where UTF-8 is decoded, classified and folded.
 *
 * Invalid bytes decode as U+FFFD, one byte at a time, so every byte of the
 * input is accounted for and spans stay valid. Folding (lower case, accents
 * stripped, typographic apostrophes made plain) is what makes "Bastoni",
 * "BASTONI" and "Bastóni" meet; it uses utf8proc for everything not ASCII.
 */
#ifndef RADAR_UTF8_H
#define RADAR_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "radar/buf.h"

/* Decode one code point at s[0..len). Returns the bytes used (>= 1 when
 * len > 0); invalid sequences give U+FFFD and use one byte. */
size_t radar_utf8_decode(const unsigned char *s, size_t len, int32_t *cp);

/* Offset of the first invalid byte, or `len` when all of s is valid UTF-8. */
size_t radar_utf8_check(const char *s, size_t len);

/* Code point classes. */
int radar_cp_is_letter(int32_t cp);
int radar_cp_is_upper(int32_t cp);
int radar_cp_is_digit(int32_t cp);
int radar_cp_is_space(int32_t cp);
/* A letter, a mark, a number or a private-use character: what a search
 * word is made of (the classes SQLite's unicode61 tokenizer takes). */
int radar_cp_is_word(int32_t cp);
/* A format character (Unicode category Cf: the soft hyphen, zero-width
 * space, joiners, word joiner, U+FEFF, direction marks): invisible. */
int radar_cp_is_format(int32_t cp);

/* Remove the format characters from s[0..len) in place and return the new
 * length: a name shown to people ("Ale\u00ADssandro" -> "Alessandro"). */
size_t radar_drop_format(char *s, size_t len);

/* Append the folded form of s[0..len) to dst[0..cap) and return the bytes
 * written (never more than cap). Folding may change lengths: format
 * characters are left out, and a word that mixes Latin letters with Cyrillic
 * or Greek look-alikes ("Іnter" with a Cyrillic І) has those folded to the
 * Latin letters they look like, so that it meets "Inter". */
size_t radar_fold(const char *s, size_t len, char *dst, size_t cap);

/* Append s[0..len) to `out` as a JSON string with quotes, escaping as JSON
 * requires and writing U+FFFD for invalid bytes. */
int radar_json_string(radar_buf *out, const char *s, size_t len);

/* 64-bit FNV-1a, the hash every lexicon key and token uses. */
static inline uint64_t radar_hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Hash of a token's folded form, eight bytes at a time: the tokenizer runs
 * it for every word, and lexicon keys are built from the same hashes. */
static inline uint64_t radar_hash_token(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    if (i < len) {
        uint64_t v = 0;
        for (size_t k = 0; k < len - i; k++)
            v |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
        h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 29;
    }
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 32);
}

/* Combine the hash of a token sequence, one token at a time. */
static inline uint64_t radar_hash_combine(uint64_t seq, uint64_t tok)
{
    return (seq ^ tok) * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
}

#endif
