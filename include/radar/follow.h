/*
 * follow.h - clubs and players a user follows, the changes to their stories
 * (a new story, a stage reached), and delivering those changes as alerts.
 *
 * Follows live in the store (schema 8). A change is found by comparing each
 * followed story's stage with the stage last told for it (remembered in the
 * store): so a change is told once, whichever command stored the article,
 * and a follow added today starts from the stories as they are today. The
 * ingest pipeline looks for changes once its articles are committed and
 * scored (radar_ingest_options.on_change), for `radar ingest` and
 * `radar watch` alike.
 *
 * Delivery (follow.c) is a JSON payload (radar_change_json, documented in
 * docs/alerts.md) POSTed to a webhook with retries, or written to a
 * command's standard input. The library prints nothing.
 */
#ifndef RADAR_FOLLOW_H
#define RADAR_FOLLOW_H

#include <jansson.h>
#include <signal.h>
#include <stddef.h>

#include "radar/limits.h"
#include "radar/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum radar_follow_kind {
    RADAR_FOLLOW_GUESS = -1, /* radar_follow_add: a club when one is known by the name, else a player */
    RADAR_FOLLOW_CLUB = 0,
    RADAR_FOLLOW_PLAYER = 1
} radar_follow_kind;

/* "club" or "player". */
const char *radar_follow_kind_name(radar_follow_kind k);

typedef struct radar_follow {
    long long id;
    radar_follow_kind kind;
    char name[RADAR_MAX_FOLLOW_NAME + 1]; /* a club's canonical name; a player's name as given */
    long long stories;                    /* stories it matches now */
} radar_follow;

/* Follow a club or a player. RADAR_FOLLOW_GUESS takes `name` for a club
 * when the lexicon knows it or a stored story names it, else for a player
 * when a stored player is called so; RADAR_ENOTFOUND when neither (say
 * which with RADAR_FOLLOW_CLUB or RADAR_FOLLOW_PLAYER to follow a name not
 * seen yet). Its stories as they are now are remembered as told. Following
 * what is followed already changes nothing. *out (may be NULL) receives the
 * follow. RADAR_EINVALID for an empty or over-long name, RADAR_ETOOLARGE
 * past RADAR_MAX_FOLLOWS. Outside a transaction. */
int radar_follow_add(radar_store *st, const char *name, radar_follow_kind kind, radar_follow *out);

/* Stop following `name` (a club or a player, matched as radar_follow_add
 * matches it); *out (may be NULL) receives what was followed.
 * RADAR_ENOTFOUND when it is not followed. */
int radar_follow_remove(radar_store *st, const char *name, radar_follow *out);

/* Every follow, clubs then players, by name. Caller frees *out with free(). */
int radar_follow_list(radar_store *st, radar_follow **out, size_t *n);

/* The stored names of clubs (RADAR_FOLLOW_CLUB: those of stories) or of
 * players starting with `prefix` (ASCII case ignored; "" for all), sorted,
 * at most `limit`: for completion. Caller frees with radar_store_names_free. */
int radar_store_names(radar_store *st, radar_follow_kind kind, const char *prefix, int limit, char ***out, size_t *n);
void radar_store_names_free(char **v, size_t n);

typedef enum radar_change_kind {
    RADAR_CHANGE_NEW_STORY = 0, /* a story of something followed, not told before */
    RADAR_CHANGE_STAGE = 1      /* a told story reached another stage */
} radar_change_kind;

/* One change, valid during the callback. */
typedef struct radar_change {
    radar_change_kind kind;
    const radar_story_row *story;
    const char *stage;                /* the stage told: an ending (rejected, collapsed, denied) when the latest
                                       * report is one, else the furthest stage reached */
    const char *previous_stage;       /* NULL for a new story */
    const char *const *followed;      /* the follows it matches ("Liverpool", "Salah") */
    size_t n_followed;
    const radar_mention_row *latest;  /* the latest report (its article's title, link, source), or NULL */
} radar_change;

/* Told each change; a non-zero return stops the telling (the changes not
 * told stay to be told next time) and is returned. */
typedef int (*radar_change_fn)(void *user, const radar_change *c);

typedef struct radar_change_counts {
    long long told;    /* changes passed to fn */
    long long dropped; /* changes past RADAR_MAX_ALERTS in one call: remembered as told, not told */
} radar_change_counts;

/* Find the changes of the followed stories since they were last told,
 * tell each to fn, oldest story first, and remember each as told once fn
 * returned 0. Outside a transaction (it opens its own). Counts are added
 * to *counts (may be NULL). Does nothing, cheaply, when nothing is
 * followed. */
int radar_follow_changes(radar_store *st, radar_change_fn fn, void *user, radar_change_counts *counts);

/* The alert payload of a change (docs/alerts.md): a new JSON object the
 * caller json_decref's. */
json_t *radar_change_json(const radar_change *c);

/* ---- delivery (follow.c) ---- */

typedef struct radar_alert_options {
    int attempts;                /* tries of a POST; 0: RADAR_ALERT_ATTEMPTS */
    long retry_ms;               /* the wait after the first failed try, doubled after each; 0: RADAR_ALERT_RETRY_MS */
    long timeout_ms;             /* each try, and an --exec command; 0: RADAR_ALERT_TIMEOUT_MS */
    volatile sig_atomic_t *stop; /* when set, no more tries (may be NULL) */
} radar_alert_options;
#define RADAR_ALERT_OPTIONS_INIT {0, 0, 0, NULL}

/* POST `json` (len bytes) as application/json to `url` (http or https, any
 * address: the user chose it). A 2xx answer is delivered; anything else is
 * tried again, up to opts->attempts times. *tries (may be NULL) receives the
 * tries made. Returns 0, or RADAR_EIO with the last failure in the message. */
int radar_alert_post(const char *url, const char *json, size_t len, const radar_alert_options *opts, int *tries);

/* Run `command` with /bin/sh -c, `json` on its standard input; it must exit 0 within
 * opts->timeout_ms (it is killed after). Returns 0, or RADAR_EIO saying how
 * it failed. */
int radar_alert_exec(const char *command, const char *json, size_t len, const radar_alert_options *opts);

#ifdef __cplusplus
}
#endif
#endif
