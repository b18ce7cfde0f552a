/* The unit tests' shared set-up (fixture.h). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"

int rt_tmpdir(char *dir, size_t size, const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(dir, size, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (n < 0 || (size_t)n >= size)
        return -1;
    return mkdtemp(dir) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void rt_rmtree(const char *dir)
{
    if (dir && *dir)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

radar_put_result rt_put_article(radar_extractor *ex, radar_store *st, const radar_article *a)
{
    const radar_doc *doc = NULL;
    if (radar_extract(ex, a, &doc))
        fail_msg("radar_extract %s: %s", a->id, radar_last_error());
    radar_put_result r = (radar_put_result)-1;
    if (radar_store_begin(st))
        fail_msg("radar_store_begin %s: %s", a->id, radar_last_error());
    if (radar_store_put(st, a, doc, &r))
        fail_msg("radar_store_put %s: %s", a->id, radar_last_error());
    if (radar_store_commit(st))
        fail_msg("radar_store_commit %s: %s", a->id, radar_last_error());
    return r;
}

radar_put_result rt_put(radar_extractor *ex, radar_store *st, const char *id, const char *date,
                        const char *body)
{
    radar_article a = {.id = id, .date = date, .body = body, .body_len = strlen(body), .path = id, .line = 1};
    return rt_put_article(ex, st, &a);
}
