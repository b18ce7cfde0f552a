/*
 * store.h - the rumour store: articles, their extractions and the stories
 * that link them across articles and years, in one SQLite database.
 *
 * Only the store's own files (src/lib/store*.c) talk to SQLite: store.c (the
 * core: open, schema, name keys, indexes), store_write.c (transactions,
 * articles, players, stories), store_feeds.c, store_outcomes.c,
 * store_scores.c, the questions (store_questions.c, store_answers.c,
 * store_records.c) and their JSON writers (store_json.c); and radar db copy
 * (db.h: db_schema.c, db_copy.c), which moves a whole store between SQLite and
 * PostgreSQL without knowing its tables. Writes happen in
 * transactions the caller opens and commits, so a batch of articles lands
 * whole or not at all: an ingest killed at any moment and run again gives the
 * database a clean run gives. The questions answer typed structs (the CLI
 * prints them), each with one JSON writer (what the HTTP API serves); the
 * caller frees an answer with its _free function, a JSON value with
 * json_decref.
 */
#ifndef RADAR_STORE_H
#define RADAR_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "radar/article.h"
#include "radar/extract.h"
#include "radar/lexicon.h"
#include "radar/limits.h"
#include "radar/outcomes.h"
#include "radar/score.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this build writes. A database from a newer version is
 * refused (RADAR_EFORMAT) rather than misread. */
#define RADAR_STORE_SCHEMA 10

typedef struct radar_store radar_store;

enum {
    RADAR_STORE_READONLY = 1 << 0, /* open for queries only */
    RADAR_STORE_CREATE = 1 << 1    /* create the file and schema if missing */
};

/* Told once per handle, with a full sentence, when it has waited a second
 * for another connection's lock (it goes on waiting). */
typedef void (*radar_store_wait_fn)(void *user, const char *message);

typedef struct radar_store_options {
    int flags;                   /* RADAR_STORE_READONLY, RADAR_STORE_CREATE */
    const radar_lexicon *lex;    /* borrowed, may be NULL: club names matched forgivingly in queries */
    long wait_ms;                /* the longest wait for another connection's lock; 0: RADAR_STORE_WRITE_WAIT_MS,
                                  * or RADAR_STORE_READ_WAIT_MS read-only */
    radar_store_wait_fn on_wait; /* may be NULL */
    void *user;                  /* passed to on_wait */
} radar_store_options;
#define RADAR_STORE_OPTIONS_INIT {0, NULL, 0, NULL, NULL}

/* Open (and with RADAR_STORE_CREATE, create and migrate) the database at
 * `path`. Any number of writers may open and write one store at once: each
 * waits for the others' transactions (schema creation and migration
 * included), up to its wait. Caller frees with radar_store_close.
 * Errors: RADAR_EIO (cannot open, read-only location, locked by another
 * writer past the wait), RADAR_EFORMAT (not a Transfer Radar database,
 * corrupt, from a newer schema, or of a schema version no radar writes). */
int radar_store_open_with(radar_store **out, const char *path, const radar_store_options *opts);
/* The same with the default wait and no one told. */
int radar_store_open(radar_store **out, const char *path, int flags, const radar_lexicon *lex);
void radar_store_close(radar_store *st);

/* The default database path: $RADAR_DB, else $XDG_DATA_HOME/transfer-radar/radar.db,
 * else ~/.local/share/transfer-radar/radar.db. Writes at most cap bytes. */
int radar_store_default_path(char *out, size_t cap);

/* Transactions around a batch of puts. */
int radar_store_begin(radar_store *st);
int radar_store_commit(radar_store *st);
void radar_store_rollback(radar_store *st);

/* A bulk load: with an input of about `expected_bytes` of article text (0
 * when unknown) that is large next to what the store holds, drop the indexes
 * only the questions read, so that puts write fewer b-trees; *bulk says
 * whether it did. radar_store_bulk_end builds them again (so does the next
 * writable open, after a load that was killed). Call both outside a
 * transaction. Queries work in between, more slowly. */
int radar_store_bulk_begin(radar_store *st, unsigned long long expected_bytes, int *bulk);
int radar_store_bulk_end(radar_store *st);

typedef enum radar_put_result {
    RADAR_PUT_NEW = 0,       /* a new article */
    RADAR_PUT_UPDATED = 1,   /* known id, new text: extractions replaced */
    RADAR_PUT_UNCHANGED = 2  /* the same text was stored already */
} radar_put_result;

/* Is this article (by id and content) stored already? Lets ingest skip the
 * extraction of articles it has. Sets *result to RADAR_PUT_UNCHANGED when
 * so, else to what a put would do. */
int radar_store_check_article(radar_store *st, const radar_article *a, radar_put_result *result);

/* Store an article and its extraction and link its rumours into stories,
 * inside a transaction (RADAR_EINVALID outside one). The summaries of the
 * stories touched are brought up to date once, at radar_store_commit.
 * Idempotent: the same article again changes nothing. */
int radar_store_put(radar_store *st, const radar_article *a, const radar_doc *doc, radar_put_result *result);

/* Counts for the ingest summary. */
int radar_store_counts(radar_store *st, long long *articles, long long *mentions, long long *stories);

struct radar_story_filter;

/* ---- typed answers ----------------------------------------------------------
 *
 * The questions below read the store into typed answers, which the front ends
 * print from; each answer has one JSON writer (radar_*_json, a new value the
 * caller json_decref's), which the JSON questions further down use. An answer
 * owns all its memory (strings included) and is freed in one call; strings
 * are NULL where the store holds nothing (printed as null). */

/* One story: one player and one destination club. */
typedef struct radar_story_row {
    long long id, player_id;
    const char *player, *to_club, *from_club; /* from_club: NULL when unknown */
    const char *first_seen, *last_seen;       /* YYYY-MM-DD, NULL when undated */
    long long mentions, sources, independent_sources, silence_days;
    /* where the move stands: "interest" .. "signed", or an ending (rejected,
     * collapsed, denied) reported last and not reopened since; "signed"
     * when the story is done, the ending that failed it when a report did
     * (docs/scoring.md); "none" when no report had a stage */
    const char *stage;
    const char *furthest_stage; /* the furthest stage reached: "none", "interest" .. "signed" */
    const char *latest_stage;   /* the latest report's stage (a name in passing is none) */
    double heat;
    int has_likelihood;       /* 0: never scored (likelihood null) */
    double likelihood;
    /* The story's status (see docs/scoring.md): "open"; "done" (an imported
     * outcome, or a report that the move is completed); "failed" (only on
     * evidence: an imported failure, a move elsewhere, the move reported off,
     * the player committed to his club, or a later window's report placing
     * him there still); "quiet" (its window closed with nothing more
     * reported: unknown, not failed). */
    const char *outcome;
    /* What the status rests on (NULL for an open story never resolved; for a
     * story open again, the resolution it reopened after): the day, how, and
     * the article and byte span of its words (NULL / -1 when a list or a
     * window's silence). */
    const char *outcome_on, *outcome_how, *outcome_article;
    long long outcome_start, outcome_end;
    /* "active", "dormant", "resurfaced", or "undated" (no report of the move
     * has a date: the story's freshness is unknown) (static) */
    const char *status;
    const char *resurfaced_after; /* "4 years 9 months" when resurfaced, else NULL */
} radar_story_row;

/* A page of the story board. */
typedef struct radar_story_list {
    radar_story_row *v;
    size_t n;
    long long total; /* stories matching, for paging */
    int limit, offset;
    struct radar_answer_mem *mem_;
} radar_story_list;

/* One mention of a story, with its evidence and sources. */
typedef struct radar_evidence {
    long long start, end; /* byte span in the article body */
    const char *text;     /* the body's bytes there (may hold invalid UTF-8 as stored) */
    size_t len;
} radar_evidence;
typedef struct radar_mention_source {
    const char *name, *kind;
    int cited; /* 0: the publishing outlet */
} radar_mention_source;
typedef struct radar_mention_row {
    const char *date, *article, *published_by, *title, *url, *stage, *from_club, *player_as_written;
    int has_fee;
    double fee_amount, fee_max; /* fee_max > fee_amount: a range */
    const char *fee_currency, *fee_kind;
    int has_fee_eur;
    double fee_eur;
    int has_age;
    long long age;
    const char **suitors_also;
    size_t n_suitors_also;
    radar_evidence *evidence;
    size_t n_evidence;
    radar_mention_source *sources;
    size_t n_sources;
} radar_mention_row;

/* How an episode of a story ended. */
typedef struct radar_resolution_row {
    const char *outcome, *on, *how;
    const char *article; /* the article it rests on, or NULL (a list, a window's silence) */
} radar_resolution_row;

/* A story with its timeline (radar story). */
typedef struct radar_story_detail {
    radar_story_row story;
    radar_mention_row *timeline;
    size_t n_timeline;
    const char **rival_suitors; /* the other clubs after the same player, latest first */
    size_t n_rival_suitors;
    radar_likelihood likelihood; /* the one the board shows: at the last report */
    const char *as_of;           /* the likelihood's date (the story's last report), or NULL */
    const char *outcome_text;    /* the words the status rests on (story.outcome_start..end), or NULL */
    radar_resolution_row *resolutions;
    size_t n_resolutions;
    struct radar_answer_mem *mem_;
} radar_story_detail;

/* A player (radar player): his stories, the ages reported, the facts. */
typedef struct radar_age_row {
    const char *date;
    long long age;
} radar_age_row;
typedef struct radar_fact_row {
    const char *type, *subject, *value, *detail, *date, *article; /* subject: club facts only */
} radar_fact_row;
typedef struct radar_player_row {
    long long id;
    const char *name, *club;
    int has_birth_year;
    long long birth_year;
    radar_story_row *stories;
    size_t n_stories;
    radar_age_row *ages; /* by date: the last is the age as of the latest report */
    size_t n_ages;
    radar_fact_row *facts;
    size_t n_facts;
    /* what the articles call him most (each mention counts once; a tie goes
     * to the latest), or NULL: "midfielder", "Norway" */
    const char *position, *nationality;
} radar_player_row;
typedef struct radar_player_list {
    const char *query;
    radar_player_row *v;
    size_t n;
    struct radar_answer_mem *mem_;
} radar_player_list;

/* A club (radar club): stories in and out, squad facts. */
typedef struct radar_club_answer {
    const char *club; /* the canonical name */
    radar_story_row *linked_in, *linked_out;
    size_t n_linked_in, n_linked_out;
    radar_fact_row *facts;
    size_t n_facts;
    struct radar_answer_mem *mem_;
} radar_club_answer;

/* A source's record (radar sources). */
typedef struct radar_source_row {
    const char *name, *kind;
    int has_tier;
    long long tier;
    long long mentions, stories, cited, originated, resolved, hits;
    double hit_rate, lo, hi; /* rounded to 0.001 */
} radar_source_row;
typedef struct radar_source_list {
    radar_source_row *v;
    size_t n;
    struct radar_answer_mem *mem_;
} radar_source_list;

/* One source's record with the stories it reported, latest first
 * (RADAR_MAX_SOURCE_STORIES of them at most) (radar source). */
typedef struct radar_source_story_row {
    long long story;
    const char *player, *to_club;
    const char *first_reported, *last_reported; /* YYYY-MM-DD, NULL when undated */
    long long mentions;                         /* the source's mentions of the story */
    const char *outcome;                        /* "open", "done" or "failed" */
    int has_likelihood;                         /* 0: never scored */
    double likelihood;
} radar_source_story_row;
typedef struct radar_source_answer {
    radar_source_row record;
    radar_source_story_row *stories;
    size_t n_stories;
    struct radar_answer_mem *mem_;
} radar_source_answer;

/* The resolved stories, newest first, and the imported outcomes that name no
 * stored player (radar outcomes). */
typedef struct radar_resolved_row {
    long long story;
    const char *player, *to_club;
    const char *status;  /* the story's outcome now: "open" (reported again after it failed), "done", "failed" */
    const char *outcome; /* how this episode ended: "done" or "failed" */
    const char *on, *how; /* the day it ended (YYYY-MM-DD), and why it is known */
} radar_resolved_row;
typedef struct radar_unmatched_row {
    const char *player, *to_club, *date, *outcome;
} radar_unmatched_row;
typedef struct radar_outcomes_answer {
    radar_resolved_row *resolved;
    size_t n_resolved;
    long long total; /* resolutions in all, for paging */
    radar_unmatched_row *unmatched;
    size_t n_unmatched;
    struct radar_answer_mem *mem_;
} radar_outcomes_answer;

/* Articles matching a full-text search, newest first (radar search). */
typedef struct radar_search_hit {
    const char *article;               /* the article's id */
    const char *date, *source, *title; /* NULL when the article has none */
    const char *snippet;               /* the text around the matches, each between [ and ] */
    const char *url;                   /* the article's link, NULL when it has none */
    const char *stories;               /* the stories the article belongs to: a JSON array of
                                        * {"id", "player", "to_club"} ("[]" when none) */
} radar_search_hit;
typedef struct radar_search_answer {
    const char *query;
    radar_search_hit *v;
    size_t n;
    struct radar_answer_mem *mem_;
} radar_search_answer;

/* A subscribed feed (radar feeds list, radar watch). */
typedef struct radar_feed_row {
    long long id;
    const char *url, *name, *title, *etag, *last_modified, *last_error;
    long long failures, articles;
    int has_last_poll, has_next_poll;
    long long last_poll, next_poll; /* Unix seconds */
} radar_feed_row;
typedef struct radar_feed_list {
    radar_feed_row *v;
    size_t n;
    struct radar_answer_mem *mem_;
} radar_feed_list;

int radar_store_stories_list(radar_store *st, const struct radar_story_filter *f, radar_story_list **out);
int radar_store_story_read(radar_store *st, long long id, radar_story_detail **out);
int radar_store_player_read(radar_store *st, const char *name, radar_player_list **out);
int radar_store_club_read(radar_store *st, const char *name, radar_club_answer **out);
int radar_store_sources_list(radar_store *st, radar_source_list **out);
int radar_store_feeds_list(radar_store *st, radar_feed_list **out);
/* A source by name (any case); RADAR_ENOTFOUND when none is recorded. */
int radar_store_source_read(radar_store *st, const char *name, radar_source_answer **out);
/* `limit` resolutions (0: 50) from `offset`. */
int radar_store_outcomes_list(radar_store *st, int limit, int offset, radar_outcomes_answer **out);
/* `limit` hits (0: 20), bounded as radar_store_search is, stopped after `ms`
 * milliseconds (0: at its first check). */
int radar_store_search_read(radar_store *st, const char *query, int limit, int ms, radar_search_answer **out);

json_t *radar_story_row_json(const radar_story_row *r);
json_t *radar_story_list_json(const radar_story_list *l);
json_t *radar_story_detail_json(const radar_story_detail *d);
json_t *radar_player_list_json(const radar_player_list *l);
json_t *radar_club_answer_json(const radar_club_answer *c);
json_t *radar_source_list_json(const radar_source_list *l);
json_t *radar_feed_list_json(const radar_feed_list *l);
json_t *radar_source_answer_json(const radar_source_answer *s);
json_t *radar_outcomes_answer_json(const radar_outcomes_answer *o);
json_t *radar_search_answer_json(const radar_search_answer *s);

/* Every story by id with its timeline, one at a time (the export): fn's
 * arguments are valid during the call; a non-zero return stops the walk and
 * is returned. */
typedef int (*radar_export_fn)(void *user, const radar_story_row *story, const radar_mention_row *timeline,
                               size_t n);
int radar_store_export_each(radar_store *st, radar_export_fn fn, void *user);
/* A story with its timeline, as radar export --format jsonl writes it. */
json_t *radar_story_export_json(const radar_story_row *story, const radar_mention_row *timeline, size_t n);

/* Each frees the answer and everything in it; NULL is fine. */
void radar_story_list_free(radar_story_list *l);
void radar_story_detail_free(radar_story_detail *d);
void radar_player_list_free(radar_player_list *l);
void radar_club_answer_free(radar_club_answer *c);
void radar_source_list_free(radar_source_list *l);
void radar_feed_list_free(radar_feed_list *l);
void radar_source_answer_free(radar_source_answer *s);
void radar_outcomes_answer_free(radar_outcomes_answer *o);
void radar_search_answer_free(radar_search_answer *s);

/* ---- questions as JSON: each returns a new JSON value (caller json_decref's) ---- */

typedef struct radar_story_filter {
    const char *club;   /* buying or selling club, matched forgivingly */
    const char *player; /* player name, matched forgivingly */
    const char *since;  /* YYYY-MM-DD: stories seen since */
    const char *stage;  /* the story's stage (radar_story_row.stage) */
    const char *sort;   /* "hot" (default), "recent", "first", "likelihood" (scored first, highest first) */
    int limit;          /* 0: 50 */
    int offset;
    const char *source; /* a source (outlet, journalist, handle) named by one of its mentions, exactly */
    const char *outcome; /* the status: "open", "done", "failed" or "quiet" (RADAR_EINVALID otherwise) */
} radar_story_filter;
#define RADAR_STORY_FILTER_INIT {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL}

/* {"stories": [...], "total": N} */
int radar_store_stories(radar_store *st, const radar_story_filter *f, json_t **out);
/* One story with its timeline of mentions and evidence; RADAR_ENOTFOUND. */
int radar_store_story(radar_store *st, long long id, json_t **out);
/* Everything about players matching `name`: clubs linked, ages, facts. */
int radar_store_player(radar_store *st, const char *name, json_t **out);
/* A club's rumours in and out, and squad facts. */
int radar_store_club(radar_store *st, const char *name, json_t **out);
/* One stored article by its id: {"id", "date", "source", "title", "url",
 * "body"}, so that evidence spans (byte offsets into the body) can be shown
 * in place; RADAR_ENOTFOUND when there is none. */
int radar_store_article(radar_store *st, const char *id, json_t **out);
/* Full-text search over articles (FTS5 syntax), newest first, with
 * highlighted snippets: {"query", "hits": [...]}. A query's cost is bounded
 * (limits.h): more than RADAR_MAX_SEARCH_TERMS words or a prefix term of
 * fewer than RADAR_MIN_SEARCH_PREFIX letters is refused before it runs
 * (RADAR_EINVALID, as is syntax FTS5 cannot read), and a search still
 * running after RADAR_MAX_SEARCH_MS is stopped (RADAR_ETOOLARGE). */
int radar_store_search(radar_store *st, const char *query, int limit, json_t **out);
/* The same, stopped after `ms` milliseconds instead (0: at its first check):
 * for a caller whose request has waited already. */
int radar_store_search_within(radar_store *st, const char *query, int limit, int ms, json_t **out);
/* Outlets, journalists and handles with their counts. */
int radar_store_sources(radar_store *st, json_t **out);
/* Every story with its mentions, for export. */
int radar_store_export(radar_store *st, json_t **out);

/* ---- outcomes, reliability and likelihood (store_scores.c) ---- */

/* Record one outcome (idempotent: the same row again changes nothing) and
 * say how many stored players its name matches (*players) and how many of
 * their stories go to its club (*stories). Marks the scores stale. */
int radar_store_add_outcome(radar_store *st, const radar_outcome_row *row, const char *origin, int *players,
                            int *stories);

/* Recompute what outcomes imply: story resolutions (done, failed, or open
 * again when reported after a failure), every source's record and every
 * story's likelihood as of the newest article. Runs in the caller's
 * transaction, or its own. Deterministic for the same data. */
int radar_store_rescore(radar_store *st);
/* Only the resolutions and source records (no per-story likelihoods). */
int radar_store_refresh_records(radar_store *st);
/* Did articles or outcomes arrive since the last rescore? */
int radar_store_scores_stale(radar_store *st, int *stale);

/* A story's likelihood as of `as_of` (YYYY-MM-DD; NULL: the newest article),
 * from what is stored, with each factor. `outcome` (may be NULL) receives
 * "open", "done" or "failed". RADAR_ENOTFOUND for no such story. */
int radar_store_story_likelihood(radar_store *st, long long story, const char *as_of, radar_likelihood *out,
                                 char outcome[8]);
/* Use the likelihood model whose file text is `text` (len bytes; `name`,
 * the file's name, appears in parse errors as NAME:LINE) from now on. The
 * store keeps the text, not the path (table likelihood_model): the database
 * carries its model, and editing or deleting the file changes nothing until
 * it is set again. text NULL: back to the built-in model. Marks the scores
 * stale: the caller's next radar_store_rescore rescores every story. Other
 * handles open on the database read the new model at their next score. */
int radar_store_set_likelihood_model(radar_store *st, const char *name, const char *text, size_t len);
/* The model set in the store: its name and text (caller frees both with
 * free()), both NULL when the built-in model is in use. */
int radar_store_get_likelihood_model(radar_store *st, char **name, char **text);

/* What the likelihood of a story weighs as of `as_of` (YYYY-MM-DD; NULL:
 * everything stored): the evidence of its open episode, gathered as
 * radar_store_story_likelihood gathers it, but also for a story an outcomes
 * list settled (as if it were open: what fitting learns from). */
int radar_store_story_evidence(radar_store *st, long long story, const char *as_of, radar_story_evidence *out);
/* A day a resolved story can be scored on, to fit a model: a day it was
 * reported before it was settled (signed, or failed on evidence; a window
 * closing in silence is no outcome), in the episode the settling ended. */
typedef struct radar_outcome_example {
    long long story, player;
    char day[11]; /* YYYY-MM-DD */
    int done;     /* the move happened */
} radar_outcome_example;
/* Every such day of every story, by story then day. Caller frees *out with
 * free(). */
int radar_store_outcome_examples(radar_store *st, radar_outcome_example **out, size_t *n);
/* The story of `player` to `club`, matched as ingest matches names. */
int radar_store_find_story(radar_store *st, const char *player, const char *club, long long *id);

/* {"resolved": [...], "total": N, "unmatched": [...]}: story resolutions and
 * how, newest first (`limit`, 0: 50; `offset`); imported outcomes that name
 * no stored player. */
int radar_store_outcomes(radar_store *st, int limit, int offset, json_t **out);
/* One source's record (hit rate, interval) and the stories it reported. */
int radar_store_source(radar_store *st, const char *name, json_t **out);

/* ---- feeds to watch (schema 5, 6) ----------------------------------------- */

/* Subscribe to the feed at `url` (http:// or https://), with an optional
 * short `name` to refer to it by. RADAR_EINVALID when the url is not http(s)
 * or the url or name is taken already. */
int radar_store_feed_add(radar_store *st, const char *url, const char *name);

/* Unsubscribe the feed whose url or name is `which` (the articles read from
 * it stay). RADAR_ENOTFOUND when there is none. */
int radar_store_feed_remove(radar_store *st, const char *which);

/* Every feed, oldest first: {"feeds": [{"id", "url", "name", "title", "etag",
 * "last_modified", "failures", "last_poll", "next_poll", "last_error",
 * "articles"}]}; times are Unix seconds or null. Caller json_decref's. */
int radar_store_feeds(radar_store *st, json_t **out);

/* What one poll of a feed leaves for the next. Every field is written as
 * given (strings borrowed; NULL stores null); `new_articles` is added to the
 * feed's count. Outside a transaction. */
typedef struct radar_feed_state {
    long long id;
    const char *title, *etag, *last_modified;
    const char *error; /* why the poll failed, or NULL */
    int failures;      /* failed polls in a row */
    long long last_poll, next_poll;
    long long new_articles;
} radar_feed_state;
int radar_store_feed_update(radar_store *st, const radar_feed_state *s);

/* *found = 1 when an article with id `id` or link `url` (either may be NULL)
 * is stored, or a feed item noted with either (below), so a feed item seen
 * before is not fetched again. */
int radar_store_has_item(radar_store *st, const char *id, const char *url, int *found);

/* Remember feed item `a` (by its id and its link) as seen when a put said
 * RADAR_PUT_UNCHANGED: its text is stored already, under another article's
 * id. Inside a transaction (RADAR_EINVALID outside one); does nothing when
 * no stored article has its text. (schema 6) */
int radar_store_note_item(radar_store *st, const radar_article *a);

#ifdef __cplusplus
}
#endif
#endif
