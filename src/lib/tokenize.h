/*
 * tokenize.h - tokens and sentences: views into the article body.
 *
 * A token is {offset, length} into the body plus its folded form (lower case,
 * no accents) in one per-article buffer and that form's hash. Nothing is
 * allocated per token: the token array and the folded text are arrays that
 * the tokenizer grows and reuses from one article to the next.
 */
#ifndef RADAR_TOKENIZE_H
#define RADAR_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

enum {
    TOK_WORD = 1 << 0,   /* letters (may hold digits, internal apostrophes) */
    TOK_NUM = 1 << 1,    /* digits, with internal , or . between digits */
    TOK_PUNCT = 1 << 2,  /* one punctuation or symbol code point */
    TOK_CAP = 1 << 3,    /* word starting with an upper-case letter */
    TOK_ALLCAP = 1 << 4, /* word all upper case, two letters or more */
    TOK_SENT = 1 << 5,   /* first token of a sentence */
    TOK_PARA = 1 << 6,   /* first token of a paragraph (after a blank line) */
    TOK_SPACE = 1 << 7,  /* white space before this token */
    TOK_LINE = 1 << 8,   /* a line break before this token */
    TOK_QUOTE = 1 << 9,  /* a quotation mark */
    TOK_POSS = 1 << 10,  /* the possessive 's or ' split from a word */
    TOK_JOIN = 1 << 11,  /* '-' '.' or '/' that lexicon keys skip */
    TOK_GLUED = 1 << 12  /* a word split from the one before it ("Mbappe|However"): no space in the text */
};

typedef struct radar_token {
    uint32_t off, len;      /* bytes in the body */
    uint32_t fold_off;      /* folded form in the tokenizer's fold buffer */
    uint16_t fold_len;
    uint16_t flags;
    uint64_t hash;          /* radar_hash_token of the folded form */
} radar_token;

typedef struct radar_sentence {
    uint32_t first, end; /* token indices [first, end) */
} radar_sentence;

/* Is the folded word with this token hash one that opens a sentence? (the
 * lexicon's sentence_opener class; ctx is the lexicon) */
typedef int (*radar_opener_fn)(const void *ctx, uint64_t hash);

typedef struct radar_tokens {
    radar_token *tok;
    size_t n, cap;
    char *fold;
    size_t fold_len, fold_cap;
    radar_sentence *sent;
    size_t n_sent, sent_cap;
    /* Set by the caller, kept across calls; NULL: no word is split. Scraped
     * text loses the line break between a name and the next sentence
     * ("Stefan OrtegaThe goalkeeper"): a capitalised word whose tail, from an
     * inner capital after a lower-case letter and at least three letters, is a
     * sentence opener is read as two words, the tail opening a new sentence. */
    radar_opener_fn is_opener;
    const void *opener_ctx;
    size_t glue_marks; /* words the scan marked as maybe glued (TOK_GLUED until split_glued) */
} radar_tokens;

/* Split body[0..len) into tokens and sentences, reusing t's arrays.
 * Returns 0 or RADAR_ENOMEM / RADAR_ETOOLARGE. */
int radar_tokenize(radar_tokens *t, const char *body, size_t len);
void radar_tokens_free(radar_tokens *t);

/* The folded text of token i (not NUL-terminated). */
static inline const char *radar_tok_fold(const radar_tokens *t, size_t i) { return t->fold + t->tok[i].fold_off; }

/* Does token i's folded form equal the literal `s`? Stops at the first
 * differing byte: this is the most frequent test in the extractor. */
static inline int radar_tok_is(const radar_tokens *t, size_t i, const char *s)
{
    const char *f = t->fold + t->tok[i].fold_off;
    size_t n = t->tok[i].fold_len;
    for (size_t k = 0; k < n; k++)
        if (s[k] != f[k] || s[k] == '\0')
            return 0;
    return s[n] == '\0';
}

#endif
