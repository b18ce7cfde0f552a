/*
 * cmd_serve.c - radar serve: the store as a JSON API and a web page, until
 * interrupted (Ctrl-C, SIGTERM).
 *
 * Signals are blocked before the server starts its threads, so they all
 * inherit the mask and only this thread, in sigwait, ever sees them.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/radar.h"
#include "radar/server.h"
#include "radar/store.h"
#include "cli.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "radar serve: %s\n", line);
    pthread_mutex_unlock(&log_lock);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: radar serve [--db PATH] [--listen HOST:PORT] [--allow-host NAME]... [--threads N]\n"
               "                   [--search-timeout MS] [--quiet]\n"
               "\n"
               "Serves the rumour board (a web page) and the JSON API (docs/api.md) over HTTP, reading\n"
               "the database while radar ingest may write to it. --listen takes a numeric address;\n"
               "the default is 127.0.0.1:8080 (this machine only); port 0 picks a free port.\n"
               "Requests must name the server as localhost, 127.0.0.1 or [::1] with its port, or as the\n"
               "listening address; --allow-host NAME (NAME:PORT for one port only) adds a name, such as\n"
               "the one a proxy in front forwards. Requests from pages of other sites are refused.\n"
               "--threads N query threads answer the API (default 4), and half as many the searches; a\n"
               "search stops after --search-timeout MS milliseconds, waiting included (default and\n"
               "most %d).\n"
               "Each request is logged on standard error unless --quiet. Stops on Ctrl-C or SIGTERM.\n",
            RADAR_MAX_SEARCH_MS);
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"listen", required_argument, NULL, 'l'},
                                         {"allow-host", required_argument, NULL, 'a'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"search-timeout", required_argument, NULL, 's'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    radar_server_options o = RADAR_SERVER_OPTIONS_INIT;
    const char *allow[RADAR_MAX_HTTP_ALLOW_HOSTS];
    int n_allow = 0;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': o.db = optarg; break;
        case 'l': o.listen = optarg; break;
        case 'a':
            if (n_allow == RADAR_MAX_HTTP_ALLOW_HOSTS) {
                cli_error("at most %d --allow-host names", RADAR_MAX_HTTP_ALLOW_HOSTS);
                return EXIT_USAGE;
            }
            allow[n_allow++] = optarg;
            break;
        case 't':
        case 's': {
            char *end;
            long n = strtol(optarg, &end, 10);
            long most = c == 't' ? RADAR_MAX_HTTP_THREADS : RADAR_MAX_SEARCH_MS;
            if (!*optarg || *end || n < 1 || n > most) {
                cli_error("--%s must be a number from 1 to %ld", c == 't' ? "threads" : "search-timeout", most);
                return EXIT_USAGE;
            }
            if (c == 't')
                o.threads = (int)n;
            else
                o.search_ms = (int)n;
            break;
        }
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_error("radar serve takes no argument, got '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    o.allow_hosts = allow;
    o.n_allow_hosts = n_allow;
    char path[1024];
    int prc = cli_db_path(o.db, path, sizeof path, &o.db);
    if (prc)
        return prc;
    if (!quiet)
        o.log = log_line;

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    radar_server *srv = NULL;
    int rc = radar_server_start(&srv, &o);
    if (rc) {
        cli_error("serve: %s", radar_last_error());
        return rc == RADAR_EINVALID ? EXIT_USAGE : EXIT_FAILED;
    }
    /* the address as a link; tests read the port from this line */
    const char *listen = o.listen ? o.listen : "127.0.0.1:8080";
    const char *colon = strrchr(listen, ':');
    fprintf(stderr, "radar serve: %s on http://%.*s:%d/ (Ctrl-C stops)\n", o.db, (int)(colon - listen), listen,
            radar_server_port(srv));
    fflush(stderr);
    int sig = 0;
    sigwait(&stop, &sig);
    if (!quiet)
        fprintf(stderr, "radar serve: stopping (%s)\n", strsignal(sig));
    radar_server_stop(srv);
    return EXIT_OK;
}
