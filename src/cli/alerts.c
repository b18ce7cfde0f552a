/*
 * alerts.c - what `radar ingest` and `radar watch` do with a change of a
 * followed story: print it, POST it to --webhook, feed it to --exec.
 *
 * The library finds the changes (radar_follow_changes, through the ingest
 * pipeline); this file only tells them. A delivery that fails is reported
 * and counted, and the command goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/follow.h"
#include "radar/radar.h"
#include "cli.h"

int cli_alerts_webhook(cli_alerts *a, const char *url)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        cli_error("--webhook takes an http:// or https:// address, not '%s'", url);
        return EXIT_USAGE;
    }
    a->webhook = url;
    return 0;
}

int cli_on_change(void *user, const radar_change *c)
{
    cli_alerts *a = user;
    const radar_story_row *s = c->story;
    printf("followed: %s #%lld: %s to %s", c->kind == RADAR_CHANGE_NEW_STORY ? "new story" : "stage change", s->id,
           s->player ? s->player : "?", s->to_club ? s->to_club : "?");
    if (c->previous_stage)
        printf(", %s -> %s", c->previous_stage, c->stage);
    else
        printf(", %s", c->stage);
    printf(" (");
    for (size_t i = 0; i < c->n_followed; i++)
        printf("%s%s", i ? ", " : "", c->followed[i]);
    printf(")");
    if (c->latest) {
        const radar_mention_row *m = c->latest;
        printf("; latest: %s%s%s%s%s", m->date ? m->date : "undated", m->published_by ? ", " : "",
               m->published_by ? m->published_by : "", m->title ? ": " : "", m->title ? m->title : "");
        if (m->url)
            printf(" <%s>", m->url);
    }
    putchar('\n');
    fflush(stdout);
    a->told++;
    if (!a->webhook && !a->exec)
        return 0;
    json_t *j = radar_change_json(c);
    char *payload = j ? json_dumps(j, JSON_COMPACT | CLI_JSON_REAL) : NULL;
    json_decref(j);
    if (!payload) {
        cli_error("out of memory writing an alert");
        a->failed++;
        return 0;
    }
    radar_alert_options o = RADAR_ALERT_OPTIONS_INIT;
    o.stop = a->stop;
    if (a->webhook && radar_alert_post(a->webhook, payload, strlen(payload), &o, NULL)) {
        cli_error("alert for story %lld: %s; going on", s->id, radar_last_error());
        a->failed++;
    }
    if (a->exec && radar_alert_exec(a->exec, payload, strlen(payload), &o)) {
        cli_error("alert for story %lld: %s; going on", s->id, radar_last_error());
        a->failed++;
    }
    free(payload);
    return 0;
}

void cli_alerts_summary(const cli_alerts *a, long long dropped)
{
    if (dropped)
        cli_error("%lld more changes of followed stories than the %d told at once were not told", dropped,
                  RADAR_MAX_ALERTS);
    if (a->failed)
        cli_error("%lld alert%s could not be delivered (above)", a->failed, a->failed == 1 ? "" : "s");
}
