/*
 * test_csv.c - the CSV reader (src/util/csv.c), table driven: each case is a
 * text, the records it holds with their fields joined by '|' and the line
 * each starts on, or the error it stops with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csv.h"
#include "radar/error.h"

typedef struct ccase {
    const char *name, *text;
    const char *records; /* "line:f|f|f;line:f|f" ("-" for an empty field) */
    const char *error;   /* a piece of the message of the error it stops with, or NULL */
} ccase;

static const ccase cases[] = {
    {"plain", "a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;", NULL},
    {"crlf_and_no_final_newline", "a,b\r\n1,2", "1:a|b;2:1|2;", NULL},
    {"quoted_comma", "name,club\n\"Silva, Bernardo\",City\n", "1:name|club;2:Silva, Bernardo|City;", NULL},
    {"quoted_quote", "x\n\"say \"\"hi\"\"\"\n", "1:x;2:say \"hi\";", NULL},
    {"quoted_newline_counts_lines", "a,b\n\"one\ntwo\",3\n4,5\n", "1:a|b;2:one\ntwo|3;4:4|5;", NULL},
    {"empty_fields", "a,,c\n,,\n", "1:a|-|c;2:-|-|-;", NULL},
    {"blank_lines_skipped", "a\n\n\nb\n", "1:a;4:b;", NULL},
    {"blanks_trimmed", " a , b \n", "1:a|b;", NULL},
    {"byte_order_mark", "\xEF\xBB\xBFid,name\n", "1:id|name;", NULL},
    {"unclosed_quote", "a\n\"never closed\n", "1:a;", "t.csv:2: a quoted field is never closed"},
};

static void describe(radar_csv *c, char *out, size_t cap, int *err)
{
    size_t n = 0;
    int rc;
    out[0] = '\0';
    while (!(rc = radar_csv_next(c))) {
        n += (size_t)snprintf(out + n, cap - n, "%lu:", c->rec_line);
        for (size_t i = 0; i < c->n; i++) {
            const char *f = radar_csv_field(c, (int)i);
            n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "|" : "", f ? f : "-");
        }
        n += (size_t)snprintf(out + n, cap - n, ";");
    }
    *err = rc == 1 ? 0 : rc;
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const ccase *k = &cases[i];
        radar_csv c;
        radar_csv_init(&c, "t.csv", k->text, strlen(k->text));
        char got[512];
        int err;
        describe(&c, got, sizeof got, &err);
        radar_csv_free(&c);
        if (strcmp(got, k->records))
            fail_msg("%s: records '%s', want '%s'", k->name, got, k->records);
        if (!k->error && err)
            fail_msg("%s: error %s", k->name, radar_last_error());
        if (k->error && (err != RADAR_EFORMAT || !strstr(radar_last_error(), k->error)))
            fail_msg("%s: want the error '%s', got %d '%s'", k->name, k->error, err, radar_last_error());
    }
}

static void test_header_columns(void **state)
{
    (void)state;
    const char *t = "player_id,Name,date_of_birth\n";
    radar_csv c;
    radar_csv_init(&c, "h.csv", t, strlen(t));
    assert_int_equal(radar_csv_next(&c), 0);
    assert_int_equal(radar_csv_column(&c, "name"), 1);
    assert_int_equal(radar_csv_column(&c, "date_of_birth"), 2);
    assert_int_equal(radar_csv_column(&c, "position"), -1);
    assert_null(radar_csv_field(&c, 7));
    radar_csv_free(&c);
}

static void test_too_many_fields(void **state)
{
    (void)state;
    char t[4 * RADAR_MAX_CSV_FIELDS + 8];
    size_t n = 0;
    for (unsigned i = 0; i <= RADAR_MAX_CSV_FIELDS; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "x,");
    radar_csv c;
    radar_csv_init(&c, "wide.csv", t, n);
    assert_int_equal(radar_csv_next(&c), RADAR_EFORMAT);
    assert_non_null(strstr(radar_last_error(), "wide.csv:1: more than"));
    radar_csv_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_header_columns),
        cmocka_unit_test(test_too_many_fields),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
