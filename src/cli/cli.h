/*
 * cli.h - what the subcommand files share with main.c.
 */
#ifndef RADAR_CLI_H
#define RADAR_CLI_H

#include <stdio.h>

/* Exit codes of every subcommand. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_command;

int cmd_extract(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
/* stories, story, player, club, search, sources, export: argv[0] says which */
int cmd_query(int argc, char **argv);

/* Print "radar: message" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
