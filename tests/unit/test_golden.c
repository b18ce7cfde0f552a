/*
 * test_golden.c - golden files: every article in tests/fixtures/articles/ is
 * read, extracted and written as JSON Lines, and the output must equal
 * tests/fixtures/expected/<name>.jsonl byte for byte (<name> is the file name
 * without its extension). With RADAR_REGEN=1 in the environment the expected
 * files are rewritten instead; review the diff before committing them.
 */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/radar.h"

static radar_lexicon *LEX;
static radar_extractor *EX;
static const char *FIXTURES;

typedef struct run {
    radar_buf out;
    int failed;
} run;

/* Reader callback: extract each article and append its JSON line. Reader
 * warnings and failures are written as comment-like lines too, so that a
 * change in what the reader reports also shows in the diff. */
static int on_item(void *user, radar_read_event ev, const radar_article *a, const char *msg)
{
    run *r = user;
    if (ev != RADAR_READ_ARTICLE) {
        /* keep only the part after the path, which differs between machines */
        const char *rel = strstr(msg, "/articles/");
        radar_buf_printf(&r->out, "# %s: %s\n", ev == RADAR_READ_WARNING ? "warning" : "failure",
                         rel ? rel + 10 : msg);
        return 0;
    }
    const radar_doc *doc;
    if (radar_extract(EX, a, &doc) || radar_doc_write_json(doc, &r->out)) {
        r->failed = 1;
        return 1;
    }
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    radar_buf b = RADAR_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        radar_buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    if (!b.data)
        b.data = calloc(1, 1);
    return b.data;
}

/* First line where a and b differ (1-based), for the failure message. */
static size_t first_diff_line(const char *a, size_t al, const char *b, size_t bl)
{
    size_t line = 1;
    for (size_t i = 0; i < al && i < bl; i++) {
        if (a[i] != b[i])
            return line;
        line += a[i] == '\n';
    }
    return line;
}

static void check_fixture(void **state)
{
    const char *file = *state;
    char path[1024], expected[1024], name[256];
    snprintf(path, sizeof path, "%s/articles/%s", FIXTURES, file);
    snprintf(name, sizeof name, "%s", file);
    char *dot = strrchr(name, '.');
    if (dot)
        *dot = '\0';
    snprintf(expected, sizeof expected, "%s/expected/%s.jsonl", FIXTURES, name);

    run r = {RADAR_BUF_INIT, 0};
    radar_buf_puts(&r.out, ""); /* so that data is never NULL */
    assert_int_equal(radar_read_path(path, NULL, on_item, &r), 0);
    assert_false(r.failed);

    const char *regen = getenv("RADAR_REGEN");
    if (regen && strcmp(regen, "1") == 0) {
        FILE *f = fopen(expected, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(r.out.data, 1, r.out.len, f), r.out.len);
        assert_int_equal(fclose(f), 0);
        print_message("regenerated %s\n", expected);
        radar_buf_free(&r.out);
        return;
    }
    size_t len = 0;
    char *want = read_file(expected, &len);
    if (!want) {
        radar_buf_free(&r.out);
        fail_msg("%s is missing; run with RADAR_REGEN=1 to create it", expected);
    }
    int same = len == r.out.len && memcmp(want, r.out.data, len) == 0;
    size_t line = first_diff_line(want, len, r.out.data, r.out.len);
    free(want);
    if (!same) {
        print_error("output for %s differs from %s at line %zu:\n%s", file, expected, line, r.out.data);
        radar_buf_free(&r.out);
        fail_msg("golden mismatch for %s (RADAR_REGEN=1 rewrites the expected file)", file);
    }
    radar_buf_free(&r.out);
}

static int fixture_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && ((n > 4 && strcmp(d->d_name + n - 4, ".txt") == 0) ||
                                   (n > 6 && strcmp(d->d_name + n - 6, ".jsonl") == 0));
}

int main(void)
{
    FIXTURES = getenv("RADAR_FIXTURES");
    if (!FIXTURES) {
        fprintf(stderr, "RADAR_FIXTURES is not set (ctest sets it to tests/fixtures)\n");
        return 1;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/articles", FIXTURES);
    struct dirent **names;
    int n = scandir(dir, &names, fixture_file, alphasort);
    if (n <= 0) {
        fprintf(stderr, "no fixture articles in %s\n", dir);
        return 1;
    }
    struct CMUnitTest *tests = calloc((size_t)n, sizeof *tests);
    char **files = calloc((size_t)n, sizeof *files);
    for (int i = 0; i < n; i++) {
        files[i] = strdup(names[i]->d_name);
        tests[i] = (struct CMUnitTest){files[i], check_fixture, NULL, NULL, files[i]};
        free(names[i]);
    }
    free(names);
    int rc = 1;
    if (radar_lexicon_new_builtin(&LEX) == 0 && radar_extractor_new(&EX, LEX) == 0)
        rc = _cmocka_run_group_tests("golden", tests, (size_t)n, NULL, NULL);
    radar_extractor_free(EX);
    radar_lexicon_free(LEX);
    for (int i = 0; i < n; i++)
        free(files[i]);
    free(files);
    free(tests);
    return rc;
}
