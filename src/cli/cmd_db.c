/*
 * cmd_db.c - `radar db`: the store as a whole. `radar db copy FROM TO`
 * moves a store between an SQLite file and a PostgreSQL database (either
 * way), so that a user can start with a file and grow into a server.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "radar/radar.h"
#include "radar/db.h"
#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: radar db copy [--replace] [--quiet] FROM TO\n"
               "\n"
               "Copy a whole store: FROM and TO are each an SQLite file (a path) or a PostgreSQL database\n"
               "(postgresql://[user@][host][:port]/dbname[?param=value...]; libpq's PG* environment variables,\n"
               "such as PGHOST, PGUSER, PGPASSWORD, fill in what the URI leaves out, so postgresql:// alone\n"
               "is the database they name). The schema, the rows, the indexes and the schema version are\n"
               "copied in one transaction; the full-text index is rebuilt on the other side.\n"
               "\n"
               "      --replace   TO may hold a store already: it is replaced (else the copy is refused)\n"
               "  -q, --quiet     no summary on standard error\n");
}

static int db_copy(int argc, char **argv)
{
    static const struct option opts[] = {{"replace", no_argument, NULL, 'r'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    radar_db_copy_options o = RADAR_DB_COPY_OPTIONS_INIT;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': o.replace = 1; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        cli_error("db copy needs a source and a destination");
        usage(stderr);
        return EXIT_USAGE;
    }
    radar_db_copy_stats st;
    if (radar_db_copy(argv[optind], argv[optind + 1], &o, &st)) {
        cli_error("%s", radar_last_error());
        return EXIT_FAILED;
    }
    if (!quiet)
        fprintf(stderr,
                "radar: copied %d tables, %lld rows (schema version %d) in %.2f s; the rows in %.2f s (%.0f rows/s)\n",
                st.tables, st.rows, st.schema_version, st.seconds, st.load_seconds,
                st.load_seconds > 0 ? (double)st.rows / st.load_seconds : 0.0);
    return EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "copy"))
        return db_copy(argc - 1, argv + 1);
    cli_error("unknown db command '%s'", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
