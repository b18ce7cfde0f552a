/*
 * fuzz_extract.c - libFuzzer target for the whole read -> extract -> write path.
 *
 * The input bytes are read as if they were a file called "fuzz-input" (so the
 * reader picks dated text, JSON Lines or plain text by content), every article
 * is extracted with the built-in lexicon, and each result is written both as a
 * JSON line and as text. Beyond "no crash, no leak, no UB", the target checks
 * what the headers promise and aborts when a promise is broken:
 *   - every span (rumour evidence and fee, mention, fact) lies in [0, body_len]
 *     with start <= end;
 *   - a rumour always names its player and the club it would go to;
 *   - the JSON output is one line of valid UTF-8 that parses as a JSON object;
 *   - extraction is a pure function: the same article extracted twice in a row
 *     gives byte-identical JSON.
 * Inputs whose first byte is '#' are also parsed as a lexicon file (a line
 * starting with '#' is a comment there) into a fresh lexicon, whose kind comes
 * from the second byte; when that succeeds the bytes are extracted once more
 * with that small lexicon, which exercises matching against odd entries.
 *
 * The same file is linked with replay_main.c (no libFuzzer) into fuzz_replay,
 * which ctest runs over tests/fuzz/corpus/ in every build.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/radar.h"
#include "../../src/util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_ctx {
    radar_extractor *ex;
    radar_buf json;  /* reused between inputs */
    radar_buf json2; /* second extraction, for the determinism check */
    radar_buf text;
    int check_pure;
} fuzz_ctx;

static void fail(const char *what, const radar_article *a)
{
    fprintf(stderr, "fuzz_extract: invariant violated: %s (article %s, line %llu, body_len %zu)\n", what,
            a && a->id ? a->id : "?", a ? (unsigned long long)a->line : 0ull, a ? a->body_len : (size_t)0);
    abort();
}

static void check_span(radar_span s, const radar_article *a, const char *what)
{
    if (s.start > s.end || s.end > a->body_len)
        fail(what, a);
}

static void check_doc(const radar_doc *doc, const radar_article *a)
{
    if (doc->article != a)
        fail("doc->article is not the article extracted", a);
    for (size_t i = 0; i < doc->n_rumours; i++) {
        const radar_rumour *r = &doc->rumours[i];
        if (!r->player || !r->to_club)
            fail("rumour without player or to_club", a);
        if ((unsigned)r->stage >= RADAR_STAGE_COUNT)
            fail("rumour stage out of range", a);
        if (r->has_fee) {
            check_span(r->fee.span, a, "rumour fee span");
            if ((unsigned)r->fee.kind >= RADAR_FEE_KIND_COUNT)
                fail("fee kind out of range", a);
        }
        for (size_t j = 0; j < r->n_evidence; j++)
            check_span(r->evidence[j], a, "rumour evidence span");
        for (size_t j = 0; j < r->n_suitors_also; j++)
            if (!r->suitors_also[j])
                fail("NULL suitor", a);
        for (size_t j = 0; j < r->n_sources; j++)
            if (!r->sources[j])
                fail("NULL rumour source", a);
    }
    for (size_t i = 0; i < doc->n_mentions; i++) {
        if ((unsigned)doc->mentions[i].type >= RADAR_MENTION_TYPE_COUNT)
            fail("mention type out of range", a);
        check_span(doc->mentions[i].span, a, "mention span");
    }
    for (size_t i = 0; i < doc->n_facts; i++) {
        if ((unsigned)doc->facts[i].type >= RADAR_FACT_TYPE_COUNT)
            fail("fact type out of range", a);
        check_span(doc->facts[i].span, a, "fact span");
    }
    for (size_t i = 0; i < doc->n_sources; i++)
        if (!doc->sources[i])
            fail("NULL article source", a);
}

static void check_json(const radar_buf *b, const radar_article *a)
{
    if (b->len == 0 || b->data[b->len - 1] != '\n')
        fail("JSON output does not end with a newline", a);
    if (memchr(b->data, '\n', b->len - 1))
        fail("JSON output is more than one line", a);
    if (radar_utf8_check(b->data, b->len) != b->len)
        fail("JSON output is not valid UTF-8", a);
    json_error_t err;
    json_t *v = json_loadb(b->data, b->len - 1, JSON_ALLOW_NUL, &err);
    if (!v) {
        fprintf(stderr, "fuzz_extract: JSON error at column %d: %s\n%.*s\n", err.column, err.text,
                (int)(b->len > 2000 ? 2000 : b->len), b->data);
        fail("JSON output does not parse", a);
    }
    int is_obj = json_is_object(v);
    json_decref(v);
    if (!is_obj)
        fail("JSON output is not an object", a);
}

static int on_item(void *user, radar_read_event event, const radar_article *a, const char *message)
{
    fuzz_ctx *c = user;
    if (event != RADAR_READ_ARTICLE) {
        if (!message)
            fail("warning or failure without a message", NULL);
        return 0;
    }
    if (!a || !a->body)
        fail("article without a body", a);
    const radar_doc *doc = NULL;
    if (radar_extract(c->ex, a, &doc) != 0)
        return 0; /* refusing an article is allowed; crashing is not */
    if (!doc)
        fail("radar_extract succeeded without a document", a);
    check_doc(doc, a);

    radar_buf_reset(&c->json);
    if (radar_doc_write_json(doc, &c->json) == 0)
        check_json(&c->json, a);
    radar_buf_reset(&c->text);
    (void)radar_doc_write_text(doc, &c->text);

    if (c->check_pure && c->json.len) {
        const radar_doc *again = NULL;
        if (radar_extract(c->ex, a, &again) != 0 || !again)
            fail("second extraction of the same article failed", a);
        radar_buf_reset(&c->json2);
        if (radar_doc_write_json(again, &c->json2) != 0 || c->json2.len != c->json.len ||
            memcmp(c->json2.data, c->json.data, c->json.len) != 0) {
            fprintf(stderr, "first:  %.*s\nsecond: %.*s\n", (int)c->json.len, c->json.data, (int)c->json2.len,
                    c->json2.data ? c->json2.data : "");
            fail("extracting the same article twice gave different JSON", a);
        }
    }
    return 0;
}

/* Parse the bytes as a words file, then as a lexicon file, into a fresh
 * lexicon; if the lexicon file works, extract the bytes again with it (and
 * whatever word classes the first parse added). */
static void fuzz_lexicon(const uint8_t *data, size_t size)
{
    static const char *const names[RADAR_KIND_COUNT] = {
        "clubs/fuzz-land.txt", "outlets.txt", "journalists.txt", "positions.txt",
        "nationalities.txt",   "triggers.txt", "roles.txt",      "common_words.txt"};
    radar_entity_kind kind = size > 1 ? (radar_entity_kind)(data[1] % RADAR_KIND_COUNT) : RADAR_KIND_CLUB;
    radar_lexicon *lex = NULL;
    if (radar_lexicon_new(&lex) != 0)
        return;
    (void)radar_lexicon_add_words(lex, "words.txt", (const char *)data, size);
    int rc = radar_lexicon_add_text(lex, kind, names[kind], (const char *)data, size);
    if (rc == 0) {
        (void)radar_lexicon_count(lex, kind);
        fuzz_ctx c = {0};
        if (radar_extractor_new(&c.ex, lex) == 0) {
            radar_read_options opts = RADAR_READ_OPTIONS_INIT;
            (void)radar_read_buffer("fuzz-lexicon-input", (const char *)data, size, &opts, on_item, &c);
            radar_extractor_free(c.ex);
        }
        radar_buf_free(&c.json);
        radar_buf_free(&c.json2);
        radar_buf_free(&c.text);
    }
    radar_lexicon_free(lex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static radar_lexicon *lex;
    static fuzz_ctx ctx;
    if (!lex) {
        if (radar_lexicon_new_builtin(&lex) != 0 || radar_extractor_new(&ctx.ex, lex) != 0) {
            fprintf(stderr, "fuzz_extract: cannot build the built-in lexicon: %s\n", radar_last_error());
            abort();
        }
        ctx.check_pure = 1;
    }
    radar_read_options opts = RADAR_READ_OPTIONS_INIT;
    opts.default_date = size & 1 ? "2024-07-02" : NULL;
    (void)radar_read_buffer("fuzz-input", (const char *)data, size, &opts, on_item, &ctx);
    if (size && data[0] == '#')
        fuzz_lexicon(data, size);
    return 0;
}
