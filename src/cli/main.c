/*
 * main.c - the radar command: a table of subcommands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "radar/radar.h"
#include "cli.h"

static const cli_command commands[] = {
    {"extract", cmd_extract, "read articles and print their transfer rumours, entities and facts"},
    {"ingest", cmd_ingest, "store articles in the database and link their rumours into stories"},
    {"stories", cmd_query, "the rumour board: stories by heat, recency or age, with filters"},
    {"story", cmd_query, "one story's timeline: every mention with date, source, stage, fee, evidence"},
    {"player", cmd_query, "everything about a player: clubs linked, ages reported, facts"},
    {"club", cmd_query, "who a club is linked with, in and out, and squad facts"},
    {"search", cmd_query, "full-text search over the stored articles"},
    {"sources", cmd_query, "outlets, journalists and accounts cited, with counts"},
    {"source", cmd_query, "one source's record: hit rate with its interval, the stories it reported"},
    {"outcomes", cmd_outcomes, "what really happened: import completed transfers, list resolved stories"},
    {"registry", cmd_registry, "a player registry: import transfermarkt-datasets or our own CSV, link players"},
    {"train", cmd_train, "fit the extractor's learned decisions from annotated articles, with cross-validation"},
    {"fit", cmd_fit, "fit the likelihood's weights to what really happened; make the store use them"},
    {"eval", cmd_eval, "measure the likelihoods against labelled outcomes (ROC AUC, reliability table)"},
    {"export", cmd_query, "stories and mentions as CSV or JSON Lines"},
    {"serve", cmd_serve, "the rumour board as a web page and a JSON API over HTTP"},
    {"feeds", cmd_feeds, "the RSS and Atom feeds to watch: add, list, remove"},
    {"watch", cmd_watch, "read the feeds, store their new articles, and keep doing it"},
    {"db", cmd_db, "the store as a whole: copy it between SQLite and PostgreSQL"},
    {"follow", cmd_follow, "clubs and players to follow: their new stories and stage changes are reported"},
    /* for the shell completions: stored club and player names (not listed) */
    {"complete", cmd_complete, NULL},
    {NULL, NULL, NULL},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("radar: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: radar COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
    for (const cli_command *c = commands; c->name; c++)
        if (c->summary)
            fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n'radar COMMAND --help' (or 'radar help COMMAND') describes a command; 'man radar' all of them.\n"
               "radar --version: radar %s\n", RADAR_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    /* radar help COMMAND: that command's --help */
    if (!strcmp(argv[1], "help") && argc == 3) {
        for (const cli_command *c = commands; c->name; c++)
            if (c->summary && !strcmp(argv[2], c->name)) {
                char *args[] = {argv[2], "--help", NULL};
                return c->run(2, args);
            }
        cli_error("no command called '%s'", argv[2]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || (!strcmp(argv[1], "help") && argc == 2)) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("radar %s\n", RADAR_VERSION);
        return EXIT_OK;
    }
    for (const cli_command *c = commands; c->name; c++)
        if (!strcmp(argv[1], c->name))
            return c->run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
