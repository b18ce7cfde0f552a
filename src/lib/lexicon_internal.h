/*
 * lexicon_internal.h - the lexicon's tables, as the extractor sees them.
 *
 * Aliases are keyed by the hash of their folded token sequence (with '-', '.'
 * and '/' skipped); prefixes of aliases are keys too, so a match stops as
 * soon as no alias can continue.
 */
#ifndef RADAR_LEXICON_INTERNAL_H
#define RADAR_LEXICON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "radar/lexicon.h"
#include "tokenize.h"
#include "words.h"
#include "../util/utf8.h"

/* Directions of a trigger: where its buyer and player stand. */
enum {
    DIR_BUYER = 0,  /* "Liverpool want Bastoni": buyer before, player after */
    DIR_PLAYER = 1, /* "Bastoni could join Liverpool": player before, buyer after */
    DIR_SELLER = 2, /* "Inter reject a bid from Liverpool": seller before */
    DIR_NOUN = 3,   /* "a move to", "interest from": buyer after, player before or after */
    DIR_RIVAL = 4,  /* "Inter Miami will rival Watford for X": clubs on both sides are buyers */
    DIR_REFUSED = 5 /* "an offer for X rejected by Inter": buyer before, seller after */
};

/* Cues: phrases that are not rumour stages but mark context. */
typedef enum lex_cue {
    CUE_NONE = 0,
    CUE_RENEWAL,      /* new contract at the current club */
    CUE_CONTRACT,     /* contract expiry or length */
    CUE_INJURY,
    CUE_KEEP,         /* selling club wants to keep the player */
    CUE_SELL,         /* selling club open to a sale */
    CUE_SOURCE_BEFORE,/* "according to" NAME */
    CUE_SOURCE_AFTER, /* NAME "reports", told NAME */
    CUE_PAST,         /* "since joining": a past move, context only */
    CUE_CAPTION,      /* photo credit furniture */
    CUE_NEGATION,     /* "not", "no longer": weakens a rumour */
    CUE_DENIAL,       /* "denied", "dismissed reports" */
    CUE_SPEECH,       /* "said", "says", "told": a speaker nearby */
    CUE_FEE_BID, CUE_FEE_ASKING, CUE_FEE_VALUATION, CUE_FEE_RELEASE, CUE_FEE_WAGES,
    CUE_CLUB_NOUN,    /* "club", "side", "outfit": after a nationality, a club reference */
    CUE_STAY,         /* "wants to stay": no move, but says nothing of his club */
    CUE_DONE,         /* "official", "confirmed", "completed": a move reported made */
    CUE_COUNT
} lex_cue;

typedef struct lex_entry {
    radar_entity_kind kind;
    const char *canonical;
    const char *country; /* clubs, nationalities, outlets */
    const char *league;
    const char *role;    /* roles and journalists */
    int tier;            /* outlets, journalists: 1..5, 0 unknown */
    int stage;           /* triggers: radar_stage */
    int dir;             /* triggers: DIR_* */
    int cue;             /* triggers: lex_cue */
    int group;           /* positions: 'G','D','M','F' */
    int from, until;     /* people: years of the role (0: not known) */
    int certain;         /* triggers: the step is surely reported as reached (certain=yes) */
} lex_entry;

typedef struct lex_alias {
    uint32_t entry;
    uint32_t next;       /* next alias with the same key, or UINT32_MAX */
    uint8_t ntok;        /* tokens in the key (not counting skipped ones) */
    uint8_t ambiguous;
    uint8_t lower_ok;    /* may match lower-case text (triggers, positions, roles) */
} lex_alias;

typedef struct lex_slot {
    uint32_t head;        /* first alias with this key, or LEX_NONE */
    uint16_t kinds;       /* 1 << kind of every alias with this key */
    uint16_t kinds_lower; /* the same for the aliases that may match lower-case text */
    uint8_t more;         /* some longer alias starts with this key */
} lex_slot;

#define LEX_NONE UINT32_MAX
#define LEX_FILTER_LOG2 18
#define LEX_FILTER_BITS (1u << LEX_FILTER_LOG2)

static inline uint32_t lex_filter_bit(uint64_t key) { return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - LEX_FILTER_LOG2)); }
static inline int lex_filter_has(const uint64_t *bits, uint64_t key)
{
    uint32_t bit = lex_filter_bit(key);
    return (int)(bits[bit >> 6] >> (bit & 63)) & 1;
}
static inline void lex_filter_add(uint64_t *bits, uint64_t key)
{
    uint32_t bit = lex_filter_bit(key);
    bits[bit >> 6] |= 1ull << (bit & 63);
}

struct radar_lexicon {
    lex_entry *entries;
    size_t n_entries, cap_entries;
    lex_alias *aliases;
    size_t n_aliases, cap_aliases;
    /* key hash -> first alias index. The keys of every proper prefix of an
     * alias are in the table too (head LEX_NONE when only a prefix), marked
     * `more`, so that matching stops at the first token that no alias continues
     * with: one probe for most tokens. */
    uint64_t *keys;
    lex_slot *vals;
    size_t slots, used;
    /* one bit per hashed first-token key: most tokens start no alias, and this
     * small filter answers them without touching the big table */
    uint64_t first_bits[LEX_FILTER_BITS / 64];
    uint64_t people_bits[LEX_FILTER_BITS / 64]; /* the same for the people, looked up on their own */
    /* one bit per key of two tokens or more: most words after a listed word
     * ("the", "to") continue no alias, and this filter says so before a probe
     * of the big table, which misses the cache */
    uint64_t more_bits[LEX_FILTER_BITS / 64];
    /* strings (canonical names, attributes) */
    char **strings;
    size_t n_strings, cap_strings;
    size_t counts[RADAR_KIND_COUNT];
    /* word classes (words.txt): a word's token hash -> the classes it is in */
    uint64_t *word_keys;
    word_set *word_vals;
    size_t word_slots, word_used;
    word_set word_named; /* the classes some words file has named */
};

/* The lexicon's hash tables: open addressing, linear probing, keys are
 * nonzero hashes (0 marks a free slot). The slot index mixes the high bits
 * in, so that keys differing only there do not share a cluster. */
static inline uint64_t lex_key(uint64_t h) { return h ? h : 1; }
static inline size_t lex_slot_of(uint64_t key, size_t slots) { return (size_t)((key ^ (key >> 31)) & (slots - 1)); }
static inline size_t lex_probe(const uint64_t *keys, size_t slots, uint64_t key)
{
    size_t j = lex_slot_of(key, slots);
    while (keys[j] && keys[j] != key)
        j = (j + 1) & (slots - 1);
    return j;
}
/* Make room for one more key: doubles the table (values of vsize bytes) when
 * it would be over half full. Returns 0 or RADAR_ENOMEM. */
int radar_lex_table_grow(uint64_t **keys, void **vals, size_t vsize, size_t *slots, size_t used);

/* Strip blanks and '\r' from both ends of s[0..*len). */
void radar_lex_trim(const char **s, size_t *len);

/* Longest alias starting at token i of t whose entries include a kind in
 * `kinds` (a bit mask of 1 << kind). Returns the number of tokens it spans
 * (skipped joiners included) and sets *head to its first alias, or 0. A stage
 * phrase may hold a few modifier words besides its own ("completed the
 * permanent signing of"): when `slack` is not NULL, bit k of *slack is set for
 * each token i + k passed over so. */
size_t radar_lex_match_slow(const radar_lexicon *lex, const radar_tokens *t, size_t i, size_t end, unsigned kinds,
                            uint32_t *head, uint16_t *slack);

/* The filter check inline: most tokens start no alias and cost no call. */
static inline size_t lex_match_slack(const radar_lexicon *lex, const radar_tokens *t, size_t i, size_t end,
                                     unsigned kinds, uint32_t *head, uint16_t *slack)
{
    uint64_t k = radar_hash_combine(0, t->tok[i].hash);
    const uint64_t *bits = kinds == (1u << RADAR_KIND_PERSON) ? lex->people_bits : lex->first_bits;
    if (!lex_filter_has(bits, k ? k : 1))
        return 0;
    return radar_lex_match_slow(lex, t, i, end, kinds, head, slack);
}

static inline size_t lex_match(const radar_lexicon *lex, const radar_tokens *t, size_t i, size_t end, unsigned kinds,
                               uint32_t *head)
{
    return lex_match_slack(lex, t, i, end, kinds, head, NULL);
}

/* Look up a single folded word (for common words). */
uint32_t radar_lex_lookup_word(const radar_lexicon *lex, const char *folded, size_t len);

/* words.c: RADAR_EFORMAT naming the first class no words file has named
 * (`name` is the file meant to name them all), else 0. */
int radar_words_check(const radar_lexicon *lex, const char *name);

/* The word classes of tokens [0, t->n) into out[0, t->n), and empty sets into
 * the WORD_PAD entries after them: one probe per token. */
void radar_words_classify(const radar_lexicon *lex, const radar_tokens *t, word_set *out);

/* words.c: is the word with token hash `hash` a sentence opener, or a club's
 * one-word name (a scraped heading's last name glued to the next paragraph's
 * club)? (ctx: the radar_lexicon; the tokenizer's radar_opener_fn) */
int radar_words_is_opener(const void *ctx, uint64_t hash);

/* lexicon.c: the built-in (compiled-in) file of data/lexicon/ named `name`
 * ("wording.txt"): its bytes into *data, *len (static, never freed), or
 * RADAR_ENOTFOUND. For the lexicon's files that other modules parse. */
int radar_lexicon_builtin_file(const char *name, const char **data, size_t *len);

#endif
