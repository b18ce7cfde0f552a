/*
 * cmd_ingest.c - `radar ingest`: articles into the store, linked into stories.
 *
 * The pipeline is the library's (radar/ingest.h): batches committed whole,
 * reading and extraction on a second thread, bulk loads, the closing
 * rescore. This file reads the options, draws a progress line with rate and
 * ETA on a terminal, prints warnings and failures as they are told, and the
 * summary at the end.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "radar/radar.h"
#include "radar/ingest.h"
#include "radar/store.h"
#include "cli.h"

typedef struct progress {
    int quiet, progress;
    unsigned long long total_bytes;
    double start, last_draw;
} progress;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radar ingest [OPTIONS] [PATH...]\n"
            "\n"
            "Store articles and their rumours in the database and link them into stories.\n"
            "PATH as for radar extract: files, directories, or - for standard input (the default).\n"
            "The same article ingested twice is stored once; an article whose text changed is updated.\n"
            "\n"
            "options:\n"
            "  --db PATH             database file (default $RADAR_DB, else ~/.local/share/transfer-radar/radar.db)\n"
            "  -d, --date YYYY-MM-DD date for articles that carry none\n"
            "  -l, --lexicon DIR     add the lexicon files in DIR (repeatable)\n"
            "  -q, --quiet           no progress line, no warnings\n"
            "  --webhook URL         POST each change of a followed story (radar follow) to URL as JSON\n"
            "  --exec CMD            run CMD (with sh -c) for each change, the JSON on its standard input\n"
            "  -h, --help            show this help\n"
            "\n"
            "New stories and stage changes of the clubs and players followed (radar follow) are printed on\n"
            "standard output, and sent to --webhook and --exec (docs/alerts.md).\n"
            "\n"
            "Exit status: 0 when every article was stored (and every alert delivered), 1 when any failed,\n"
            "2 on bad usage.\n");
}

static void draw(progress *g, const radar_ingest_counts *c, int final)
{
    if (!g->progress)
        return;
    double t = now();
    if (!final && t - g->last_draw < 0.2)
        return;
    g->last_draw = t;
    double el = t - g->start;
    double rate = el > 0 ? c->bytes / el / 1048576.0 : 0;
    long long done = c->stored + c->updated + c->unchanged + c->pending + c->failed;
    /* the share of the input files read (JSON Lines and HTML carry more bytes
     * than their text, so the text put is no measure); the end is 100% */
    unsigned long long in = c->input_bytes < g->total_bytes ? c->input_bytes : g->total_bytes;
    double in_rate = el > 0 ? in / el : 0;
    char eta[32] = "";
    if (!final && g->total_bytes && in && in_rate > 0 && in < g->total_bytes)
        snprintf(eta, sizeof eta, ", ETA %.0fs", (g->total_bytes - in) / in_rate);
    int pct = final ? 100 : g->total_bytes ? (int)(100.0 * in / g->total_bytes) : 0;
    if (!final && pct > 99)
        pct = 99;
    int bar = pct / 5;
    fprintf(stderr, "\r[%.*s%.*s] %3d%%  %lld articles  %.1f MB/s%s   ", bar, "====================",
            20 - bar, "                    ", pct, done, rate, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* What the pipeline tells, printed as it comes. */
static void on_event(void *user, radar_ingest_event ev, const radar_ingest_counts *c, const char *msg)
{
    progress *g = user;
    switch (ev) {
    case RADAR_INGEST_TAKEN:
        draw(g, c, 0);
        break;
    case RADAR_INGEST_FAILURE:
        if (g->progress)
            fputc('\n', stderr);
        fprintf(stderr, "radar: %s\n", msg);
        break;
    case RADAR_INGEST_WARNING:
        if (!g->quiet)
            fprintf(stderr, "%sradar: warning: %s\n", g->progress ? "\n" : "", msg);
        break;
    case RADAR_INGEST_NOT_EXTRACTED:
    case RADAR_INGEST_STORE_FAILED:
        cli_error("%s", msg);
        break;
    case RADAR_INGEST_BATCH_LOST:
        cli_error("the %lld articles of the batch that failed were not stored; run radar ingest again", c->lost);
        break;
    }
}

/* Total bytes under the paths, for the progress bar (0 when unknown): a
 * directory's files are counted ahead, as the reader will read them. */
static unsigned long long dir_total;
static int add_size(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (type == FTW_F && S_ISREG(sb->st_mode))
        dir_total += (unsigned long long)sb->st_size;
    return 0;
}

static unsigned long long size_of(const char *path)
{
    struct stat sb;
    if (!strcmp(path, "-") || stat(path, &sb) != 0)
        return 0;
    if (S_ISDIR(sb.st_mode)) {
        dir_total = 0;
        nftw(path, add_size, 16, FTW_PHYS);
        return dir_total;
    }
    return S_ISREG(sb.st_mode) ? (unsigned long long)sb.st_size : 0;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"lexicon", required_argument, NULL, 'l'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"webhook", required_argument, NULL, 'W'},
                                         {"exec", required_argument, NULL, 'X'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    cli_lexicon_dirs lexdirs = {0};
    cli_alerts alerts = {0};
    progress g = {0};
    radar_ingest_options io = RADAR_INGEST_OPTIONS_INIT;
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            db = optarg;
            break;
        case 'd':
            if ((rc = cli_date_option(optarg, &io.read.default_date)))
                return rc;
            break;
        case 'l':
            if ((rc = cli_lexicon_option(&lexdirs, optarg)))
                return rc;
            break;
        case 'q':
            g.quiet = 1;
            break;
        case 'W':
            if ((rc = cli_alerts_webhook(&alerts, optarg)))
                return rc;
            break;
        case 'X':
            alerts.exec = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    radar_lexicon *lex = NULL;
    if ((rc = cli_lexicon_load(&lexdirs, &lex)))
        return rc;
    radar_store *st = NULL;
    if ((rc = cli_store_open(db, RADAR_STORE_CREATE, lex, &st))) {
        radar_lexicon_free(lex);
        return rc;
    }
    g.progress = !g.quiet && isatty(STDERR_FILENO);
    for (int i = optind; i < argc; i++)
        g.total_bytes += size_of(argv[i]);
    io.lex = lex;
    io.fn = on_event;
    io.user = &g;
    io.on_change = cli_on_change;
    io.change_user = &alerts;
    radar_ingest *in = NULL;
    if (radar_ingest_new(&in, st, &io)) {
        cli_error("%s", radar_last_error());
        radar_store_close(st);
        radar_lexicon_free(lex);
        return EXIT_FAILED;
    }
    /* nothing to read but a terminal: say so, rather than seem to hang */
    if (optind == argc && isatty(STDIN_FILENO) && !g.quiet)
        fprintf(stderr, "radar: reading articles from standard input (Ctrl-D ends; radar ingest --help)\n");
    g.start = now();
    radar_ingest_counts n = {0};
    int fatal = radar_ingest_paths(in, (const char *const *)argv + optind, argc - optind, g.total_bytes, &n) != 0;
    draw(&g, &n, 1);
    long long articles = 0, mentions = 0, stories = 0;
    radar_store_counts(st, &articles, &mentions, &stories);
    if (!g.quiet || n.failed || fatal)
        fprintf(stderr,
                "radar: %lld new, %lld updated, %lld unchanged, %lld failed; %lld rumours read. "
                "The store holds %lld articles, %lld mentions, %lld stories.\n",
                n.stored, n.updated, n.unchanged, n.failed, n.rumours, articles, mentions, stories);
    if (n.undated && !g.quiet) {
        fprintf(stderr, "radar: %lld article%s had no date (", n.undated, n.undated == 1 ? "" : "s");
        for (long long i = 0; i < n.undated && i < RADAR_MAX_UNDATED_NAMED; i++)
            fprintf(stderr, "%s%s", i ? ", " : "", n.undated_named[i]);
        fprintf(stderr, "%s); pass --date or give them a date line\n", n.undated > RADAR_MAX_UNDATED_NAMED ? ", ..." : "");
    }
    cli_alerts_summary(&alerts, n.changes_dropped);
    radar_ingest_free(in);
    radar_store_close(st);
    radar_lexicon_free(lex);
    return n.failed || fatal || alerts.failed ? EXIT_FAILED : EXIT_OK;
}
