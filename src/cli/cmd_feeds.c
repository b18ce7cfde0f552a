/*
 * cmd_feeds.c - `radar feeds add|list|remove` and `radar watch`.
 *
 * Subscriptions live in the store. `watch` polls them (radar_watch_poll),
 * prints what happened, and sleeps until the next feed is due; Ctrl-C or
 * SIGTERM set a flag the library checks between articles and during
 * transfers, so the watcher stops with every stored article committed.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "radar/limits.h"
#include "radar/radar.h"
#include "radar/store.h"
#include "radar/watch.h"
#include "cli.h"

static volatile sig_atomic_t stop_flag = 0;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int open_store(const char *db, radar_lexicon *lex, radar_store **st)
{
    return cli_store_open(db, RADAR_STORE_CREATE, lex, st);
}

static void feeds_usage(FILE *f)
{
    fprintf(f, "usage: radar feeds add URL [--name NAME] [--db PATH]\n"
               "       radar feeds list [--json] [--db PATH]\n"
               "       radar feeds remove URL|NAME [--db PATH]\n"
               "\n"
               "The RSS and Atom feeds radar watch reads. list shows each feed's state: when it was read, how\n"
               "many articles it gave, and for a failing feed the error and when it is tried again.\n");
}

/* "3 min ago", "in 2 h": a short span for the list. */
static void span(char *out, size_t cap, long long s)
{
    long long a = s < 0 ? -s : s;
    if (a < 120)
        snprintf(out, cap, "%lld s", a);
    else if (a < 7200)
        snprintf(out, cap, "%lld min", a / 60);
    else if (a < 172800)
        snprintf(out, cap, "%lld h", a / 3600);
    else
        snprintf(out, cap, "%lld days", a / 86400);
}

static void print_feeds(const radar_feed_list *l)
{
    if (l->n == 0) {
        printf("no feeds yet: radar feeds add URL\n");
        return;
    }
    long long now = (long long)time(NULL);
    for (size_t i = 0; i < l->n; i++) {
        const radar_feed_row *f = &l->v[i];
        printf("%s%s%s\n", f->name ? f->name : "", f->name ? "  " : "", f->url);
        char when[32];
        if (f->has_last_poll) {
            span(when, sizeof when, now - f->last_poll);
            printf("   %s%sread %s ago, %lld articles stored from it\n", f->title ? f->title : "", f->title ? ": " : "",
                   when, f->articles);
        } else {
            printf("   not read yet\n");
        }
        if (f->failures) {
            long long next = f->next_poll;
            span(when, sizeof when, next - now);
            printf("   failing (%lld in a row): %s; next try %s%s\n", f->failures, f->last_error ? f->last_error : "(null)",
                   next > now ? "in " : "now", next > now ? when : "");
        }
    }
}

int cmd_feeds(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *name = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            db = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            feeds_usage(stdout);
            return EXIT_OK;
        default:
            feeds_usage(stderr);
            return EXIT_USAGE;
        }
    }
    const char *verb = optind < argc ? argv[optind] : "list";
    int nargs = argc - optind - (optind < argc ? 1 : 0);
    const char *arg = nargs > 0 ? argv[optind + 1] : NULL;
    int add = !strcmp(verb, "add"), list = !strcmp(verb, "list"), remove = !strcmp(verb, "remove");
    if ((!add && !list && !remove) || ((add || remove) && nargs != 1) || (list && nargs != 0) || (name && !add)) {
        feeds_usage(stderr);
        return EXIT_USAGE;
    }
    radar_store *st = NULL;
    int rc = open_store(db, NULL, &st);
    if (rc)
        return rc;
    int status = EXIT_OK;
    if (add) {
        if (radar_store_feed_add(st, arg, name)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
        } else {
            printf("added %s%s%s%s; radar watch reads it\n", arg, name ? " as '" : "", name ? name : "",
                   name ? "'" : "");
        }
    } else if (remove) {
        if (radar_store_feed_remove(st, arg)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
        } else {
            printf("removed %s (its articles stay in the store)\n", arg);
        }
    } else {
        radar_feed_list *l = NULL;
        if (radar_store_feeds_list(st, &l)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
        } else if (json) {
            json_t *j = radar_feed_list_json(l);
            char *s = json_dumps(j, JSON_INDENT(2) | CLI_JSON_REAL);
            printf("%s\n", s ? s : "{}");
            free(s);
            json_decref(j);
        } else {
            print_feeds(l);
        }
        radar_feed_list_free(l);
    }
    radar_store_close(st);
    return status;
}

/* ---- watch ----------------------------------------------------------------- */

static void watch_usage(FILE *f)
{
    fprintf(f,
            "usage: radar watch [OPTIONS]\n"
            "\n"
            "Read every subscribed feed (radar feeds add URL), store the articles of new items (the feed's\n"
            "own text when it carries the article, else the item's page), and do it again every interval.\n"
            "An unchanged feed costs a 304; an item stored once is not fetched again; a failing feed is\n"
            "tried again after 1, 2, 4 ... minutes (at most 6 hours) without holding up the others.\n"
            "%d feeds are read at once, so a slow one holds up only itself.\n"
            "An item's page on a loopback, private or link-local address is not fetched (see --allow-private).\n"
            "Ctrl-C stops between two articles.\n"
            "\n"
            "options:\n"
            "  --db PATH            database file (default $RADAR_DB, else ~/.local/share/transfer-radar/radar.db)\n"
            "  --interval TIME      time between polls of a feed (default 15m; 30s, 15m, 2h)\n"
            "  --once               poll every feed once (but those waiting after a failure) and exit\n"
            "  --timeout TIME       give up on a request after this long (default 30s; also $RADAR_FETCH_TIMEOUT)\n"
            "  --deadline TIME      end one feed's poll, its pages included, after this long (default 2m); the\n"
            "                       pages of the items left are fetched at the next poll\n"
            "  --max-size BYTES     refuse responses larger than this (default 10M; K and M suffixes)\n"
            "  --shard K/N          poll only shard K of N (1/3, 2/3, 3/3): N watchers, each with its own K,\n"
            "                       split the feeds by a hash of their address, with no overlap and no gap\n"
            "  --allow-private      fetch item pages on loopback, private or link-local addresses (127.0.0.1,\n"
            "                       10/8, 192.168/16, fe80::/10...) for a feed that is on such an address itself\n"
            "  -l, --lexicon DIR    add the lexicon files in DIR (repeatable)\n"
            "  -q, --quiet          print only failures and the summary\n"
            "  --webhook URL        POST each change of a followed story (radar follow) to URL as JSON\n"
            "  --exec CMD           run CMD (with sh -c) for each change, the JSON on its standard input\n"
            "  -h, --help           show this help\n"
            "\n"
            "New stories and stage changes of the clubs and players followed (radar follow) are printed\n"
            "after each poll (even with --quiet), and sent to --webhook and --exec (docs/alerts.md); a\n"
            "delivery that fails is tried again, then reported, and the watch goes on.\n"
            "\n"
            "Exit status (--once): 0 when every feed and item was read (and every alert delivered), 1 when\n"
            "any failed or was left for the next poll, 2 on bad usage.\n",
            RADAR_WATCH_THREADS);
}

static long long parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v <= 0)
        return -1;
    if (!strcmp(end, "K") || !strcmp(end, "k"))
        v *= 1024;
    else if (!strcmp(end, "M"))
        v *= 1024 * 1024;
    else if (*end)
        return -1;
    return (long long)v;
}

typedef struct watch_out {
    int quiet;
} watch_out;

static void on_event(void *user, radar_watch_event ev, const char *feed, const char *msg)
{
    watch_out *w = user;
    /* a feed known by its address: the message need not repeat it */
    size_t n = strlen(feed);
    if (!strncmp(msg, feed, n) && msg[n] == ':' && msg[n + 1] == ' ')
        msg += n + 2;
    switch (ev) {
    case RADAR_WATCH_FEED_FAILED:
    case RADAR_WATCH_ITEM_FAILED:
        fprintf(stderr, "radar: %s: %s\n", feed, msg);
        break;
    case RADAR_WATCH_WARNING:
        if (!w->quiet)
            fprintf(stderr, "radar: warning: %s: %s\n", feed, msg);
        break;
    default:
        if (!w->quiet) {
            printf("%s: %s\n", feed, msg);
            fflush(stdout);
        }
    }
}

/* One number of --shard at *s: digits only, at most RADAR_MAX_WATCH_SHARDS;
 * *s moves past it. -1 when there is none or it is too large. */
static int shard_number(const char **s)
{
    int v = 0;
    if (**s < '0' || **s > '9')
        return -1;
    for (; **s >= '0' && **s <= '9'; (*s)++)
        if ((v = v * 10 + (**s - '0')) > RADAR_MAX_WATCH_SHARDS)
            return -1;
    return v;
}

/* "K/N" into *k and *n: 0, or -1 unless 1 <= K <= N <= RADAR_MAX_WATCH_SHARDS. */
static int parse_shard(const char *s, int *k, int *n)
{
    int a = shard_number(&s);
    if (a < 1 || *s++ != '/')
        return -1;
    int b = shard_number(&s);
    if (b < a || *s)
        return -1;
    *k = a;
    *n = b;
    return 0;
}

/* The options (and $RADAR_FETCH_TIMEOUT) into *db, lexdirs, wo, *once,
 * *quiet and alerts: 0, -1 after --help, or the exit status of a usage error. */
static int watch_options(int argc, char **argv, const char **db, cli_lexicon_dirs *lexdirs, radar_watch_options *wo,
                         int *once, int *quiet, cli_alerts *alerts)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"interval", required_argument, NULL, 'i'},
                                         {"once", no_argument, NULL, 'o'},
                                         {"timeout", required_argument, NULL, 't'},
                                         {"max-size", required_argument, NULL, 'm'},
                                         {"allow-private", no_argument, NULL, 'P'},
                                         {"deadline", required_argument, NULL, 'd'},
                                         {"lexicon", required_argument, NULL, 'l'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"webhook", required_argument, NULL, 'W'},
                                         {"exec", required_argument, NULL, 'X'},
                                         {"shard", required_argument, NULL, 'S'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *env_timeout = getenv("RADAR_FETCH_TIMEOUT");
    if (env_timeout && *env_timeout) {
        long long ms = cli_parse_time_ms(env_timeout);
        if (ms <= 0) {
            cli_error("RADAR_FETCH_TIMEOUT must be a time such as 30s or 500ms, not '%s'", env_timeout);
            return EXIT_USAGE;
        }
        wo->fetch.timeout_ms = (long)ms;
    }
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:qh", opts, NULL)) != -1) {
        long long v;
        switch (c) {
        case 'D':
            *db = optarg;
            break;
        case 'i':
            if ((v = cli_parse_time_ms(optarg)) < 1000) {
                cli_error("--interval must be a time of at least a second (30s, 15m, 2h), not '%s'", optarg);
                return EXIT_USAGE;
            }
            wo->interval_s = v / 1000;
            break;
        case 'o':
            *once = 1;
            break;
        case 't':
            if ((v = cli_parse_time_ms(optarg)) <= 0) {
                cli_error("--timeout must be a time (30s, 500ms, 2m), not '%s'", optarg);
                return EXIT_USAGE;
            }
            wo->fetch.timeout_ms = (long)v;
            break;
        case 'm':
            if ((v = parse_size(optarg)) <= 0) {
                cli_error("--max-size must be a size in bytes (500K, 10M), not '%s'", optarg);
                return EXIT_USAGE;
            }
            wo->fetch.max_bytes = (size_t)v;
            break;
        case 'P':
            wo->allow_private = 1;
            break;
        case 'd':
            if ((v = cli_parse_time_ms(optarg)) < 1 || v > RADAR_MAX_WATCH_DEADLINE_MS) {
                cli_error("--deadline must be a time (2m, 30s, 1h), not '%s'", optarg);
                return EXIT_USAGE;
            }
            wo->feed_deadline_ms = (long)v;
            break;
        case 'l':
            if ((rc = cli_lexicon_option(lexdirs, optarg)))
                return rc;
            break;
        case 'q':
            *quiet = 1;
            break;
        case 'W':
            if ((rc = cli_alerts_webhook(alerts, optarg)))
                return rc;
            break;
        case 'X':
            alerts->exec = optarg;
            break;
        case 'S':
            if (parse_shard(optarg, &wo->shard, &wo->shards)) {
                cli_error("--shard must be K/N, shard K of N with 1 <= K <= N <= %d (1/3, 2/3, 3/3), not '%s'",
                          RADAR_MAX_WATCH_SHARDS, optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            watch_usage(stdout);
            return -1;
        default:
            watch_usage(stderr);
            return EXIT_USAGE;
        }
    }
    return 0;
}

/* Poll the feeds until a signal (or once), sleeping until the next is due. */
static int watch_loop(radar_store *st, radar_extractor *ex, const radar_watch_options *wo, int once, watch_out *out,
                      radar_watch_counts *counts)
{
    int status = EXIT_OK, rc;
    radar_feed_list *feeds = NULL;
    if (radar_store_feeds_list(st, &feeds) == 0) {
        size_t mine = 0;
        for (size_t i = 0; i < feeds->n; i++)
            mine += radar_watch_feed_shard(feeds->v[i].url, wo->shards) == (wo->shards > 1 ? wo->shard : 1);
        if (feeds->n == 0)
            fprintf(stderr, "radar: no feeds to watch yet: radar feeds add URL\n");
        else if (wo->shards > 1 && !out->quiet)
            fprintf(stderr, "radar: shard %d/%d: %zu of the %zu feeds\n", wo->shard, wo->shards, mine, feeds->n);
    }
    radar_feed_list_free(feeds);
    for (;;) {
        if ((rc = radar_watch_poll(st, ex, wo, (long long)time(NULL), on_event, out, counts))) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
            break;
        }
        if (once || stop_flag)
            break;
        long long due = 0;
        if (radar_watch_next_due(st, wo, &due)) {
            cli_error("%s", radar_last_error());
            status = EXIT_FAILED;
            break;
        }
        /* sleep until the next feed is due (at most an interval), waking for a signal */
        long long until = due ? due : (long long)time(NULL) + wo->interval_s;
        while (!stop_flag && (long long)time(NULL) < until) {
            struct timespec ts = {0, 250 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (stop_flag)
            break;
    }
    return status;
}

/* The poll's counts, on standard error. */
static void print_counts(const radar_watch_counts *c)
{
    if (stop_flag)
        fprintf(stderr, "radar: stopped; every article stored so far is kept\n");
    char left[64] = "";
    if (c->deferred)
        snprintf(left, sizeof left, ", %lld left for the next poll", c->deferred);
    fprintf(stderr,
            "radar: %lld feed%s read, %lld unchanged, %lld failed, %lld waiting; %lld item%s: %lld stored, %lld known "
            "already, %lld duplicate%s of stored texts, %lld failed%s; %lld rumours read.\n",
            c->feeds_read, c->feeds_read == 1 ? "" : "s", c->unchanged, c->feeds_failed,
            c->waiting, c->items, c->items == 1 ? "" : "s", c->stored, c->known,
            c->duplicates, c->duplicates == 1 ? "" : "s", c->items_failed, left, c->rumours);
}

int cmd_watch(int argc, char **argv)
{
    const char *db = NULL;
    cli_lexicon_dirs lexdirs = {0};
    radar_watch_options wo = RADAR_WATCH_OPTIONS_INIT;
    watch_out out = {0};
    cli_alerts alerts = {0};
    int once = 0;
    int rc = watch_options(argc, argv, &db, &lexdirs, &wo, &once, &out.quiet, &alerts);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (optind < argc) {
        watch_usage(stderr);
        return EXIT_USAGE;
    }
    radar_lexicon *lex = NULL;
    if ((rc = cli_lexicon_load(&lexdirs, &lex)))
        return rc;
    radar_store *st = NULL;
    radar_extractor *ex = NULL;
    if ((rc = open_store(db, lex, &st))) {
        radar_lexicon_free(lex);
        return rc;
    }
    if (radar_extractor_new(&ex, lex)) {
        cli_error("%s", radar_last_error());
        radar_store_close(st);
        radar_lexicon_free(lex);
        return EXIT_FAILED;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
    sigemptyset(&sa.sa_mask);
    struct sigaction old_int, old_term;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    wo.fetch.stop = &stop_flag;
    wo.ignore_schedule = once;
    alerts.stop = &stop_flag;
    wo.on_change = cli_on_change;
    wo.change_user = &alerts;

    radar_watch_counts counts = {0};
    int status = watch_loop(st, ex, &wo, once, &out, &counts);
    print_counts(&counts);
    cli_alerts_summary(&alerts, counts.changes_dropped);
    if (counts.feeds_failed || counts.items_failed || counts.deferred || alerts.failed)
        status = EXIT_FAILED;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    radar_extractor_free(ex);
    radar_store_close(st);
    radar_lexicon_free(lex);
    return status;
}
