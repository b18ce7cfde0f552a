/*
 * utf8.c - decoding, classes, folding and JSON escaping (see utf8.h).
 */
#include <string.h>
#include <utf8proc.h>

#include "utf8.h"

size_t radar_utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    int32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len < n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

size_t radar_utf8_check(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t n = radar_utf8_decode(u + i, len - i, &cp);
        if (cp == 0xFFFD && !(n == 3 && u[i] == 0xEF && u[i + 1] == 0xBF && u[i + 2] == 0xBD))
            return i;
        i += n;
    }
    return len;
}

int radar_cp_is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    if (cp == 0xFFFD)
        return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_MN;
}

int radar_cp_is_upper(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int radar_cp_is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

int radar_cp_is_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
    return cp == 0xA0 || cp == 0x2009 || cp == 0x200A || cp == 0x202F || cp == 0x2002 || cp == 0x2003 ||
           cp == 0x3000 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

size_t radar_fold(const char *s, size_t len, char *dst, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len && o < cap) {
        unsigned char c = u[i];
        if (c < 0x80) {
            dst[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp;
        i += radar_utf8_decode(u + i, len - i, &cp);
        if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x00B4 || cp == 0x0060) {
            dst[o++] = '\'';
            continue;
        }
        if (cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0x2014) {
            dst[o++] = '-';
            continue;
        }
        if (cp == 0xDF) { /* sharp s folds to "ss" */
            if (o + 2 > cap)
                break;
            dst[o++] = 's';
            dst[o++] = 's';
            continue;
        }
        utf8proc_int32_t out[8];
        int last = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(
            cp, out, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT, &last);
        if (n < 0 || n > 8) {
            out[0] = cp;
            n = 1;
        }
        for (utf8proc_ssize_t k = 0; k < n; k++) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t m = utf8proc_encode_char(out[k], enc);
            if (o + (size_t)m > cap)
                return o;
            memcpy(dst + o, enc, (size_t)m);
            o += (size_t)m;
        }
    }
    return o;
}

int radar_json_string(radar_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    int rc = radar_buf_reserve(out, len + 2);
    if (rc)
        return rc;
    radar_buf_putc(out, '"');
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        /* eight plain bytes at a time (no quote, backslash, control or non-ASCII) */
        while (len - run >= 8) {
            uint64_t v;
            memcpy(&v, u + run, 8);
            const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
            uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
            if ((v & highs) | ((v - ones * 0x20) & ~v & highs) | ((q - ones) & ~q & highs) | ((bs - ones) & ~bs & highs))
                break;
            run += 8;
        }
        while (run < len && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\')
            run++;
        if (run > i) {
            if ((rc = radar_buf_append(out, s + i, run - i)))
                return rc;
            i = run;
            continue;
        }
        unsigned char c = u[i];
        char esc[8];
        size_t n = 2;
        esc[0] = '\\';
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
        } else if (c == '\n') {
            esc[1] = 'n';
        } else if (c == '\r') {
            esc[1] = 'r';
        } else if (c == '\t') {
            esc[1] = 't';
        } else if (c < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        } else {
            int32_t cp;
            size_t m = radar_utf8_decode(u + i, len - i, &cp);
            if (cp == 0xFFFD && m == 1) {
                if ((rc = radar_buf_append(out, "\xEF\xBF\xBD", 3)))
                    return rc;
            } else if ((rc = radar_buf_append(out, s + i, m))) {
                return rc;
            }
            i += m;
            continue;
        }
        if ((rc = radar_buf_append(out, esc, n)))
            return rc;
        i++;
    }
    return radar_buf_putc(out, '"');
}
