/*
 * cmd_outcomes.c - `radar outcomes`: import lists of what really happened and
 * show which stories resolved, and how.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "radar/radar.h"
#include "radar/store.h"
#include "cli.h"


static void usage(FILE *f)
{
    fprintf(f,
            "usage: radar outcomes [--limit N] [--offset N] [--db PATH] [--json]\n"
            "       radar outcomes import FILE.csv... [--db PATH] [--quiet]\n"
            "\n"
            "Lists story resolutions (done, failed, went quiet), newest first, and how; or imports outcomes from CSV files\n"
            "with a header row: player,from_club,to_club,date,season,window,fee,currency,outcome\n"
            "(player and to_club required; a date, or a season such as 2021-22 and a window, summer or\n"
            "winter; outcome done (the default) or failed). Names are matched as ingest matches them.\n"
            "Rows that match no stored player are reported and kept: they apply once his articles arrive.\n");
}

typedef struct importer {
    radar_store *st;
    const char *file;
    int quiet;
    long rows, bad, no_player, no_story, matched;
} importer;

static int on_row(void *user, const radar_outcome_row *row, const char *message)
{
    importer *im = user;
    if (!row) {
        im->bad++;
        fprintf(stderr, "radar: %s\n", message);
        return 0;
    }
    im->rows++;
    int players = 0, stories = 0;
    if (radar_store_add_outcome(im->st, row, im->file, &players, &stories)) {
        cli_error("%s", radar_last_error());
        return -1;
    }
    if (!players) {
        im->no_player++;
        fprintf(stderr, "radar: %s:%lu: no player named '%s' in the store (kept for when he is)\n", im->file,
                row->line, row->player);
    } else if (!stories) {
        im->no_story++;
        if (!im->quiet)
            fprintf(stderr, "radar: %s:%lu: no story of %s to %s (his other stories are resolved by it)\n", im->file,
                    row->line, row->player, row->to_club);
    } else {
        im->matched++;
    }
    return 0;
}

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= RADAR_MAX_OUTCOMES_FILE) {
                cli_error("%s: larger than %u MB; split it", path, RADAR_MAX_OUTCOMES_FILE >> 20);
                free(buf);
                buf = NULL;
                break;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                cli_error("%s: %s", path, strerror(errno));
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (!buf)
        return -1;
    *data = buf;
    *len = n;
    return 0;
}

static int import(radar_store *st, int argc, char **argv, int quiet)
{
    importer im = {st, NULL, quiet, 0, 0, 0, 0, 0};
    if (radar_store_begin(st)) {
        cli_error("%s", radar_last_error());
        return EXIT_FAILED;
    }
    for (int i = 0; i < argc; i++) {
        char *data;
        size_t len;
        if (read_file(argv[i], &data, &len)) {
            im.bad++;
            continue;
        }
        im.file = argv[i];
        int rc = radar_outcomes_read(argv[i], data, len, on_row, &im);
        free(data);
        if (rc == -1) { /* the store failed: nothing of this import stays */
            radar_store_rollback(st);
            return EXIT_FAILED;
        }
        if (rc) {
            cli_error("%s", radar_last_error());
            im.bad++;
        }
    }
    /* the outcomes and what they imply land together */
    if (radar_store_rescore(st) || radar_store_commit(st)) {
        cli_error("%s", radar_last_error());
        radar_store_rollback(st);
        return EXIT_FAILED;
    }
    radar_outcomes_answer *res = NULL;
    long long resolved = 0;
    if (radar_store_outcomes_list(st, 1, 0, &res) == 0)
        resolved = res->total;
    radar_outcomes_answer_free(res);
    if (!quiet || im.bad)
        fprintf(stderr,
                "radar: %ld outcomes read: %ld matched a story, %ld a player but no story to that club, %ld no player; "
                "%ld bad rows. %lld story resolutions in the store.\n",
                im.rows, im.matched, im.no_story, im.no_player, im.bad, resolved);
    return im.bad ? EXIT_FAILED : EXIT_OK;
}

static void print_list(const radar_outcomes_answer *res)
{
    for (size_t i = 0; i < res->n_resolved; i++) {
        const radar_resolved_row *v = &res->resolved[i];
        printf("#%-6lld %s -> %s: %s on %s (%s)%s\n", v->story, v->player, v->to_club,
               v->outcome && !strcmp(v->outcome, "quiet") ? "went quiet" : v->outcome, v->on, v->how,
               v->status && !strcmp(v->status, "open") ? "; reported again since: open" : "");
    }
    if (!res->n_resolved)
        printf("no story has resolved yet (import outcomes with: radar outcomes import FILE.csv)\n");
    else if ((long long)res->n_resolved < res->total)
        printf("(%zu of %lld resolutions; --limit and --offset page through them)\n", res->n_resolved, res->total);
    for (size_t i = 0; i < res->n_unmatched; i++) {
        const radar_unmatched_row *u = &res->unmatched[i];
        printf("unmatched: %s -> %s, %s on %s\n", u->player, u->to_club, u->outcome, u->date);
    }
}

int cmd_outcomes(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"offset", required_argument, NULL, 'O'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int json = 0, quiet = 0, limit = 50, offset = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jqh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'j': json = 1; break;
        case 'q': quiet = 1; break;
        case 'n':
        case 'O': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > RADAR_MAX_OUTCOMES_ROWS) {
                cli_error("--%s must be a number from 0 to %d", c == 'n' ? "limit" : "offset", RADAR_MAX_OUTCOMES_ROWS);
                return EXIT_USAGE;
            }
            *(c == 'n' ? &limit : &offset) = (int)v;
            break;
        }
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    int importing = optind < argc && !strcmp(argv[optind], "import");
    if (importing && optind + 1 >= argc) {
        cli_error("radar outcomes import needs at least one CSV file");
        return EXIT_USAGE;
    }
    if (!importing && optind < argc) {
        cli_error("unknown outcomes command '%s' (import, or nothing to list)", argv[optind]);
        return EXIT_USAGE;
    }
    radar_lexicon *lex = NULL;
    if (radar_lexicon_new_builtin(&lex)) {
        cli_error("lexicon: %s", radar_last_error());
        return EXIT_FAILED;
    }
    radar_store *st = NULL;
    int status = cli_store_open(db, importing ? RADAR_STORE_CREATE : RADAR_STORE_READONLY, lex, &st);
    if (status) {
        radar_lexicon_free(lex);
        return status;
    }
    if (importing) {
        status = import(st, argc - optind - 1, argv + optind + 1, quiet);
    } else {
        radar_outcomes_answer *res = NULL;
        json_t *j = NULL;
        char *s = NULL;
        if (radar_store_outcomes_list(st, limit, offset, &res)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
        } else if (json) {
            if (!(j = radar_outcomes_answer_json(res)) || !(s = json_dumps(j, JSON_INDENT(2) | CLI_JSON_REAL))) {
                cli_error("out of memory");
                status = EXIT_FAILED;
            } else {
                puts(s);
            }
        } else {
            print_list(res);
        }
        free(s);
        json_decref(j);
        radar_outcomes_answer_free(res);
    }
    radar_store_close(st);
    radar_lexicon_free(lex);
    return status;
}
