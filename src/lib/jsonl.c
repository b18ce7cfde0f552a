/*
 * jsonl.c - the fast path for one JSON Lines article.
 *
 * Reading news as JSON Lines is the hot path of `radar extract`, and a
 * general JSON library that builds a tree (allocating every value, copying
 * strings byte by byte) costs more than extracting the rumours. This scanner
 * handles what article lines are: one object whose members we want are
 * strings or integers. It validates the whole line as strict JSON (nested
 * values are checked and skipped), decodes the wanted strings into one
 * reusable buffer, and allocates nothing per line. Anything it does not
 * accept is handed back to the caller, which asks jansson for a precise
 * error message, so errors read the same either way.
 */
#include <stdint.h>
#include <string.h>

#include "jsonl.h"

typedef struct cursor {
    const unsigned char *p, *end;
    int depth;
    int nul; /* a \u0000 was decoded */
} cursor;

static void ws(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int hexval(unsigned char h)
{
    if (h >= '0' && h <= '9')
        return h - '0';
    h |= 0x20;
    if (h >= 'a' && h <= 'f')
        return h - 'a' + 10;
    return -1;
}

static int hex4(cursor *c, unsigned *out)
{
    if (c->end - c->p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(c->p[i]);
        if (h < 0)
            return -1;
        v = (v << 4) | (unsigned)h;
    }
    c->p += 4;
    *out = v;
    return 0;
}

static size_t put_utf8(unsigned char *d, unsigned cp)
{
    if (cp < 0x80) {
        d[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (unsigned char)(0xC0 | (cp >> 6));
        d[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (unsigned char)(0xE0 | (cp >> 12));
        d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (unsigned char)(0xF0 | (cp >> 18));
    d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string at the cursor (after its opening quote). With `dst`, the decoded
 * bytes are written there (room for the raw length is enough: escapes never
 * grow). Invalid UTF-8 inside the raw string is refused, as jansson does. */
static int string(cursor *c, unsigned char *dst, size_t *out_len)
{
    size_t n = 0;
    for (;;) {
        const unsigned char *run = c->p;
        /* eight bytes at a time while none is a quote, a backslash, a control
         * character or non-ASCII */
        while (c->end - c->p >= 8) {
            uint64_t v;
            memcpy(&v, c->p, 8);
            const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
            uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
            uint64_t special = (v & highs) | ((v - ones * 0x20) & ~v & highs) | ((q - ones) & ~q & highs) |
                               ((bs - ones) & ~bs & highs);
            if (special)
                break;
            c->p += 8;
        }
        while (c->p < c->end && *c->p != '"' && *c->p != '\\' && *c->p >= 0x20 && *c->p < 0x80)
            c->p++;
        if (dst && c->p > run) {
            memcpy(dst + n, run, (size_t)(c->p - run));
        }
        n += (size_t)(c->p - run);
        if (c->p >= c->end)
            return -1;
        unsigned char ch = *c->p;
        if (ch == '"') {
            c->p++;
            *out_len = n;
            return 0;
        }
        if (ch < 0x20)
            return -1;
        if (ch >= 0x80) { /* validate one UTF-8 sequence */
            size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC2 ? 2 : 0;
            if (!len || ch > 0xF4 || (size_t)(c->end - c->p) < len)
                return -1;
            for (size_t k = 1; k < len; k++)
                if ((c->p[k] & 0xC0) != 0x80)
                    return -1;
            if ((ch == 0xE0 && c->p[1] < 0xA0) || (ch == 0xED && c->p[1] > 0x9F) || (ch == 0xF0 && c->p[1] < 0x90) ||
                (ch == 0xF4 && c->p[1] > 0x8F))
                return -1;
            if (dst)
                memcpy(dst + n, c->p, len);
            n += len;
            c->p += len;
            continue;
        }
        /* escape */
        c->p++;
        if (c->p >= c->end)
            return -1;
        unsigned char e = *c->p++;
        unsigned cp;
        switch (e) {
        case '"': cp = '"'; break;
        case '\\': cp = '\\'; break;
        case '/': cp = '/'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            if (hex4(c, &cp))
                return -1;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u')
                    return -1;
                c->p += 2;
                if (hex4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return -1;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return -1;
            }
            break;
        default:
            return -1;
        }
        c->nul |= cp == 0;
        if (dst)
            n += put_utf8(dst + n, cp);
        else
            n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}

/* A JSON number; *is_int says whether it has no fraction or exponent. */
static int number(cursor *c, int *is_int)
{
    const unsigned char *s = c->p;
    *is_int = 1;
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p >= c->end)
        return -1;
    if (*c->p == '0') {
        c->p++;
    } else if (*c->p >= '1' && *c->p <= '9') {
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    } else {
        return -1;
    }
    if (c->p < c->end && *c->p == '.') {
        *is_int = 0;
        c->p++;
        if (c->p >= c->end || *c->p < '0' || *c->p > '9')
            return -1;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        *is_int = 0;
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (c->p >= c->end || *c->p < '0' || *c->p > '9')
            return -1;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    return c->p - s > 0 ? 0 : -1;
}

static int value(cursor *c);

static int literal(cursor *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return -1;
    c->p += n;
    return 0;
}

static int container(cursor *c, unsigned char close)
{
    if (++c->depth > 64)
        return -1;
    ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        c->depth--;
        return 0;
    }
    for (;;) {
        ws(c);
        if (close == '}') {
            size_t len;
            if (c->p >= c->end || *c->p != '"')
                return -1;
            c->p++;
            if (string(c, NULL, &len))
                return -1;
            ws(c);
            if (c->p >= c->end || *c->p != ':')
                return -1;
            c->p++;
            ws(c);
        }
        if (value(c))
            return -1;
        ws(c);
        if (c->p >= c->end)
            return -1;
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        if (*c->p == close) {
            c->p++;
            c->depth--;
            return 0;
        }
        return -1;
    }
}

static int value(cursor *c)
{
    if (c->p >= c->end)
        return -1;
    size_t len;
    int is_int;
    switch (*c->p) {
    case '"':
        c->p++;
        return string(c, NULL, &len);
    case '{':
        c->p++;
        return container(c, '}');
    case '[':
        c->p++;
        return container(c, ']');
    case 't':
        return literal(c, "true");
    case 'f':
        return literal(c, "false");
    case 'n':
        return literal(c, "null");
    default:
        return number(c, &is_int);
    }
}

static int field_index(const unsigned char *key, size_t len)
{
    static const char *const names[JSONL_FIELD_COUNT] = {"id", "date", "source", "title", "url", "text"};
    for (int i = 0; i < JSONL_FIELD_COUNT; i++)
        if (strlen(names[i]) == len && memcmp(names[i], key, len) == 0)
            return i;
    return -1;
}

int radar_jsonl_scan(const char *line, size_t len, jsonl_fields *out, radar_buf *scratch)
{
    memset(out, 0, sizeof *out);
    radar_buf_reset(scratch);
    /* decoded strings are never longer than the line */
    if (radar_buf_reserve(scratch, len + 16))
        return -1;
    unsigned char *dst = (unsigned char *)scratch->data;
    size_t used = 0;
    size_t offsets[JSONL_FIELD_COUNT];
    cursor c = {(const unsigned char *)line, (const unsigned char *)line + len, 0, 0};
    ws(&c);
    if (c.p >= c.end || *c.p != '{')
        return -1;
    c.p++;
    c.depth = 1;
    ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
        goto tail;
    }
    for (;;) {
        ws(&c);
        if (c.p >= c.end || *c.p != '"')
            return -1;
        c.p++;
        const unsigned char *key = c.p;
        size_t klen;
        if (string(&c, NULL, &klen))
            return -1;
        if (memchr(key, '\\', (size_t)(c.p - 1 - key)))
            return -1; /* escaped keys: leave them to the strict parser */
        int f = field_index(key, (size_t)(c.p - 1 - key));
        ws(&c);
        if (c.p >= c.end || *c.p != ':')
            return -1;
        c.p++;
        ws(&c);
        if (c.p >= c.end)
            return -1;
        if (f >= 0 && out->present[f])
            return -1; /* duplicate member: let the strict parser say so */
        if (f >= 0 && *c.p == '"') {
            c.p++;
            size_t n;
            if (string(&c, dst + used, &n))
                return -1;
            offsets[f] = used;
            out->len[f] = n;
            out->present[f] = 1;
            out->is_string[f] = 1;
            dst[used + n] = '\0';
            used += n + 1;
        } else if (f >= 0 && (*c.p == '-' || (*c.p >= '0' && *c.p <= '9'))) {
            const unsigned char *s = c.p;
            int is_int;
            if (number(&c, &is_int))
                return -1;
            size_t n = (size_t)(c.p - s);
            memcpy(dst + used, s, n);
            offsets[f] = used;
            out->len[f] = n;
            out->present[f] = 1;
            out->is_int[f] = is_int;
            dst[used + n] = '\0';
            used += n + 1;
        } else {
            if (f >= 0)
                out->present[f] = 1; /* present, but neither string nor number */
            if (value(&c))
                return -1;
        }
        ws(&c);
        if (c.p >= c.end)
            return -1;
        if (*c.p == ',') {
            c.p++;
            continue;
        }
        if (*c.p == '}') {
            c.p++;
            break;
        }
        return -1;
    }
tail:
    ws(&c);
    if (c.p != c.end || c.nul)
        return -1; /* a string holding U+0000: the strict path refuses the line */
    for (int f = 0; f < JSONL_FIELD_COUNT; f++)
        out->value[f] = out->present[f] && (out->is_string[f] || out->is_int[f]) ? (const char *)dst + offsets[f] : NULL;
    return 0;
}
