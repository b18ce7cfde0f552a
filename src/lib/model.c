/*
 * model.c - weight tables of the learned decisions: parse, write, score.
 *
 * A decision has K classes and a table from feature key to K weights (open
 * addressing, keys never 0). Scoring a candidate sums the rows of its keys
 * and takes the softmax. The text form keeps each row's feature name as a
 * comment, so a reader of the model file sees what each weight is for.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "radar/model.h"
#include "model_internal.h"

static const char *const decision_names[RADAR_DECIDE_COUNT] = {"pair", "stage", "context"};

static int table_init(decision_table *d, size_t rows, int k)
{
    size_t slots = 16;
    while (slots < rows * 2 + 2)
        slots *= 2;
    d->width = k * (1 + MODEL_DOMAINS);
    d->keys = calloc(slots, sizeof *d->keys);
    d->w = calloc(slots * (size_t)d->width, sizeof *d->w);
    d->names = NULL;
    if (!d->keys || !d->w)
        return radar_error_set(RADAR_ENOMEM, "out of memory for a model");
    d->slots = slots;
    d->k = k;
    return 0;
}

static void table_free(decision_table *d)
{
    free(d->keys);
    free(d->w);
    if (d->names) {
        for (size_t i = 0; i < d->slots; i++)
            free(d->names[i]);
        free(d->names);
    }
    memset(d, 0, sizeof *d);
}

static size_t table_slot(const decision_table *d, uint64_t key)
{
    size_t mask = d->slots - 1, i = (size_t)(key ^ (key >> 29)) & mask;
    while (d->keys[i] && d->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

static int table_grow(decision_table *d)
{
    decision_table n;
    int rc = table_init(&n, d->slots, d->k);
    if (rc)
        return rc;
    if (d->names && !(n.names = calloc(n.slots, sizeof *n.names))) {
        table_free(&n);
        return radar_error_set(RADAR_ENOMEM, "out of memory for a model");
    }
    for (size_t i = 0; i < d->slots; i++) {
        if (!d->keys[i])
            continue;
        size_t j = table_slot(&n, d->keys[i]);
        n.keys[j] = d->keys[i];
        memcpy(n.w + j * (size_t)n.width, d->w + i * (size_t)d->width, (size_t)d->width * sizeof *d->w);
        if (d->names) {
            n.names[j] = d->names[i];
            d->names[i] = NULL;
        }
    }
    n.rows = d->rows;
    table_free(d);
    *d = n;
    return 0;
}

float *radar_model_row(decision_table *d, uint64_t key, int create)
{
    if (!d->slots)
        return NULL;
    size_t i = table_slot(d, key);
    if (d->keys[i])
        return d->w + i * (size_t)d->width;
    if (!create)
        return NULL;
    if ((d->rows + 1) * 2 > d->slots) {
        if (table_grow(d))
            return NULL;
        i = table_slot(d, key);
    }
    d->keys[i] = key;
    d->rows++;
    return d->w + i * (size_t)d->width;
}

const float *radar_model_row_get(const decision_table *d, uint64_t key)
{
    if (!d->slots || !d->rows)
        return NULL;
    size_t i = table_slot(d, key);
    return d->keys[i] ? d->w + i * (size_t)d->width : NULL;
}

int radar_model_table_new(radar_model *m, radar_decision dec, int k, size_t rows_hint)
{
    table_free(&m->d[dec]);
    return table_init(&m->d[dec], rows_hint, k);
}

int radar_model_set_name(radar_model *m, radar_decision dec, uint64_t key, const char *name)
{
    decision_table *d = &m->d[dec];
    if (!d->names && !(d->names = calloc(d->slots, sizeof *d->names)))
        return RADAR_ENOMEM;
    size_t i = table_slot(d, key);
    if (!d->keys[i] || d->names[i])
        return 0;
    d->names[i] = strdup(name);
    return d->names[i] ? 0 : RADAR_ENOMEM;
}

static void softmax(double *s, int k, float *out)
{
    double mx = s[0], z = 0;
    for (int c = 1; c < k; c++)
        if (s[c] > mx)
            mx = s[c];
    for (int c = 0; c < k; c++)
        z += (s[c] = exp(s[c] - mx));
    for (int c = 0; c < k; c++)
        out[c] = (float)(s[c] / z);
}

void radar_model_scores(const radar_model *m, radar_decision dec, const uint64_t *keys, size_t n, int domain,
                        float *out)
{
    const decision_table *d = &m->d[dec];
    int k = d->k;
    size_t off = (size_t)k * (size_t)(1 + domain);
    double s[RADAR_MODEL_MAX_CLASSES] = {0};
    for (size_t i = 0; i < n; i++) {
        const float *w = radar_model_row_get(d, keys[i]);
        if (w)
            for (int c = 0; c < k; c++)
                s[c] += w[c] + w[off + (size_t)c];
    }
    softmax(s, k, out);
}


/* A hint to load memory soon to be read; nothing where the compiler has no such builtin. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* How many keys ahead the scorer asks for a key's slot: the joint table is
 * larger than the caches, and the look-ups of a candidate's keys do not depend
 * on one another, so their cache misses can overlap. */
#define SCORE_AHEAD 8

/* The slot where the probe for `key` starts. */
static inline const unsigned char *summed_home(const summed_table *j, uint64_t key)
{
    return j->mem + ((size_t)(key ^ (key >> 29)) & (j->slots - 1)) * j->stride;
}

/* The slot holding `key`, or NULL. */
static inline const unsigned char *summed_find(const summed_table *j, uint64_t key)
{
    size_t mask = j->slots - 1, s = (size_t)(key ^ (key >> 29)) & mask;
    for (;;) {
        const unsigned char *slot = j->mem + s * j->stride;
        uint64_t k;
        memcpy(&k, slot, sizeof k);
        if (k == key)
            return slot;
        if (!k)
            return NULL;
        s = (s + 1) & mask;
    }
}

/* The sums of a slot for articles of kind `domain`: k of the first decision, then kc of the second. */
static inline const float *summed_sums(const summed_table *j, const unsigned char *slot, int domain)
{
    return (const float *)(const void *)(slot + sizeof(uint64_t)) + (size_t)domain * (size_t)(j->k + j->kc);
}

static void summed_free(summed_table *j)
{
    free(j->mem);
    memset(j, 0, sizeof *j);
}

/* Build the summed table of decision a, and of b beside it when not NULL. */
static int summed_build(summed_table *j, const decision_table *a, const decision_table *b)
{
    /* sized for the keys of the two tables counted once (most are in both) */
    size_t rows = a->rows, slots = 16;
    for (size_t i = 0; b && i < b->slots; i++)
        rows += b->keys[i] && !radar_model_row_get(a, b->keys[i]);
    while (slots < rows * 2 + 2)
        slots *= 2;
    j->k = a->k;
    j->kc = b ? b->k : 0;
    /* the key and MODEL_DOMAINS sums of k + kc, in whole cache lines */
    j->stride = (sizeof(uint64_t) + MODEL_DOMAINS * (size_t)(j->k + j->kc) * sizeof(float) + 63) / 64 * 64;
    j->mem = aligned_alloc(64, slots * j->stride);
    if (!j->mem)
        return radar_error_set(RADAR_ENOMEM, "out of memory for a model");
    memset(j->mem, 0, slots * j->stride);
    j->slots = slots;
    const decision_table *both[2] = {a, b};
    for (int t = 0; t < 2 && both[t]; t++)
        for (size_t i = 0; i < both[t]->slots; i++) {
            uint64_t key = both[t]->keys[i], found;
            if (!key)
                continue;
            size_t mask = slots - 1, s = (size_t)(key ^ (key >> 29)) & mask;
            unsigned char *slot;
            for (;; s = (s + 1) & mask) {
                slot = j->mem + s * j->stride;
                memcpy(&found, slot, sizeof found);
                if (!found || found == key)
                    break;
            }
            if (!found) {
                memcpy(slot, &key, sizeof key);
                j->rows++;
            }
            /* a key of one table only keeps zeros for the other: the scorer added 0 + 0 */
            int k = both[t]->k;
            const float *w = both[t]->w + i * (size_t)both[t]->width;
            for (int d = 0; d < MODEL_DOMAINS; d++) {
                float *sum = (float *)(void *)(slot + sizeof(uint64_t)) + (size_t)d * (size_t)(j->k + j->kc) +
                             (t ? (size_t)j->k : 0);
                for (int x = 0; x < k; x++)
                    sum[x] = w[x] + w[(size_t)k * (size_t)(1 + d) + (size_t)x];
            }
        }
    return 0;
}

void radar_model_scores_first(const radar_model *m, const uint64_t *keys, size_t n, int domain, float *ctx, float *out)
{
    const summed_table *j = &m->joint;
    int k = j->k, kc = j->kc;
    double s[RADAR_MODEL_MAX_CLASSES] = {0}, sc[RADAR_MODEL_MAX_CLASSES] = {0};
    for (size_t i = 0; i < n && i < SCORE_AHEAD; i++)
        PREFETCH(summed_home(j, keys[i]));
    for (size_t i = 0; i < n; i++) {
        if (i + SCORE_AHEAD < n)
            PREFETCH(summed_home(j, keys[i + SCORE_AHEAD]));
        const unsigned char *slot = summed_find(j, keys[i]);
        if (!slot)
            continue;
        const float *w = summed_sums(j, slot, domain);
        if (k == 3 && kc == 3) { /* the decisions' usual classes, unrolled */
            s[0] += w[0], s[1] += w[1], s[2] += w[2];
            sc[0] += w[3], sc[1] += w[4], sc[2] += w[5];
            continue;
        }
        for (int c = 0; c < k; c++)
            s[c] += w[c];
        for (int c = 0; c < kc; c++)
            sc[c] += w[k + c];
    }
    for (int c = 0; c < kc; c++)
        ctx[c] = (float)sc[c];
    softmax(s, k, out);
}

void radar_model_scores_second(const radar_model *m, const float *ctx, const uint64_t *extra, size_t n_extra,
                               int domain, float *out)
{
    /* the context sums of the joint table: one cache line a key, not a key
     * and a row of the context table (a key the context decision lacks sums 0) */
    const summed_table *j = &m->joint;
    int k = j->kc;
    double s[RADAR_MODEL_MAX_CLASSES];
    for (int c = 0; c < k; c++)
        s[c] = ctx[c];
    for (size_t i = 0; i < n_extra && i < SCORE_AHEAD; i++)
        PREFETCH(summed_home(j, extra[i]));
    for (size_t i = 0; i < n_extra; i++) {
        if (i + SCORE_AHEAD < n_extra)
            PREFETCH(summed_home(j, extra[i + SCORE_AHEAD]));
        const unsigned char *slot = summed_find(j, extra[i]);
        if (!slot)
            continue;
        const float *w = summed_sums(j, slot, domain) + j->k;
        for (int c = 0; c < k; c++)
            s[c] += w[c];
    }
    softmax(s, k, out);
}

int radar_model_has(const radar_model *m, radar_decision dec)
{
    return m && m->d[dec].rows > 0;
}

radar_model *radar_model_new(void)
{
    return calloc(1, sizeof(radar_model));
}

void radar_model_free(radar_model *m)
{
    if (!m)
        return;
    for (int d = 0; d < RADAR_DECIDE_COUNT; d++)
        table_free(&m->d[d]);
    summed_free(&m->joint);
    free(m);
}

size_t radar_model_rows(const radar_model *m, radar_decision d)
{
    return m && (unsigned)d < RADAR_DECIDE_COUNT ? m->d[d].rows : 0;
}

/* ---- text form ----------------------------------------------------------- */

/* A weight as the writer prints it ("%.4g": -0.0123, 1.5e-05): parsed by hand,
 * as a model has hundreds of thousands and strtod is most of loading them. */
static int parse_weight(const char *p, const char **end, double *out)
{
    while (*p == ' ' || *p == '\t')
        p++;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    double v = 0, scale = 1;
    int digits = 0;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (*p++ - '0'), digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            v = v * 10 + (*p++ - '0'), scale *= 10, digits++;
    }
    if (!digits)
        return -1;
    v /= scale;
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = *p == '-', e = 0, ed = 0;
        if (*p == '-' || *p == '+')
            p++;
        while (*p >= '0' && *p <= '9' && e < 400)
            e = e * 10 + (*p++ - '0'), ed++;
        if (!ed)
            return -1;
        v *= pow(10.0, eneg ? -e : e);
    }
    *out = neg ? -v : v;
    *end = p;
    return 0;
}

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int radar_model_write(const radar_model *m, radar_buf *out)
{
    int rc = radar_buf_puts(out, "# Transfer Radar extraction model: KEY WEIGHT... # feature (docs/model.md)\n");
    static const char *const kinds[2] = {"short", "long"};
    if (m->stage_margin > 0)
        rc = radar_buf_printf(out, "margin stage %.3g\n", (double)m->stage_margin);
    for (int i = 0; i < 2 && !rc; i++)
        if (m->threshold[i] > 0)
            rc = radar_buf_printf(out, "threshold %s %.3g %.3g\n", kinds[i], (double)m->threshold[i],
                                  (double)(m->threshold_rule[i] > 0 ? m->threshold_rule[i] : m->threshold[i]));
    for (int dec = 0; dec < RADAR_DECIDE_COUNT && !rc; dec++) {
        const decision_table *d = &m->d[dec];
        if (!d->rows)
            continue;
        rc = radar_buf_printf(out, "decision %s %d\n", decision_names[dec], d->k);
        /* rows in key order: the same model always writes the same bytes */
        uint64_t *keys = malloc(d->rows * sizeof *keys);
        if (!keys)
            return RADAR_ENOMEM;
        size_t n = 0;
        for (size_t i = 0; i < d->slots; i++)
            if (d->keys[i])
                keys[n++] = d->keys[i];
        qsort(keys, n, sizeof *keys, cmp_key);
        for (size_t r = 0; r < n && !rc; r++) {
            size_t i = table_slot(d, keys[r]);
            rc = radar_buf_printf(out, "%016llx", (unsigned long long)keys[r]);
            for (int c = 0; c < d->width && !rc; c++)
                rc = radar_buf_printf(out, " %.4g", (double)d->w[i * (size_t)d->width + c]);
            if (!rc && d->names && d->names[i])
                rc = radar_buf_printf(out, " # %s", d->names[i]);
            if (!rc)
                rc = radar_buf_putc(out, '\n');
        }
        free(keys);
    }
    return rc;
}

/* Reading a model file line by line: what the line parsers share. */
typedef struct model_reader {
    radar_model *m;
    const char *name; /* the file, for messages */
    size_t line;
    int dec;          /* the decision the weight rows belong to; -1 before any */
    int keep_names;   /* keep each row's comment, its feature's name */
} model_reader;

/* "margin stage P" */
static int parse_margin(model_reader *r, const char *s)
{
    double v;
    if (sscanf(s, "%lf", &v) != 1 || !(v >= 0 && v < 1))
        return radar_error_set(RADAR_EFORMAT, "%s:%zu: expected 'margin stage P' with 0 <= P < 1", r->name, r->line);
    r->m->stage_margin = (float)v;
    return 0;
}

/* "threshold short|long P [P_RULE]" */
static int parse_threshold(model_reader *r, const char *s)
{
    char kind[16];
    double v, vr = 0;
    int got = sscanf(s, "%15s %lf %lf", kind, &v, &vr);
    if (got < 2 || (strcmp(kind, "short") && strcmp(kind, "long")) || !(v > 0 && v < 1) ||
        (got == 3 && !(vr > 0 && vr < 1)))
        return radar_error_set(RADAR_EFORMAT, "%s:%zu: expected 'threshold short|long P [P_RULE]' with 0 < P < 1",
                               r->name, r->line);
    r->m->threshold[!strcmp(kind, "long")] = (float)v;
    r->m->threshold_rule[!strcmp(kind, "long")] = (float)(got == 3 ? vr : v);
    return 0;
}

/* "decision NAME CLASSES": the rows that follow are that decision's. */
static int parse_decision(model_reader *r, const char *s)
{
    char dname[32];
    int k;
    if (sscanf(s, "%31s %d", dname, &k) != 2 || k < 2 || k > RADAR_MODEL_MAX_CLASSES)
        return radar_error_set(RADAR_EFORMAT, "%s:%zu: expected 'decision NAME CLASSES'", r->name, r->line);
    r->dec = -1;
    for (int d = 0; d < RADAR_DECIDE_COUNT; d++)
        if (!strcmp(dname, decision_names[d]))
            r->dec = d;
    if (r->dec < 0)
        return radar_error_set(RADAR_EFORMAT, "%s:%zu: unknown decision '%s'", r->name, r->line, dname);
    return radar_model_table_new(r->m, (radar_decision)r->dec, k, 1024);
}

/* A hex digit's value + 1; 0 for any other byte. */
static const unsigned char hex_value[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16};

/* "KEY WEIGHT..." with the row's feature name as its comment. */
static int parse_row(model_reader *r, const char *s, const char *comment)
{
    if (r->dec < 0)
        return radar_error_set(RADAR_EFORMAT, "%s:%zu: a weight row before any 'decision' line", r->name, r->line);
    decision_table *d = &r->m->d[r->dec];
    char *e;
    unsigned long long key = 0;
    /* the writer's 16 hex digits, read by hand (strtoull was a fifth of loading) */
    const unsigned char *u = (const unsigned char *)s;
    int n = 0;
    while (n < 16 && hex_value[u[n]])
        key = key << 4 | (unsigned)(hex_value[u[n++]] - 1);
    errno = 0;
    if (n == 16 && !hex_value[u[16]])
        e = (char *)s + 16;
    else
        key = strtoull(s, &e, 16);
    if (e == s || errno || key == 0)
        return radar_error_set(RADAR_EFORMAT, "%s:%zu: expected a feature key in hex", r->name, r->line);
    float *w = radar_model_row(d, (uint64_t)key, 1);
    if (!w)
        return radar_error_set(RADAR_ENOMEM, "out of memory for a model");
    for (int c = 0; c < d->width; c++) {
        const char *e2;
        double v;
        if (parse_weight(e, &e2, &v) || !isfinite(v))
            return radar_error_set(RADAR_EFORMAT, "%s:%zu: expected %d weights", r->name, r->line, d->width);
        w[c] = (float)v;
        e = (char *)e2;
    }
    if (r->keep_names && comment[0] && radar_model_set_name(r->m, (radar_decision)r->dec, (uint64_t)key, comment))
        return radar_error_set(RADAR_ENOMEM, "out of memory for a model");
    return 0;
}

/* One line [p, eol): its comment set aside (kept as the row's name when
 * names are kept), then read by what it starts with. */
static int parse_line(model_reader *r, const char *p, const char *eol)
{
    char buf[1024];
    size_t n = (size_t)(eol - p);
    const char *hash = memchr(p, '#', n);
    char comment[256] = "";
    if (hash) {
        size_t cl = (size_t)(eol - hash - 1);
        while (cl && (hash[1] == ' ')) {
            hash++;
            cl--;
        }
        if (r->keep_names && cl < sizeof comment) {
            memcpy(comment, hash + 1, cl);
            comment[cl] = '\0';
        }
        n = (size_t)((const char *)memchr(p, '#', (size_t)(eol - p)) - p);
    }
    if (n >= sizeof buf)
        return radar_error_set(RADAR_EFORMAT, "%s:%zu: line too long", r->name, r->line);
    memcpy(buf, p, n);
    buf[n] = '\0';
    char *s = buf;
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    if (!*s)
        return 0;
    if (!strncmp(s, "margin stage ", 13))
        return parse_margin(r, s + 13);
    if (!strncmp(s, "threshold ", 10))
        return parse_threshold(r, s + 10);
    if (!strncmp(s, "decision ", 9))
        return parse_decision(r, s + 9);
    return parse_row(r, s, comment);
}

int radar_model_parse(radar_model **out, const char *name, const char *text, size_t len)
{
    radar_model *m = radar_model_new();
    if (!m)
        return radar_error_set(RADAR_ENOMEM, "out of memory for a model");
    /* feature names are comments: kept only to explain decisions (RADAR_DEBUG) */
    const char *dbg = getenv("RADAR_DEBUG");
    model_reader r = {m, name, 0, -1, dbg && *dbg && *dbg != '0'};
    int rc = 0;
    const char *p = text, *end = text + len;
    while (p < end && !rc) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        r.line++;
        rc = parse_line(&r, p, eol);
        p = eol < end ? eol + 1 : end;
    }
    if (!rc && m->d[RADAR_DECIDE_PAIR].rows && m->d[RADAR_DECIDE_CONTEXT].rows)
        rc = summed_build(&m->joint, &m->d[RADAR_DECIDE_PAIR], &m->d[RADAR_DECIDE_CONTEXT]);
    if (rc) {
        radar_model_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

int radar_model_load(radar_model **out, const char *path)
{
    radar_buf b = RADAR_BUF_INIT;
    int rc = radar_buf_read_file(&b, path, RADAR_MAX_MODEL_FILE);
    if (!rc)
        rc = radar_model_parse(out, path, b.data ? b.data : "", b.len);
    radar_buf_free(&b);
    return rc;
}

const char *radar_model_name(const radar_model *m, radar_decision dec, uint64_t key)
{
    const decision_table *d = &m->d[dec];
    if (!d->names || !d->slots)
        return NULL;
    size_t i = table_slot(d, key);
    return d->keys[i] ? d->names[i] : NULL;
}
