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

int radar_cp_is_word(int32_t cp)
{
    if (cp < 0x80)
        return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || (cp >= '0' && cp <= '9');
    if (cp == 0xFFFD)
        return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_CO;
}

int radar_cp_is_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
    return cp == 0xA0 || cp == 0x2009 || cp == 0x200A || cp == 0x202F || cp == 0x2002 || cp == 0x2003 ||
           cp == 0x3000 || cp == 0x2028 || cp == 0x2029;
}

int radar_cp_is_format(int32_t cp)
{
    /* below U+0600 the soft hyphen is the only one: Latin, Greek and
     * Cyrillic letters need no table look-up */
    if (cp < 0x600)
        return cp == 0xAD;
    return cp != 0xFFFD && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

size_t radar_drop_format(char *s, size_t len)
{
    unsigned char *u = (unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            u[o++] = u[i++];
            continue;
        }
        int32_t cp;
        size_t n = radar_utf8_decode(u + i, len - i, &cp);
        if (!radar_cp_is_format(cp)) {
            memmove(u + o, u + i, n);
            o += n;
        }
        i += n;
    }
    return o;
}

/* Cyrillic and Greek letters that look like a Latin one, with that letter:
 * sorted by code point for the binary search. Only clear look-alikes (not
 * Cyrillic т or н, which look like small capitals). */
static const struct {
    uint16_t cp;
    char latin;
} LOOK_ALIKES[] = {
    {0x0391, 'a'}, {0x0392, 'b'}, {0x0395, 'e'}, {0x0396, 'z'}, {0x0397, 'h'}, {0x0399, 'i'}, {0x039A, 'k'},
    {0x039C, 'm'}, {0x039D, 'n'}, {0x039F, 'o'}, {0x03A1, 'p'}, {0x03A4, 't'}, {0x03A5, 'y'}, {0x03A7, 'x'},
    {0x03B1, 'a'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C5, 'u'},
    {0x03F2, 'c'}, {0x03F3, 'j'}, {0x03F9, 'c'}, {0x0405, 's'}, {0x0406, 'i'}, {0x0408, 'j'}, {0x0410, 'a'},
    {0x0412, 'b'}, {0x0415, 'e'}, {0x041A, 'k'}, {0x041C, 'm'}, {0x041D, 'h'}, {0x041E, 'o'}, {0x0420, 'p'},
    {0x0421, 'c'}, {0x0422, 't'}, {0x0423, 'y'}, {0x0425, 'x'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'},
    {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'},
    {0x04AE, 'y'}, {0x04AF, 'y'}, {0x04BA, 'h'}, {0x04BB, 'h'}, {0x04C0, 'l'}, {0x04CF, 'l'}, {0x0500, 'd'},
    {0x0501, 'd'}, {0x051A, 'q'}, {0x051B, 'q'}, {0x051C, 'w'}, {0x051D, 'w'},
};

/* The Latin letter a Cyrillic or Greek code point looks like, or 0. */
static char look_alike(int32_t cp)
{
    size_t lo = 0, hi = sizeof LOOK_ALIKES / sizeof *LOOK_ALIKES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (LOOK_ALIKES[mid].cp == cp)
            return LOOK_ALIKES[mid].latin;
        if (LOOK_ALIKES[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int is_latin_letter(int32_t cp)
{
    return (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* Does the word starting at u[i] (letters, marks and format characters up to
 * the next other code point) mix Latin letters with Cyrillic or Greek
 * look-alikes ("Іnter" with a Cyrillic І)? Such a word is folded to its
 * Latin skeleton; a word wholly in one script is left as it is. */
static int mixed_word(const unsigned char *u, size_t i, size_t len)
{
    int latin = 0, alike = 0;
    while (i < len) {
        int32_t cp;
        size_t n = radar_utf8_decode(u + i, len - i, &cp);
        if (!radar_cp_is_letter(cp) && !radar_cp_is_format(cp))
            break;
        latin |= is_latin_letter(cp);
        alike |= cp >= 0x370 && look_alike(cp) != 0;
        i += n;
    }
    return latin && alike;
}

/* Does s hold a lead byte of U+0340-U+053F (Greek, Cyrillic)? Only then is
 * a word looked at for mixed scripts. */
static int has_greek_or_cyrillic(const unsigned char *u, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (u[i] >= 0xCD && u[i] <= 0xD4)
            return 1;
    return 0;
}

/* The plain spelling of a Latin letter that Unicode does not decompose, or NULL. */
static const char *latin_plain(int32_t cp)
{
    switch (cp) {
    case 0xD8: case 0xF8: return "o";              /* Ø ø */
    case 0xC6: case 0xE6: return "ae";             /* Æ æ */
    case 0x152: case 0x153: return "oe";           /* Œ œ */
    case 0xDF: case 0x1E9E: return "ss";           /* ß ẞ */
    case 0x141: case 0x142: return "l";            /* Ł ł */
    case 0x110: case 0x111: return "d";            /* Đ đ */
    case 0xD0: case 0xF0: return "d";              /* Ð ð */
    case 0xDE: case 0xFE: return "th";             /* Þ þ */
    case 0x131: return "i";                        /* ı (dotless) */
    case 0x126: case 0x127: return "h";            /* Ħ ħ */
    case 0x166: case 0x167: return "t";            /* Ŧ ŧ */
    case 0x14A: case 0x14B: return "n";            /* Ŋ ŋ */
    case 0x13F: case 0x140: return "l";            /* Ŀ ŀ */
    default: return NULL;
    }
}

size_t radar_fold(const char *s, size_t len, char *dst, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    int check_scripts = has_greek_or_cyrillic(u, len);
    int in_word = 0, skeleton = 0;
    while (i < len && o < cap) {
        unsigned char c = u[i];
        if (c < 0x80) {
            int letter = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
            if (check_scripts && letter && !in_word)
                skeleton = mixed_word(u, i, len);
            in_word = letter;
            dst[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp;
        size_t n = radar_utf8_decode(u + i, len - i, &cp);
        if (check_scripts) {
            int part = radar_cp_is_letter(cp) || radar_cp_is_format(cp);
            if (part && !in_word)
                skeleton = mixed_word(u, i, len);
            in_word = part;
            char l = skeleton ? look_alike(cp) : 0;
            if (l) {
                dst[o++] = l;
                i += n;
                continue;
            }
        }
        i += n;
        /* invisible: a soft hyphen or zero-width character inside a name
         * ("Ale\u00ADssandro") leaves no trace in its folded form */
        if (radar_cp_is_format(cp))
            continue;
        if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x00B4 || cp == 0x0060) {
            dst[o++] = '\'';
            continue;
        }
        if (cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0x2014) {
            dst[o++] = '-';
            continue;
        }
        /* letters with no accent to strip, written plain in English texts:
         * Ødegaard, Højlund, Łukasz, Đoković, Ægir, Þór, Straße */
        const char *plain = latin_plain(cp);
        if (plain) {
            size_t pl = strlen(plain);
            if (o + pl > cap)
                break;
            memcpy(dst + o, plain, pl);
            o += pl;
            continue;
        }
        utf8proc_int32_t out[8];
        int last = 0;
        utf8proc_ssize_t nd = utf8proc_decompose_char(
            cp, out, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT, &last);
        if (nd < 0 || nd > 8) {
            out[0] = cp;
            nd = 1;
        }
        for (utf8proc_ssize_t k = 0; k < nd; k++) {
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
