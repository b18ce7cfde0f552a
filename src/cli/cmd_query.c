/*
 * cmd_query.c - the questions: radar stories, story, player, club, search,
 * sources, export. Each asks the store for JSON and prints it as it is
 * (--json) or as text for a person.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "radar/radar.h"
#include "radar/store.h"
#include "cli.h"

typedef struct qopts {
    const char *db;
    int json;
    int explain;
    radar_story_filter filter;
    const char *format; /* export: csv | jsonl */
} qopts;

static const char *s_(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static long long i_(json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

/* printf pads "%-*s" by bytes; give it the byte width that fills `cols` terminal columns, so that
 * accented names ("Ødegaard", "Atlético") keep the columns aligned. */
static int pad_(const char *s, int cols)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), used = 0;
    int width = 0;

    while (used < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + used, len - used, &cp);
        if (n <= 0) { /* not UTF-8: count the byte as one column */
            used++;
            width++;
            continue;
        }
        used += n;
        width += utf8proc_charwidth(cp);
    }
    return width >= cols ? 0 : cols + (int)(len - width);
}

static void print_story_line(json_t *s)
{
    const char *from = *s_(s, "from_club") ? s_(s, "from_club") : "?";

    printf("#%-6lld %-*s %-*s <- %-*s %-9s %3lld mention%s  %s .. %s  %s", i_(s, "id"),
           pad_(s_(s, "player"), 26), s_(s, "player"), pad_(s_(s, "to_club"), 22), s_(s, "to_club"),
           pad_(from, 22), from, s_(s, "stage"), i_(s, "mentions"),
           i_(s, "mentions") == 1 ? " " : "s", *s_(s, "first_seen") ? s_(s, "first_seen") : "(undated)",
           *s_(s, "last_seen") ? s_(s, "last_seen") : "(undated)", s_(s, "status"));
    if (json_object_get(s, "resurfaced_after"))
        printf(" after %s", s_(s, "resurfaced_after"));
    if (strcmp(s_(s, "outcome"), "open") && *s_(s, "outcome"))
        printf(", %s", s_(s, "outcome"));
    else if (json_is_number(json_object_get(s, "likelihood")))
        printf(", %.0f%% likely", 100 * json_number_value(json_object_get(s, "likelihood")));
    putchar('\n');
}

/* The likelihood, and with --explain each factor's share of the log-odds. */
static void print_likelihood(json_t *l, int explain)
{
    if (!json_is_object(l))
        return;
    printf("  likelihood: %.0f%%", 100 * json_number_value(json_object_get(l, "p")));
    if (*s_(l, "as_of"))
        printf(" (as of %s)", s_(l, "as_of"));
    putchar('\n');
    if (!explain)
        return;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(l, "factors"), i, f)
    {
        if (json_is_number(json_object_get(f, "contribution")))
            printf("    %+6.2f  %-12s %s\n", json_number_value(json_object_get(f, "contribution")), s_(f, "name"),
                   s_(f, "detail"));
        else
            printf("       --  %-12s %s\n", s_(f, "name"), s_(f, "detail"));
    }
    printf("    (log-odds summed, then p = 1 / (1 + e^-sum))\n");
}

static void print_fee(json_t *fee)
{
    if (!json_is_object(fee))
        return;
    printf("  %s %.0f %s", s_(fee, "kind"), json_number_value(json_object_get(fee, "amount")), s_(fee, "currency"));
    json_t *eur = json_object_get(fee, "eur");
    if (json_is_number(eur) && strcmp(s_(fee, "currency"), "EUR"))
        printf(" (~EUR %.0f)", json_number_value(eur));
}

static void print_story(json_t *s, int explain)
{
    printf("Story #%lld: %s -> %s\n", i_(s, "id"), s_(s, "player"), s_(s, "to_club"));
    printf("  from %s; furthest stage %s; %lld mentions from %s to %s; %lld sources (%lld independent)\n",
           *s_(s, "from_club") ? s_(s, "from_club") : "an unknown club", s_(s, "stage"), i_(s, "mentions"),
           s_(s, "first_seen"), s_(s, "last_seen"), i_(s, "sources"), i_(s, "independent_sources"));
    printf("  status: %s", s_(s, "status"));
    if (json_object_get(s, "resurfaced_after"))
        printf(" (after a silence of %s)", s_(s, "resurfaced_after"));
    putchar('\n');
    size_t r;
    json_t *res;
    json_array_foreach(json_object_get(s, "resolutions"), r, res)
        printf("  %s on %s: %s\n", s_(res, "outcome"), s_(res, "on"), s_(res, "how"));
    if (json_array_size(json_object_get(s, "resolutions")) && !strcmp(s_(s, "outcome"), "open"))
        printf("  reopened: reported again after it failed\n");
    print_likelihood(json_object_get(s, "likelihood"), explain);
    json_t *rivals = json_object_get(s, "rival_suitors");
    if (json_array_size(rivals)) {
        printf("  other clubs after him:");
        size_t i;
        json_t *v;
        json_array_foreach(rivals, i, v) printf("%s %s", i ? "," : "", json_string_value(v));
        putchar('\n');
    }
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(s, "timeline"), i, m)
    {
        printf("\n  %s  %-10s %s", *s_(m, "date") ? s_(m, "date") : "(undated)", s_(m, "stage"), s_(m, "article"));
        if (*s_(m, "published_by"))
            printf("  [%s]", s_(m, "published_by"));
        print_fee(json_object_get(m, "fee"));
        if (json_is_integer(json_object_get(m, "age")))
            printf("  age %lld", i_(m, "age"));
        putchar('\n');
        size_t k;
        json_t *v;
        json_t *srcs = json_object_get(m, "sources");
        if (json_array_size(srcs)) {
            printf("    sources:");
            json_array_foreach(srcs, k, v) printf("%s %s", k ? "," : "", s_(v, "name"));
            putchar('\n');
        }
        json_array_foreach(json_object_get(m, "evidence"), k, v)
        {
            const char *t = s_(v, "text");
            printf("    \"");
            for (const char *p = t; *p; p++)
                putchar(*p == '\n' ? ' ' : *p);
            printf("\"\n");
        }
    }
}

static void usage(FILE *f, const char *cmd)
{
    fprintf(f,
            "usage: radar stories [--club C] [--player P] [--source NAME] [--since DATE] [--stage S]\n"
            "                     [--sort hot|recent|first|likelihood] [--limit N] [--offset N] [--db PATH] [--json]\n"
            "       radar story ID [--explain] [--db PATH] [--json]\n"
            "       radar player NAME [--db PATH] [--json]\n"
            "       radar club NAME [--db PATH] [--json]\n"
            "       radar search QUERY [--limit N] [--db PATH] [--json]\n"
            "       radar sources [--db PATH] [--json]\n"
            "       radar source NAME [--db PATH] [--json]\n"
            "       radar export [--format csv|jsonl] [--db PATH]\n"
            "\n"
            "Names are matched forgivingly (case, accents, club aliases: Inter, Inter Milan, Internazionale).\n"
            "The database is $RADAR_DB, else ~/.local/share/transfer-radar/radar.db, unless --db says.\n");
    (void)cmd;
}

/* The stages a story's furthest stage can be: "none" (only endings were
 * reported), then interest .. signed (endings are no steps forward). */
static int known_stage(const char *s)
{
    if (!strcmp(s, "none"))
        return 1;
    for (int i = RADAR_STAGE_INTEREST; i <= RADAR_STAGE_SIGNED; i++)
        if (!strcmp(s, radar_stage_name((radar_stage)i)))
            return 1;
    return 0;
}

static const char *stage_list(char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = RADAR_STAGE_INTEREST; i <= RADAR_STAGE_SIGNED; i++)
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s, ", radar_stage_name((radar_stage)i));
    if (n < cap)
        snprintf(out + n, cap - n, "or none");
    return out;
}

static int parse(int argc, char **argv, qopts *q, int *first_arg)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'},    {"json", no_argument, NULL, 'j'},
        {"club", required_argument, NULL, 'c'},  {"player", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 's'}, {"stage", required_argument, NULL, 'S'},
        {"source", required_argument, NULL, 'R'},
        {"sort", required_argument, NULL, 'o'},  {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'O'}, {"format", required_argument, NULL, 'f'},
        {"explain", no_argument, NULL, 'e'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': q->db = optarg; break;
        case 'j': q->json = 1; break;
        case 'c': q->filter.club = optarg; break;
        case 'p': q->filter.player = optarg; break;
        case 's':
            if (!radar_date_valid(optarg, strlen(optarg))) {
                cli_error("--since must be a date written YYYY-MM-DD, not '%s'", optarg);
                return EXIT_USAGE;
            }
            q->filter.since = optarg;
            break;
        case 'S':
            if (!known_stage(optarg)) {
                char list[200];
                cli_error("unknown stage '%s' (%s)", optarg, stage_list(list, sizeof list));
                return EXIT_USAGE;
            }
            q->filter.stage = optarg;
            break;
        case 'R': q->filter.source = optarg; break;
        case 'o': q->filter.sort = optarg; break;
        case 'n':
        case 'O': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 100000) {
                cli_error("--%s must be a number from 0 to 100000", c == 'n' ? "limit" : "offset");
                return EXIT_USAGE;
            }
            if (c == 'n')
                q->filter.limit = (int)v;
            else
                q->filter.offset = (int)v;
            break;
        }
        case 'f': q->format = optarg; break;
        case 'e': q->explain = 1; break;
        case 'h': usage(stdout, argv[0]); return -1;
        default: usage(stderr, argv[0]); return EXIT_USAGE;
        }
    }
    *first_arg = optind;
    return 0;
}

static int open_store(qopts *q, radar_store **st, radar_lexicon **lex)
{
    if (radar_lexicon_new_builtin(lex)) {
        cli_error("lexicon: %s", radar_last_error());
        return EXIT_FAILED;
    }
    int rc = cli_store_open(q->db, RADAR_STORE_READONLY, *lex, st);
    if (rc) {
        radar_lexicon_free(*lex);
        *lex = NULL;
    }
    return rc;
}

static void print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0);
    if (s) {
        puts(s);
        free(s);
    }
}

static void csv_field(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s == '\n' ? ' ' : *s);
    }
    putchar('"');
}

int cmd_query(int argc, char **argv)
{
    const char *cmd = argv[0];
    qopts q = {0};
    radar_story_filter f = RADAR_STORY_FILTER_INIT;
    q.filter = f;
    int first;
    int prc = parse(argc, argv, &q, &first);
    if (prc)
        return prc < 0 ? EXIT_OK : prc;
    int nargs = argc - first;
    int need = !strcmp(cmd, "story") || !strcmp(cmd, "player") || !strcmp(cmd, "club") || !strcmp(cmd, "search") ||
               !strcmp(cmd, "source");
    if (need && nargs != 1) {
        cli_error("radar %s takes one argument (%s)", cmd, !strcmp(cmd, "story") ? "a story id" : "a name or query");
        return EXIT_USAGE;
    }
    if (!need && nargs) {
        cli_error("radar %s takes no argument, got '%s'", cmd, argv[first]);
        return EXIT_USAGE;
    }
    if (!strcmp(cmd, "export") && q.format && strcmp(q.format, "csv") && strcmp(q.format, "jsonl")) {
        cli_error("--format must be csv or jsonl, not '%s'", q.format);
        return EXIT_USAGE;
    }
    long long id = 0;
    if (!strcmp(cmd, "story")) {
        char *end;
        const char *digits = argv[first] + (*argv[first] == '#');
        errno = 0;
        id = strtoll(digits, &end, 10);
        if (*digits >= '0' && *digits <= '9' && !*end && errno == ERANGE) {
            cli_error("story id %s is out of range: ids go up to %lld", digits, LLONG_MAX);
            return EXIT_USAGE;
        }
        if (*end || id <= 0) {
            cli_error("a story id is a positive number, not '%s'", argv[first]);
            return EXIT_USAGE;
        }
    }
    radar_store *st = NULL;
    radar_lexicon *lex = NULL;
    int orc = open_store(&q, &st, &lex);
    if (orc)
        return orc;
    json_t *res = NULL;
    int rc;
    if (!strcmp(cmd, "stories"))
        rc = radar_store_stories(st, &q.filter, &res);
    else if (!strcmp(cmd, "story"))
        rc = radar_store_story(st, id, &res);
    else if (!strcmp(cmd, "player"))
        rc = radar_store_player(st, argv[first], &res);
    else if (!strcmp(cmd, "club"))
        rc = radar_store_club(st, argv[first], &res);
    else if (!strcmp(cmd, "search"))
        rc = radar_store_search(st, argv[first], q.filter.limit, &res);
    else if (!strcmp(cmd, "sources"))
        rc = radar_store_sources(st, &res);
    else if (!strcmp(cmd, "source"))
        rc = radar_store_source(st, argv[first], &res);
    else
        rc = radar_store_export(st, &res);
    int status = EXIT_OK;
    if (rc) {
        cli_error("%s", radar_last_error());
        status = rc == RADAR_EINVALID ? EXIT_USAGE : EXIT_FAILED;
        goto done;
    }
    if (!strcmp(cmd, "export")) {
        size_t i, k;
        json_t *s, *m;
        if (q.format && !strcmp(q.format, "csv")) {
            printf("story,player,to_club,from_club,status,date,stage,article,published_by,fee_amount,fee_currency,"
                   "fee_kind,fee_eur,evidence\n");
            json_array_foreach(json_object_get(res, "stories"), i, s)
            {
                json_array_foreach(json_object_get(s, "timeline"), k, m)
                {
                    json_t *fee = json_object_get(m, "fee");
                    printf("%lld,", i_(s, "id"));
                    csv_field(s_(s, "player"));
                    putchar(',');
                    csv_field(s_(s, "to_club"));
                    putchar(',');
                    csv_field(s_(m, "from_club"));
                    putchar(',');
                    csv_field(s_(s, "status"));
                    printf(",%s,%s,", s_(m, "date"), s_(m, "stage"));
                    csv_field(s_(m, "article"));
                    putchar(',');
                    csv_field(s_(m, "published_by"));
                    if (json_is_object(fee))
                        printf(",%.0f,%s,%s,%.0f,", json_number_value(json_object_get(fee, "amount")),
                               s_(fee, "currency"), s_(fee, "kind"), json_number_value(json_object_get(fee, "eur")));
                    else
                        printf(",,,,,");
                    json_t *ev = json_array_get(json_object_get(m, "evidence"), 0);
                    csv_field(ev ? s_(ev, "text") : "");
                    putchar('\n');
                }
            }
        } else {
            json_array_foreach(json_object_get(res, "stories"), i, s)
            {
                char *line = json_dumps(s, JSON_COMPACT);
                if (line) {
                    puts(line);
                    free(line);
                }
            }
        }
    } else if (q.json) {
        print_json(res);
    } else if (!strcmp(cmd, "stories")) {
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(res, "stories"), i, s) print_story_line(s);
        printf("(%zu of %lld stories)\n", json_array_size(json_object_get(res, "stories")), i_(res, "total"));
    } else if (!strcmp(cmd, "story")) {
        print_story(res, q.explain);
    } else if (!strcmp(cmd, "player")) {
        size_t i, k;
        json_t *p, *v;
        json_array_foreach(json_object_get(res, "players"), i, p)
        {
            printf("%s%s", i ? "\n" : "", s_(p, "name"));
            if (*s_(p, "club"))
                printf(" (%s)", s_(p, "club"));
            if (json_is_integer(json_object_get(p, "birth_year")))
                printf(", born about %lld", i_(p, "birth_year"));
            putchar('\n');
            json_array_foreach(json_object_get(p, "stories"), k, v) print_story_line(v);
            json_array_foreach(json_object_get(p, "ages"), k, v) printf("  age %lld on %s\n", i_(v, "age"), s_(v, "date"));
            json_array_foreach(json_object_get(p, "facts"), k, v)
                printf("  %s %s: %s %s\n", s_(v, "date"), s_(v, "type"), s_(v, "value"), s_(v, "detail"));
        }
    } else if (!strcmp(cmd, "club")) {
        size_t k;
        json_t *v;
        printf("%s\n\nlinked in (players %s may sign):\n", s_(res, "club"), s_(res, "club"));
        json_array_foreach(json_object_get(res, "linked_in"), k, v) print_story_line(v);
        printf("\nlinked away (players %s may lose):\n", s_(res, "club"));
        json_array_foreach(json_object_get(res, "linked_out"), k, v) print_story_line(v);
        if (json_array_size(json_object_get(res, "facts")))
            printf("\nsquad facts:\n");
        json_array_foreach(json_object_get(res, "facts"), k, v)
            printf("  %s %s %s: %s %s\n", s_(v, "date"), s_(v, "type"), s_(v, "subject"), s_(v, "value"),
                   s_(v, "detail"));
    } else if (!strcmp(cmd, "search")) {
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(res, "hits"), k, v)
        {
            printf("%s  %s  %s\n    ", s_(v, "date"), s_(v, "article"), s_(v, "source"));
            for (const char *p = s_(v, "snippet"); *p; p++)
                putchar(*p == '\n' ? ' ' : *p);
            putchar('\n');
        }
        if (!json_array_size(json_object_get(res, "hits")))
            printf("no article matches '%s'\n", s_(res, "query"));
    } else if (!strcmp(cmd, "sources")) {
        size_t k;
        json_t *v;
        printf("%-34s %-10s %4s %8s %7s %5s %8s %4s %9s\n", "source", "kind", "tier", "mentions", "stories", "cited",
               "resolved", "hits", "hit rate");
        json_array_foreach(json_object_get(res, "sources"), k, v)
        {
            json_t *tier = json_object_get(v, "tier");
            json_t *iv = json_object_get(v, "interval");
            printf("%-*s %-10s %4s %8lld %7lld %5lld %8lld %4lld %3.0f%% (%.0f-%.0f%%)\n", pad_(s_(v, "name"), 34),
                   s_(v, "name"), s_(v, "kind"),
                   json_is_integer(tier) ? (char[]){(char)('0' + json_integer_value(tier)), 0} : "-",
                   i_(v, "mentions"), i_(v, "stories"), i_(v, "cited"), i_(v, "resolved"), i_(v, "hits"),
                   100 * json_number_value(json_object_get(v, "hit_rate")),
                   100 * json_number_value(json_array_get(iv, 0)), 100 * json_number_value(json_array_get(iv, 1)));
        }
    } else if (!strcmp(cmd, "source")) {
        size_t k;
        json_t *v, *iv = json_object_get(res, "interval");
        json_t *tier = json_object_get(res, "tier");
        printf("%s (%s", s_(res, "name"), s_(res, "kind"));
        if (json_is_integer(tier))
            printf(", tier %lld", (long long)json_integer_value(tier));
        printf(")\n  %lld mentions in %lld stories (the origin of %lld); %lld resolved, %lld came true: "
               "hit rate %.0f%% (90%% interval %.0f-%.0f%%)\n",
               i_(res, "mentions"), i_(res, "stories"), i_(res, "originated"), i_(res, "resolved"), i_(res, "hits"),
               100 * json_number_value(json_object_get(res, "hit_rate")), 100 * json_number_value(json_array_get(iv, 0)),
               100 * json_number_value(json_array_get(iv, 1)));
        json_array_foreach(json_object_get(res, "stories_reported"), k, v)
        {
            printf("  #%-6lld %-*s -> %-*s %s .. %s  %s", i_(v, "story"), pad_(s_(v, "player"), 24), s_(v, "player"),
                   pad_(s_(v, "to_club"), 20), s_(v, "to_club"), s_(v, "first_reported"), s_(v, "last_reported"),
                   s_(v, "outcome"));
            if (!strcmp(s_(v, "outcome"), "open") && json_is_number(json_object_get(v, "likelihood")))
                printf(" (%.0f%% likely)", 100 * json_number_value(json_object_get(v, "likelihood")));
            putchar('\n');
        }
    }
done:
    json_decref(res);
    radar_store_close(st);
    radar_lexicon_free(lex);
    return status;
}
