/*
 * cli.h - what the subcommand files share with main.c.
 */
#ifndef RADAR_CLI_H
#define RADAR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "radar/article.h"

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

#endif
