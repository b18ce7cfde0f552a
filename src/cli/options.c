/*
 * options.c - option values more than one subcommand takes: --date, --lexicon,
 * and --db with the store it opens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/limits.h"
#include "radar/radar.h"
#include "radar/model.h"
#include "radar/store.h"
#include "cli.h"

int cli_date_option(const char *arg, const char **date)
{
    if (!radar_date_valid(arg, strlen(arg))) {
        cli_error("--date must be a real date written YYYY-MM-DD with a year from %d to %d, not '%s'", RADAR_MIN_YEAR,
                  RADAR_MAX_YEAR, arg);
        return EXIT_USAGE;
    }
    *date = arg;
    return 0;
}

int cli_lexicon_option(cli_lexicon_dirs *d, const char *dir)
{
    if (d->n == CLI_MAX_LEXICON_DIRS) {
        cli_error("at most %d --lexicon directories", CLI_MAX_LEXICON_DIRS);
        return EXIT_USAGE;
    }
    d->dir[d->n++] = dir;
    return 0;
}

int cli_lexicon_load(const cli_lexicon_dirs *d, radar_lexicon **out)
{
    radar_lexicon *lex = NULL;
    *out = NULL;
    if (radar_lexicon_new_builtin(&lex)) {
        cli_error("built-in lexicon: %s", radar_last_error());
        return EXIT_FAILED;
    }
    for (int i = 0; i < d->n; i++) {
        if (radar_lexicon_load_dir(lex, d->dir[i])) {
            cli_error("lexicon: %s", radar_last_error());
            radar_lexicon_free(lex);
            return EXIT_FAILED;
        }
    }
    *out = lex;
    return 0;
}

int cli_db_path(const char *db, char *buf, size_t cap, const char **out)
{
    if (db) {
        *out = db;
        return 0;
    }
    if (radar_store_default_path(buf, cap)) {
        cli_error("%s", radar_last_error());
        return EXIT_USAGE;
    }
    *out = buf;
    return 0;
}

long long cli_parse_time_ms(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return -1;
    double mult = 1000;
    if (!strcmp(end, "ms"))
        mult = 1;
    else if (!strcmp(end, "m") || !strcmp(end, "min"))
        mult = 60000;
    else if (!strcmp(end, "h"))
        mult = 3600000;
    else if (*end && strcmp(end, "s"))
        return -1;
    return (long long)(v * mult);
}

static void on_wait(void *user, const char *message)
{
    (void)user;
    fprintf(stderr, "radar: %s\n", message);
}

int cli_store_open(const char *db, int flags, const radar_lexicon *lex, radar_store **st)
{
    char buf[1024];
    int rc = cli_db_path(db, buf, sizeof buf, &db);
    if (rc)
        return rc;
    radar_store_options o = RADAR_STORE_OPTIONS_INIT;
    o.flags = flags;
    o.lex = lex;
    o.on_wait = on_wait;
    const char *wait = getenv("RADAR_LOCK_WAIT");
    if (wait && *wait) {
        long long ms = cli_parse_time_ms(wait);
        if (ms <= 0 || ms > 24LL * 3600 * 1000) {
            cli_error("RADAR_LOCK_WAIT must be a time such as 30s or 10m, not '%s'", wait);
            return EXIT_USAGE;
        }
        o.wait_ms = (long)ms;
    }
    if (radar_store_open_with(st, db, &o)) {
        cli_error("%s", radar_last_error());
        return EXIT_FAILED;
    }
    return 0;
}

int cli_model_load(const char *path, int rules_only, radar_model **owned, const radar_model **use)
{
    *owned = NULL;
    *use = radar_model_builtin();
    if (rules_only && path) {
        cli_error("--model and --rules-only exclude each other");
        return EXIT_USAGE;
    }
    if (rules_only) {
        *use = NULL;
        return 0;
    }
    if (!path)
        return 0;
    if (radar_model_load(owned, path)) {
        cli_error("%s", radar_last_error());
        return EXIT_FAILED;
    }
    *use = *owned;
    return 0;
}
