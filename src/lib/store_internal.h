/*
 * store_internal.h - what the store's files share: the handle, the helpers of
 * the core (store.c), and what each role offers the others. Only the store's
 * files include sqlite3.h.
 *
 * Who calls whom (no circle), each also calling the core (store.c):
 *   questions (JSON) -> answers, JSON writers, writing's identity rule
 *   answers (typed)  -> scores (a story's likelihood)
 *   scores           -> outcomes
 *   outcomes         -> writing (the identity rule, players touched)
 *   writing          -> feeds and syndication
 * and ingest.c, the pipeline, calls writing, feeds and the scores.
 */
#ifndef RADAR_STORE_INTERNAL_H
#define RADAR_STORE_INTERNAL_H

#include <jansson.h>
#include "sql.h"
#include <stddef.h>
#include <stdint.h>

#include "radar/buf.h"
#include "radar/limits.h"
#include "radar/score.h"
#include "radar/store.h"
#include "postings.h"
#include "syndication.h"

#define RESURFACE_DAYS 180 /* a mention after this long a silence makes a story resurface */
#define DORMANT_DAYS 120   /* no mention for this long before the newest article: dormant */
/* The order in which a story's mentions are read (`m` a mention, `a` its
 * article): by date (undated last), then by article id, then in the
 * article's own order. Never by when they were stored, so that what a story
 * keeps of its latest or first report (stage, resolution, wording) is the
 * same whatever order the articles came in. */
#define STORE_MENTION_ORDER "m.date IS NULL, m.date, a.id, m.id"
/* The resolution a story's status rests on comes first in this order (`r` a
 * resolution): a move done, then a destination that is his own club (no
 * move at all), then the latest. */
#define RESOLUTION_ORDER "r.outcome = 'done' DESC, r.origin = 'own_club' DESC, r.ended DESC"

/* Statements of feeds and syndication (store_feeds.c), prepared on first use. */
enum { W_SET_AUTHOR, W_DELETE_PRINTS, W_PRINT_POSTINGS, W_PRINTS_OF, W_ARTICLE_DATE, W_INSERT_PRINT,
       W_ORIGIN_CITED, W_ORIGIN_PUBLISHER, W_CITE_ORIGIN, W_HAS_ITEM, W_NOTE_ITEM, W_PRINTS_START, W_COUNT };

/* prepared once per handle, at open (store.c's SQL[]); used by store_write.c */
enum {
    Q_ARTICLE_BY_ID, Q_ARTICLE_BY_HASH, Q_INSERT_ARTICLE, Q_UPDATE_ARTICLE, Q_OLD_STORIES, Q_DELETE_MENTIONS,
    Q_DELETE_FACTS, Q_PLAYERS_BY_SURNAME, Q_INSERT_PLAYER, Q_UPDATE_PLAYER, Q_INSERT_MENTION, Q_INSERT_SOURCE,
    Q_INSERT_FACT, Q_INSERT_STORY, Q_STORY_ID, Q_STORY_MENTIONS, Q_UPDATE_STORY,
    Q_FTS_INSERT, Q_FTS_DELETE, Q_PLAYERS_BY_KEY, Q_COUNT
};

struct radar_store {
    /* the connection (sql.h); db is its SQLite handle, NULL on PostgreSQL,
     * for what only SQLite has (its pragmas, busy handler, progress handler) */
    radar_sql conn;
    sqlite3 *db;
    radar_sql_stmt *stmt[Q_COUNT];
    radar_sql_stmt *web[W_COUNT];
    /* the sketches of the articles this handle stored from rowid prints_from
     * on (0: none kept), and whether the database holds older ones; dropped
     * when a transaction rolls back or another connection writes */
    postings *prints;
    long long prints_from;
    int prints_older;
    long long data_version;
    /* a bulk load dropped the index of sketches by hash; it is missing now */
    int print_index_dropped, print_index_missing;
    const radar_lexicon *lex;
    char path[1024];
    int readonly;
    /* how long to wait for another connection's lock, and whom to tell */
    long wait_ms;
    radar_store_wait_fn on_wait;
    void *wait_user;
    int said_waiting;
    double busy_since; /* when the current wait began (ms, monotonic) */
    /* stories touched since the transaction began: their summaries are
     * recomputed once, at commit, however many mentions they received */
    long long *dirty;
    size_t n_dirty, cap_dirty;
    long long new_stories; /* stories created in this transaction */
    /* a story's source names and origins while its summary is computed
     * (update_story): copies in one arena, by offset; kept for reuse */
    struct story_strings {
        radar_buf arena;
        size_t *names, *origins;
        size_t n_names, cap_names, n_origins, cap_origins;
        const char **sorted;
        size_t cap_sorted;
    } story_strings;
    int updated;           /* an article was updated in this transaction */
    int changed;           /* an article was stored in this transaction */
    /* players whose stories changed since the last rescore, and whether
     * the scores were stale already when the store was opened */
    long long *touched;
    size_t n_touched, cap_touched;
    int stale_at_open;
    /* statements of store_scores.c, prepared on first use (radar_store_cached) */
    struct {
        const char *sql;
        radar_sql_stmt *stmt;
    } cache[48];
    /* the likelihood model set in the database, read on first use (store_model.c) */
    radar_likelihood_model *lmodel;
    /* the buying clubs' records during a scoring pass (store_features.c) */
    struct radar_club_memo *club_memo;
    int lmodel_read;
    long long lmodel_version; /* the data_version it was read at */
    uint64_t lmodel_hash;     /* of its text */
};

/* What the store reads of an article's text: its content hash (the same
 * text is the same article) and its sketch (a syndicated copy of a stored
 * text). The ingest pipeline computes it on its reading thread. */
typedef struct store_text_print {
    char hash[17];
    uint64_t sketch[SYNDICATION_SKETCH];
    int has_sketch; /* 0: the text is too short to compare */
} store_text_print;

/* ---- store.c: the core ---- */
/* qsort comparator of long longs (rowids), ascending. */
int radar_store_cmp_ll(const void *a, const void *b);
int radar_store_db_error(radar_store *st, int rc, const char *what);
int radar_store_exec(radar_store *st, const char *sql);
int radar_store_prepare(radar_store *st, const char *sql, radar_sql_stmt **s);
/* The statement for `sql` (a string constant: it is the key), prepared once
 * per handle and kept; reset and unbound, ready to bind. Do not finalize. */
int radar_store_cached(radar_store *st, const char *sql, radar_sql_stmt **s);
/* Statement q of the handle's SQL[] (Q_*): prepared at open, or on demand
 * for a read-only handle. */
int radar_store_statement(radar_store *st, int q, radar_sql_stmt **s);
void radar_store_bind_text(radar_sql_stmt *s, int i, const char *v);
/* Step s: 1 for a row; 0 when done or failed. A failure (radar_store_db_error,
 * saying `what`) goes to *rc unless *rc holds an error already: an error is
 * never read as "no row". */
int radar_store_row(radar_store *st, radar_sql_stmt *s, int *rc, const char *what);
int radar_store_step_done(radar_store *st, radar_sql_stmt *s, const char *what);
/* Folded name key: lower case, no accents, punctuation as single spaces. */
void radar_store_name_key(const char *name, char *out, size_t cap);
const char *radar_store_last_word(const char *key);
/* A surname alone: one word, or particles then one word ("de gea", "van dijk"). */
int radar_store_surname_only(const char *key);
/* store_identity.c: the players whose key starts with the first word of
 * `key` (a slip in the surname), as (id, key, birth_year, club) rows; *s is
 * NULL when key has one word. The statement is the store's: reset, not
 * finalized. */
int radar_store_players_by_first(radar_store *st, const char *key, radar_sql_stmt **s);
/* store_identity.c: sets *score to -1 unless stored player `id` was ever
 * seen at `club` (a mention from it) or linked with `to_club` (a mention
 * to it); either may be NULL. */
int radar_store_club_seen(radar_store *st, long long id, const char *club, const char *to_club, int *score);
/* store_identity.c: when player `id` is known by a name one slip from
 * `name` (key `key`), the form more of his mentions are written in names
 * him, counting this one (ties: the longer, then the first in byte order). */
int radar_store_prefer_name(radar_store *st, long long id, const char *name, const char *key);
/* store_registry.c: *known = 1 when story `story` has a resolution dated on
 * or before `as_of`: one dated later was not known then. */
int radar_store_resolved_by(radar_store *st, long long story, const char *as_of, int *known);
/* store_registry.c: *own = 1 when the registry (if any) has linked player
 * `player` at `to_club` on `date`, by a transfer at least 30 days before. */
int radar_store_registry_own_club(radar_store *st, long long player, const char *to_club, const char *date, int *own);
/* store_identity.c: *own = 1 when a mention of `player` dated in the 60
 * days up to `date` gives `to_club` as his club: a move there on `date` is
 * no move. 0 when either is NULL. */
int radar_store_own_club(radar_store *st, long long player, const char *to_club, const char *date, int *own);
/* store_identity.c: the other way round, once `player` is reported at
 * `from_club` on `date`: deletes his mentions of moves to that club in the
 * 60 days from `date` (at most `max`), their stories in stories[0, *n). */
int radar_store_drop_own_club(radar_store *st, long long player, const char *from_club, const char *date,
                              long long *stories, size_t max, size_t *n);
/* The oldest PostgreSQL store a writer brings up to date (readers read it
 * as it is); an older one is refused (its SQLite copy is migrated, then
 * copied again). */
#define RADAR_STORE_PG_MIGRATES_FROM 9
/* store_fts.c: a PostgreSQL store of version RADAR_STORE_PG_MIGRATES_FROM
 * brought to this radar's (10: the search index written by the client,
 * folded as SQLite's: fts_pg.c), in one transaction under the writers'
 * lock, the version read again there. */
int radar_store_pg_migrate(radar_store *st);
/* The club name a user typed, as the lexicon's canonical name when it knows
 * it ("Inter", "internazionale" -> "Inter Milan"); else as typed, in buf. */
const char *radar_store_canonical_club(const radar_store *st, const char *name, char *buf, size_t cap);
/* Does the lexicon know `name` as a club (any alias)? */
int radar_store_is_club(const radar_store *st, const char *name);
/* The day number of the newest article in *day, or -1 when none is dated. */
int radar_store_newest_day(radar_store *st, long *day);
/* Bytes as a JSON string, invalid UTF-8 made U+FFFD (bodies are stored as read). */
json_t *radar_store_text_json(const char *p, size_t n);
/* A column as JSON (invalid UTF-8 in text made U+FFFD). */
json_t *radar_store_col_json(radar_sql_stmt *s, int i);
/* The lexicon tier (1..5) of an outlet or journalist, or of a web domain; 0 unknown. */
int radar_store_source_tier(const radar_store *st, const char *name);

/* ---- store_write.c: transactions, articles, players, stories ---- */
/* The one rule of player identity, for ingest and for outcome rows alike:
 * the stored players a name (with the birth year and club a mention gives,
 * 0 and NULL when unknown) can mean. A stored player with the same full
 * name outranks other forms of it; else one whose name agrees on the
 * surname and does not contradict on the first name ("Bastoni" and
 * "Alessandro Bastoni", "Josh King" and "Joshua King") nor on the birth
 * year. Writes the ids of the best-ranked ones (namesakes rank alike) to
 * ids, at most max, oldest first; *n how many; *stale (may be NULL) whether
 * this mention adds to the first of them (a fuller name, a birth year, a
 * new club). */
int radar_store_players_named(radar_store *st, const char *name, int birth_year, const char *club, long long *ids, int max,
                        int *n, int *stale);
int radar_store_check_printed(radar_store *st, const radar_article *a, const store_text_print *tp, radar_put_result *result);
int radar_store_put_printed(radar_store *st, const radar_article *a, const radar_doc *doc, const store_text_print *tp,
                      radar_put_result *result);
/* Remember that a player's stories changed, for the next rescore. */
int radar_store_touch_player(radar_store *st, long long player);

/* ---- store_feeds.c: feeds and syndication ---- */
void radar_store_content_hash(const radar_article *a, char out[17]);
void radar_store_text_print_compute(const radar_article *a, store_text_print *out);
/* Drop the sketches kept in memory (a rollback, another writer). */
void radar_store_forget_prints(radar_store *st);
/* After an article row is written (inside a put): its author, its sketch,
 * and, when an earlier article has nearly the same text, that text's origin
 * in *origin (caller frees) unless it is this article's own outlet. */
int radar_store_after_article(radar_store *st, const radar_article *a, const store_text_print *tp, long long rowid,
                        int updated, char **origin);
/* A mention of a syndicated copy cites the first copy's origin. */
int radar_store_cite_origin(radar_store *st, long long mention, const char *origin);

/* ---- store_outcomes.c: outcomes and resolutions ---- */
int radar_store_resolve_all(radar_store *st);
int radar_store_resolve_players(radar_store *st, const long long *players, size_t n_players);
/* The day number of the last transfer window closed by the newest article. */
int radar_store_closed_windows(radar_store *st, long *closed);

/* ---- store_scores.c: records and likelihoods ---- */
/* (radar_store_rescore, radar_store_story_likelihood: store.h) */

/* ---- store_features.c: what a story's context adds to its evidence ---- */
/* What the episode's mentions say beyond what store_scores.c counts: the
 * largest fee, the other clubs named as suitors, the days of the first
 * report and of the first bid. */
#define STORY_MAX_SUITORS 16
typedef struct story_extra {
    char club[48]; /* the buying club */
    long first_day, bid_day;
    double fee_eur;
    char suitors[STORY_MAX_SUITORS][48];
    int n_suitors;
    /* the latest dated reports of the move (not a name in passing), as
     * mention ids: a ring, report_next its next slot; their wording is read */
    long long reports[RADAR_MAX_WORDING_REPORTS];
    int n_reports, report_next;
    /* the latest contract fact about the player in the story's articles
     * published by the scoring date (0: none), and the day it was published */
    long long contract_fact;
    long contract_day;
} story_extra;
void radar_story_extra_start(story_extra *x, const char *club);
/* One mention of the episode (day -1 when undated; suitors: its JSON array
 * of club names, or NULL). */
void radar_story_extra_mention(story_extra *x, long day, int rank, double fee_eur, const char *suitors);
/* Mention `id` of the episode, given in the order STORE_MENTION_ORDER reads
 * them (so the last given is the latest), dated and with a stage: a report
 * whose wording may be read. */
void radar_story_extra_report(story_extra *x, long long id);
/* Fill the evidence's club record, club fees, contract, suitors and bid
 * days of story `story` as of `as_of` (NULL: everything stored). */
/* A scoring pass over many stories: between begin and end, scoring as of now
 * (as_of NULL) reads each buying club's record once. Nothing the records read
 * (stories' clubs, resolutions, fees) may change in between. */
int radar_store_club_memo_begin(radar_store *st);
void radar_store_club_memo_end(radar_store *st);
/* In such a pass, a source's hit rate as its record holds it (-1: none),
 * when read before in the pass: 1 and *rate set, else 0. */
int radar_store_memo_rate(radar_store *st, const char *name, double *rate);
/* Keep a rate read in the pass (nothing outside a pass). */
int radar_store_memo_rate_put(radar_store *st, const char *name, double rate);
int radar_store_story_context(radar_store *st, long long story, const char *as_of, const story_extra *x,
                              radar_story_evidence *e);

/* The two phrase lists of data/lexicon/wording.txt: phrases of a move well
 * on its way (firm) and hedges, each in file order, lower case, a trailing
 * '*' matching any ending. */
typedef struct radar_wording_list {
    char phrase[RADAR_MAX_WORDING_PHRASES][RADAR_MAX_WORDING_PHRASE];
    size_t len[RADAR_MAX_WORDING_PHRASES];
    int n;
} radar_wording_list;
typedef struct radar_wording {
    radar_wording_list firm, hedged;
} radar_wording;
/* Parse a wording file's text (data[0..len); `name` appears in errors as
 * NAME:LINE) into *out. RADAR_EFORMAT for a line that is not
 * "phrase|...|wording=firm" or "...|wording=hedged", or a bad phrase;
 * RADAR_ETOOLARGE past the limits. */
int radar_wording_parse(radar_wording *out, const char *name, const char *data, size_t len);
/* The built-in lists (wording.txt of the compiled-in lexicon), parsed once.
 * Borrowed, valid for the life of the process. An error when the built-in
 * file does not parse (said on every call). */
int radar_wording_builtin(const radar_wording **out);
/* The wording of a report's sentences about a move (text[0..len), any
 * case), read against lists w: adds to e->firm the phrases of a move well on
 * its way and to e->hedges the hedges, and copies the first of each met into
 * firm_word and hedge_word (24 bytes each) when they are still empty. */
void radar_wording_count(const radar_wording *w, const char *text, size_t len, radar_story_evidence *e);

/* ---- store_model.c: the likelihood model a store uses ---- */
/* The store's model (set by radar_store_set_likelihood_model), else the
 * built-in one. Borrowed, valid until the model is set again or the store
 * closes. */
const radar_likelihood_model *radar_store_likelihood_model(radar_store *st);

/* ---- store_answers.c: the questions' typed answers ---- */
/* A story's stage: where the move stands now, told by its status and its
 * latest report. Done is signed; failed on a report that ended the move is
 * that ending (a player who committed his future to his club: collapsed);
 * else an ending reported last and not reopened since (rejected, collapsed,
 * denied); else the furthest stage reached. */
#define STORE_STORY_STAGE                                                                                         \
    "(CASE WHEN s.outcome = 'done' THEN 'signed' WHEN s.outcome = 'failed' AND s.last_stage IN ('rejected', "      \
    "'collapsed', 'denied') THEN s.last_stage WHEN s.outcome = 'failed' THEN coalesce((SELECT CASE WHEN r.origin " \
    "IN ('collapsed', 'committed') THEN 'collapsed' WHEN r.origin = 'rejected' THEN 'rejected' END FROM "           \
    "resolutions r WHERE r.story = s.id ORDER BY r.outcome = 'done' DESC, r.ended DESC LIMIT 1), "                  \
    "coalesce(s.max_stage, 'none')) WHEN s.last_stage IN ('rejected', 'collapsed', 'denied') THEN s.last_stage "   \
    "ELSE coalesce(s.max_stage, 'none') END)"
#define STORE_STORY_COLUMNS                                                                                       \
    "s.id, p.name, s.to_club, s.from_club, s.first_seen, s.last_seen, s.n_mentions, " STORE_STORY_STAGE ", "       \
    "s.silence_days, s.n_sources, s.n_independent, s.heat, s.player, s.last_stage, s.likelihood, s.outcome, "     \
    "s.outcome_on, s.outcome_how, s.outcome_article, s.outcome_start, s.outcome_end, s.max_stage"
/* An answer's memory: one arena holding its struct, arrays and strings. */
struct radar_answer_mem;
/* A new answer of `size` bytes (zeroed) in an arena of its own, the arena in
 * *mem; NULL when out of memory. */
void *radar_answer_new(size_t size, struct radar_answer_mem **mem);
/* An empty answer memory, for a caller that reads parts of one (the export). */
struct radar_answer_mem *radar_answer_mem_new(void);
/* Frees the answer and everything in it; NULL is fine. */
void radar_answer_free(struct radar_answer_mem *m);
/* n bytes of s copied into the answer, NUL-terminated. */
const char *radar_answer_str(struct radar_answer_mem *m, const char *s, size_t n);
/* Text column i copied into the answer as valid UTF-8 (invalid bytes made
 * U+FFFD, a NUL a space: bodies are stored as read); NULL for SQL NULL. */
const char *radar_answer_col_text(struct radar_answer_mem *m, radar_sql_stmt *s, int i);
/* 0 when the answer is whole; rc when set, else RADAR_ENOMEM when a copy
 * into it failed. */
int radar_answer_status(struct radar_answer_mem *m, int rc);
/* An array being gathered, elements of `size` bytes, before its length is
 * known: radar_gather_push adds a zeroed element (NULL, the error set, when
 * out of memory); radar_gather_keep moves the elements into the answer (*n
 * of them) and empties the gather. */
typedef struct radar_gather {
    void *v;
    size_t n, cap, size;
} radar_gather;
void *radar_gather_push(radar_gather *g);
void *radar_gather_keep(struct radar_answer_mem *m, radar_gather *g, size_t *n);
/* A row of STORE_STORY_COLUMNS, its strings copied into m; its status as of
 * day `newest`. */
void radar_store_story_row(struct radar_answer_mem *m, radar_sql_stmt *s, long newest, radar_story_row *r);
/* The mentions of a story, each with its evidence and sources, in m. */
int radar_store_timeline(radar_store *st, struct radar_answer_mem *m, long long story, radar_mention_row **v,
                         size_t *n);
/* Every story, by id (the export). */
int radar_store_all_stories(radar_store *st, radar_story_list **out);

/* ---- store_json.c: the answers' JSON writers ---- */
json_t *radar_timeline_json(const radar_mention_row *v, size_t n);
json_t *radar_source_row_json(const radar_source_row *r);

/* ---- store_questions.c ---- */
/* The columns of a source's record (source_stats), as the scores write them
 * and the questions read them. */
#define STORE_RECORD_COLUMNS "name, kind, tier, mentions, stories, cited, originated, resolved, hits, hit_rate, lo, hi"

#endif
