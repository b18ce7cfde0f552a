/*
 * options.c - option values more than one subcommand takes: --date, --lexicon.
 */
#include <string.h>

#include "radar/radar.h"
#include "cli.h"

int cli_date_option(const char *arg, const char **date)
{
    if (!radar_date_valid(arg, strlen(arg))) {
        cli_error("--date must be a real date written YYYY-MM-DD, not '%s'", arg);
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
