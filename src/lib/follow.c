/*
 * follow.c - a followed story's change as an alert: its JSON payload, a
 * webhook POST with retries, a command fed the payload (see radar/follow.h).
 *
 * A webhook is tried a few times with a growing wait, each try within a
 * timeout, so that a receiver that is down costs a bounded time and never
 * stops the caller, which reports the failure. A command runs under
 * /bin/sh with the payload on its standard input, and is killed when it
 * outlives the timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "radar/error.h"
#include "radar/fetch.h"
#include "radar/follow.h"
#include "radar/limits.h"
#include "radar/radar.h"

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *radar_change_json(const radar_change *c)
{
    json_t *followed = json_array();
    for (size_t i = 0; i < c->n_followed; i++)
        json_array_append_new(followed, json_string(c->followed[i]));
    json_t *latest = json_null();
    if (c->latest) {
        const radar_mention_row *m = c->latest;
        latest = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "article", str_or_null(m->article), "date",
                           str_or_null(m->date), "source", str_or_null(m->published_by), "title",
                           str_or_null(m->title), "url", str_or_null(m->url), "stage", str_or_null(m->stage));
    }
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "event",
                     c->kind == RADAR_CHANGE_NEW_STORY ? "new_story" : "stage_change", "stage", c->stage,
                     "previous_stage", str_or_null(c->previous_stage), "followed", followed, "story",
                     radar_story_row_json(c->story), "latest_report", latest, "radar", RADAR_VERSION);
}

static int stopped(const radar_alert_options *o) { return o->stop && *o->stop; }

/* Sleep ms milliseconds, in short steps so that a stop is seen. */
static void pause_ms(long ms, const radar_alert_options *o)
{
    while (ms > 0 && !stopped(o)) {
        long step = ms < 100 ? ms : 100;
        struct timespec ts = {0, step * 1000000L};
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

int radar_alert_post(const char *url, const char *json, size_t len, const radar_alert_options *opts, int *tries)
{
    radar_alert_options def = RADAR_ALERT_OPTIONS_INIT;
    const radar_alert_options *o = opts ? opts : &def;
    int attempts = o->attempts > 0 ? o->attempts : RADAR_ALERT_ATTEMPTS;
    long wait = o->retry_ms > 0 ? o->retry_ms : RADAR_ALERT_RETRY_MS;
    radar_fetch_options fo = RADAR_FETCH_OPTIONS_INIT;
    fo.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : RADAR_ALERT_TIMEOUT_MS;
    fo.max_bytes = 64 * 1024; /* the receiver's answer is not read */
    fo.allow_private = 1;     /* the user chose the address */
    fo.stop = o->stop;
    char last[1024] = "";
    int n = 0, rc = RADAR_EIO;
    for (; n < attempts && !stopped(o); n++) {
        if (n) {
            pause_ms(wait, o);
            wait *= 2;
            if (stopped(o))
                break;
        }
        radar_response r;
        rc = radar_fetch_post(&r, url, "application/json", json, len, &fo);
        radar_response_free(&r);
        if (!rc)
            break;
        snprintf(last, sizeof last, "%s", radar_last_error());
    }
    if (tries)
        *tries = n;
    if (!rc)
        return 0;
    return radar_error_set(RADAR_EIO, "webhook %s: not delivered after %d tr%s: %s", url, n, n == 1 ? "y" : "ies",
                           last[0] ? last : "stopped");
}

/* Write all of buf to fd; 0 or -1. A reader that exits early is no failure
 * of ours (EPIPE): its exit status says how it went. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return errno == EPIPE ? 0 : -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

int radar_alert_exec(const char *command, const char *json, size_t len, const radar_alert_options *opts)
{
    radar_alert_options def = RADAR_ALERT_OPTIONS_INIT;
    const radar_alert_options *o = opts ? opts : &def;
    long timeout = o->timeout_ms > 0 ? o->timeout_ms : RADAR_ALERT_TIMEOUT_MS;
    int in[2];
    if (pipe(in) != 0)
        return radar_error_set(RADAR_EIO, "--exec: cannot make a pipe: %s", strerror(errno));
    /* a command that does not read its input must not kill us with SIGPIPE */
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(in[0]);
        close(in[1]);
        sigaction(SIGPIPE, &old, NULL);
        return radar_error_set(RADAR_EIO, "--exec: cannot start '%s': %s", command, strerror(e));
    }
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        close(in[0]);
        close(in[1]);
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    int wrc = write_all(in[1], json, len);
    int werr = errno;
    close(in[1]);
    sigaction(SIGPIPE, &old, NULL);
    int status = 0, killed = 0;
    for (long waited = 0;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return radar_error_set(RADAR_EIO, "--exec: lost '%s': %s", command, strerror(errno));
        if (!killed && (waited >= timeout || stopped(o))) {
            kill(pid, SIGKILL);
            killed = 1;
        }
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
        waited += 10;
    }
    if (killed)
        return radar_error_set(RADAR_EIO, "--exec '%s': still running after %.3g s; killed", command,
                               timeout / 1000.0);
    if (wrc)
        return radar_error_set(RADAR_EIO, "--exec '%s': cannot write the alert to it: %s", command, strerror(werr));
    if (WIFSIGNALED(status))
        return radar_error_set(RADAR_EIO, "--exec '%s': killed by signal %d", command, WTERMSIG(status));
    if (WEXITSTATUS(status) == 127)
        return radar_error_set(RADAR_EIO, "--exec '%s': exited 127 (command not found?)", command);
    if (WEXITSTATUS(status))
        return radar_error_set(RADAR_EIO, "--exec '%s': exited %d", command, WEXITSTATUS(status));
    return 0;
}
