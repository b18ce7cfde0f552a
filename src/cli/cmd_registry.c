/*
 * cmd_registry.c - `radar registry`: import a player registry (the
 * transfermarkt-datasets CSVs, or our own registry.csv) and correct a link
 * between a stored player and a registry player by hand.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/radar.h"
#include "radar/registry.h"
#include "radar/store.h"
#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radar registry import DIR [--db PATH] [--quiet]\n"
            "       radar registry link STORED_ID REGISTRY_ID [--db PATH]\n"
            "\n"
            "import reads DIR's players.csv, clubs.csv and transfers.csv (the transfermarkt-datasets columns) and/or\n"
            "registry.csv (our own: id,name,date_of_birth,position,nationality,club,contract_until,market_value_eur;\n"
            "docs/registry.md), links each stored player to the registry player his names, ages and clubs fit, and\n"
            "records the linked players' transfers as outcomes dated as they are. Importing again changes nothing;\n"
            "bad rows are reported by file and line and skipped.\n"
            "link sets the registry player of stored player STORED_ID (as radar player NAME --links shows them);\n"
            "imports keep a link set by hand.\n");
}

static int report(void *user, const char *message)
{
    (void)user;
    fprintf(stderr, "radar: %s\n", message);
    return 0;
}

int cmd_registry(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    const char *what = optind < argc ? argv[optind] : NULL;
    int importing = what && !strcmp(what, "import") && argc - optind == 2;
    int linking = what && !strcmp(what, "link") && argc - optind == 3;
    long long player = 0;
    if (linking) {
        char *end;
        player = strtoll(argv[optind + 1], &end, 10);
        if (*end || player <= 0) {
            cli_error("STORED_ID must be a stored player's number (radar player NAME --links shows it)");
            return EXIT_USAGE;
        }
    }
    if (!importing && !linking) {
        usage(stderr);
        return EXIT_USAGE;
    }
    radar_lexicon *lex = NULL;
    if (radar_lexicon_new_builtin(&lex)) {
        cli_error("lexicon: %s", radar_last_error());
        return EXIT_FAILED;
    }
    radar_store *st = NULL;
    int status = cli_store_open(db, RADAR_STORE_CREATE, lex, &st);
    if (status) {
        radar_lexicon_free(lex);
        return status;
    }
    radar_registry_counts n = {0};
    int rc = radar_store_begin(st);
    if (!rc)
        rc = importing ? radar_registry_import(st, argv[optind + 1], report, NULL, &n)
                       : radar_registry_link(st, player, argv[optind + 2]);
    /* the links and the outcomes they imply land together */
    if (!rc && !(rc = radar_store_rescore(st)))
        rc = radar_store_commit(st);
    if (rc) {
        cli_error("%s", radar_last_error());
        radar_store_rollback(st);
        status = EXIT_FAILED;
    } else if (importing && (!quiet || n.bad)) {
        fprintf(stderr,
                "radar: registry: %ld clubs, %ld players, %ld transfers read; %ld bad rows; %ld stored players "
                "linked; %ld transfers recorded as outcomes; %ld moves to a player's own club dropped.\n",
                n.clubs, n.players, n.transfers, n.bad, n.linked, n.outcomes, n.own_club);
    }
    if (!status && importing && n.bad)
        status = EXIT_FAILED;
    radar_store_close(st);
    radar_lexicon_free(lex);
    return status;
}
