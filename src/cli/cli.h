/*
 * cli.h - what the subcommand files share with main.c.
 */
#ifndef RADAR_CLI_H
#define RADAR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>
#include <signal.h>

#include "radar/article.h"

/* Numbers in JSON at their meaningful precision: 15 significant digits
 * print 0.427 as 0.427, where jansson's default 17 print 0.42699999999999999. */
#define CLI_JSON_REAL JSON_REAL_PRECISION(15)

/* Exit codes of every subcommand. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_command;

int cmd_extract(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
/* stories, story, player, club, search, sources, export: argv[0] says which */
int cmd_query(int argc, char **argv);
int cmd_outcomes(int argc, char **argv);
int cmd_registry(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* feeds add|list|remove, and watch (cmd_feeds.c) */
int cmd_feeds(int argc, char **argv);
int cmd_watch(int argc, char **argv);
/* db copy (cmd_db.c) */
int cmd_db(int argc, char **argv);
/* follow add|list|remove, and the hidden complete (cmd_follow.c) */
int cmd_follow(int argc, char **argv);
int cmd_complete(int argc, char **argv);

/* Print "radar: message" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Options shared by subcommands (options.c). Each prints its own error and
 * returns the exit code to leave with (EXIT_USAGE, EXIT_FAILED), or 0. */

/* --date ARG: a real YYYY-MM-DD date; *date points into ARG. */
int cli_date_option(const char *arg, const char **date);

/* --lexicon DIR, repeatable: the directories, in order, kept by pointer. */
#define CLI_MAX_LEXICON_DIRS 16
typedef struct cli_lexicon_dirs {
    const char *dir[CLI_MAX_LEXICON_DIRS];
    int n;
} cli_lexicon_dirs;
int cli_lexicon_option(cli_lexicon_dirs *d, const char *dir);

/* The built-in lexicon plus every directory of D; the caller frees *out with
 * radar_lexicon_free. */
typedef struct radar_lexicon radar_lexicon;
int cli_lexicon_load(const cli_lexicon_dirs *d, radar_lexicon **out);

/* --model FILE / --rules-only: the model extractors use. *use is the built-in
 * model, the one read from `path` (then *owned, which the caller frees with
 * radar_model_free), or NULL for the rules alone. */
typedef struct radar_model radar_model;
int cli_model_load(const char *path, int rules_only, radar_model **owned, const radar_model **use);

/* --db PATH, else the default database path (written into buf): *out. */
int cli_db_path(const char *db, char *buf, size_t cap, const char **out);

/* "15m", "30s", "2h", "1.5s", "500ms", "900" (seconds) in milliseconds; -1 if bad. */
long long cli_parse_time_ms(const char *s);

/* Open the store at `db` (NULL: the default) with radar_store_open's flags;
 * a wait for another writer is said on stderr, and lasts at most
 * $RADAR_LOCK_WAIT when set. The caller closes *st. */
typedef struct radar_store radar_store;
int cli_store_open(const char *db, int flags, const radar_lexicon *lex, radar_store **st);

/* Alerts of followed stories (alerts.c): --webhook URL and --exec CMD of
 * radar ingest and radar watch, and what was told. */
typedef struct radar_change radar_change;
typedef struct cli_alerts {
    const char *webhook, *exec;
    volatile sig_atomic_t *stop; /* may be NULL */
    long long told, failed;
} cli_alerts;
/* --webhook URL: an http(s) address. */
int cli_alerts_webhook(cli_alerts *a, const char *url);
/* A radar_change_fn (user: a cli_alerts): print the change on standard
 * output, then deliver it; a failed delivery is said and counted. */
int cli_on_change(void *user, const radar_change *c);
/* Say what was dropped or not delivered, on standard error. */
void cli_alerts_summary(const cli_alerts *a, long long dropped);

#endif
