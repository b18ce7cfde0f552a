/*
 * cmd_follow.c - `radar follow add|list|remove`: the clubs and players
 * whose new stories and stage changes radar ingest and radar watch report
 * (and send to --webhook or --exec); and the hidden `radar complete`, which
 * lists stored club and player names for the shell completions.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/follow.h"
#include "radar/radar.h"
#include "radar/store.h"
#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: radar follow add [--club|--player] NAME [--db PATH]\n"
               "       radar follow list [--json] [--db PATH]\n"
               "       radar follow remove NAME [--db PATH]\n"
               "\n"
               "The clubs and players you follow. radar ingest and radar watch then print each new story of\n"
               "theirs and each stage it reaches (and send it to --webhook URL or --exec CMD, docs/alerts.md).\n"
               "A club is followed in both directions (buying and selling); a player by name, as radar player\n"
               "finds him. add takes NAME for a club the lexicon or the store knows, else for a stored\n"
               "player; --club or --player say which, to follow a name the store has not seen yet. What\n"
               "their stories are when you follow them is the starting point: only changes from then on\n"
               "are reported.\n"
               "\n"
               "options:\n"
               "  --club            NAME is a club\n"
               "  --player          NAME is a player\n"
               "  --json            list as JSON\n"
               "  --db PATH         database file (default $RADAR_DB, else ~/.local/share/transfer-radar/radar.db)\n"
               "  -h, --help        show this help\n");
}

static void print_list(const radar_follow *v, size_t n, int json)
{
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "kind", radar_follow_kind_name(v[i].kind), "name",
                                               v[i].name, "stories", (json_int_t)v[i].stories));
        json_t *o = json_pack("{s:o}", "follows", a);
        char *s = json_dumps(o, JSON_INDENT(2) | CLI_JSON_REAL);
        printf("%s\n", s ? s : "{}");
        free(s);
        json_decref(o);
        return;
    }
    if (!n) {
        printf("nothing followed yet: radar follow add CLUB|PLAYER\n");
        return;
    }
    for (size_t i = 0; i < n; i++)
        printf("%-6s  %s  (%lld stor%s)\n", radar_follow_kind_name(v[i].kind), v[i].name, v[i].stories,
               v[i].stories == 1 ? "y" : "ies");
}

int cmd_follow(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"club", no_argument, NULL, 'c'},
                                         {"player", no_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    radar_follow_kind kind = RADAR_FOLLOW_GUESS;
    int json = 0, c, kinds = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            db = optarg;
            break;
        case 'c':
            kind = RADAR_FOLLOW_CLUB;
            kinds++;
            break;
        case 'p':
            kind = RADAR_FOLLOW_PLAYER;
            kinds++;
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    const char *verb = optind < argc ? argv[optind] : "list";
    int nargs = argc - optind - (optind < argc ? 1 : 0);
    const char *arg = nargs > 0 ? argv[optind + 1] : NULL;
    int add = !strcmp(verb, "add"), list = !strcmp(verb, "list"), remove = !strcmp(verb, "remove");
    if (!add && !list && !remove) {
        cli_error("follow: add, list or remove, not '%s'", verb);
        usage(stderr);
        return EXIT_USAGE;
    }
    if ((add || remove) && nargs != 1) {
        cli_error("radar follow %s takes one name (a club or a player; quote a name with spaces)", verb);
        return EXIT_USAGE;
    }
    if (list && nargs) {
        cli_error("radar follow list takes no argument, got '%s'", arg);
        return EXIT_USAGE;
    }
    if (kinds > 1 || (kinds && !add)) {
        cli_error(kinds > 1 ? "--club and --player exclude each other" : "--club and --player go with add");
        return EXIT_USAGE;
    }
    if (json && !list) {
        cli_error("--json goes with list");
        return EXIT_USAGE;
    }
    radar_lexicon *lex = NULL;
    cli_lexicon_dirs none = {0};
    int rc = cli_lexicon_load(&none, &lex);
    if (rc)
        return rc;
    radar_store *st = NULL;
    if ((rc = cli_store_open(db, RADAR_STORE_CREATE, lex, &st))) {
        radar_lexicon_free(lex);
        return rc;
    }
    int status = EXIT_OK;
    radar_follow f;
    if (add) {
        if (radar_follow_add(st, arg, kind, &f)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
        } else {
            printf("following the %s %s (%lld stor%s now); radar ingest and radar watch report what changes\n",
                   radar_follow_kind_name(f.kind), f.name, f.stories, f.stories == 1 ? "y" : "ies");
        }
    } else if (remove) {
        if (radar_follow_remove(st, arg, &f)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
        } else {
            printf("no longer following the %s %s\n", radar_follow_kind_name(f.kind), f.name);
        }
    } else {
        radar_follow *v = NULL;
        size_t n = 0;
        if (radar_follow_list(st, &v, &n)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
        } else {
            print_list(v, n, json);
        }
        free(v);
    }
    radar_store_close(st);
    radar_lexicon_free(lex);
    return status;
}

/* radar complete clubs|players [PREFIX] [--db PATH]: one stored name a
 * line, for the shell completions. Quiet when there is no store yet. */
int cmd_complete(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'}, {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (c == 'D')
            db = optarg;
    opterr = 1;
    int nargs = argc - optind;
    if (nargs < 1 || nargs > 2 || (strcmp(argv[optind], "clubs") && strcmp(argv[optind], "players"))) {
        cli_error("usage: radar complete clubs|players [PREFIX] [--db PATH]");
        return EXIT_USAGE;
    }
    radar_follow_kind kind = strcmp(argv[optind], "clubs") ? RADAR_FOLLOW_PLAYER : RADAR_FOLLOW_CLUB;
    const char *prefix = nargs == 2 ? argv[optind + 1] : "";
    char buf[1024];
    radar_store *st = NULL;
    if (cli_db_path(db, buf, sizeof buf, &db) || radar_store_open(&st, db, RADAR_STORE_READONLY, NULL))
        return EXIT_OK; /* nothing stored: nothing to complete */
    char **v = NULL;
    size_t n = 0;
    if (radar_store_names(st, kind, prefix, 200, &v, &n) == 0)
        for (size_t i = 0; i < n; i++)
            printf("%s\n", v[i]);
    radar_store_names_free(v, n);
    radar_store_close(st);
    return EXIT_OK;
}
