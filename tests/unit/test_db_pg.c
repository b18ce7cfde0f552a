/*
 * test_db_pg.c - the PostgreSQL connection (db_pg.h): URIs, passwords kept
 * out of messages, and, against a server started for the test by
 * tests/pg/pg-server.sh, errors that carry the server's message and are
 * never printed (nor are its notices), and COPY in and out with the text
 * format's escapes, and the store's statements prepared on the server when
 * run again. The server cases skip where the server packages are absent.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "radar/error.h"
#include "db_pg.h"
#include "sql.h"

static char server_dir[256];
static char uri[512];
static int server_absent = 1;

static void test_is_uri(void **state)
{
    (void)state;
    assert_true(radar_pg_is_uri("postgresql://"));
    assert_true(radar_pg_is_uri("postgres://u@h/db"));
    assert_false(radar_pg_is_uri("radar.db"));
    assert_false(radar_pg_is_uri("/tmp/postgresql://x"));
    assert_false(radar_pg_is_uri("postgresql:"));
    assert_false(radar_pg_is_uri(NULL));
}

static void test_shown(void **state)
{
    (void)state;
    char out[256];
    radar_pg_shown(out, sizeof out, "postgresql://radar:s3cr3t@db.example.org:5433/radar");
    assert_string_equal(out, "postgresql://radar:***@db.example.org:5433/radar");
    radar_pg_shown(out, sizeof out, "postgresql://radar@db/radar?sslmode=require&password=s3cr3t&connect_timeout=5");
    assert_string_equal(out, "postgresql://radar@db/radar?sslmode=require&password=***&connect_timeout=5");
    radar_pg_shown(out, sizeof out, "postgresql:///radar?password=p&host=/tmp");
    assert_string_equal(out, "postgresql:///radar?password=***&host=/tmp");
    /* no password: as given; a word ending in "password" is not one */
    radar_pg_shown(out, sizeof out, "postgresql:///radar?host=/tmp/x@y&application_name=nopassword");
    assert_string_equal(out, "postgresql:///radar?host=/tmp/x@y&application_name=nopassword");
    radar_pg_shown(out, sizeof out, "postgresql://u:p@h/d?xpassword=z");
    assert_string_equal(out, "postgresql://u:***@h/d?xpassword=z");
    /* a small buffer: cut, still a string */
    char tiny[8];
    radar_pg_shown(tiny, sizeof tiny, "postgresql://u:p@h/d");
    assert_int_equal(strlen(tiny), 7);
}

/* Standard error into a file while `fn` runs; what was written there. */
static char captured[4096];
static void capture_stderr(void (*fn)(void *), void *arg)
{
    char path[] = "/tmp/radar-stderr.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ssize_t n = pread(fd, captured, sizeof captured - 1, 0);
    captured[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
}

static void connect_nowhere(void *arg)
{
    radar_pg *pg = NULL;
    *(int *)arg = radar_pg_connect(&pg, "postgresql://radar:s3cr3t@/radar?host=/nonexistent-radar-socket-dir");
    assert_null(pg);
}

static void test_connect_fails(void **state)
{
    (void)state;
    int rc = 0;
    capture_stderr(connect_nowhere, &rc);
    assert_int_equal(rc, RADAR_EIO);
    assert_string_equal(captured, "");
    assert_non_null(strstr(radar_last_error(), "PostgreSQL: cannot connect"));
    assert_non_null(strstr(radar_last_error(), "/nonexistent-radar-socket-dir"));
    assert_null(strchr(radar_last_error(), '\n'));
}

/* ---- against a server ---------------------------------------------------------- */

static int start_server(void **state)
{
    (void)state;
    const char *fix = getenv("RADAR_FIXTURES");
    if (!fix)
        return 0;
    char script[1024];
    snprintf(script, sizeof script, "%s/../pg/pg-server.sh", fix);
    snprintf(server_dir, sizeof server_dir, "/tmp/radar-pgu.XXXXXX");
    if (!mkdtemp(server_dir))
        return -1;
    chmod(server_dir, 0755);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sh '%s' start '%s/pg' 2>'%s.log'", script, server_dir, server_dir);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    if (!fgets(uri, sizeof uri, p))
        uri[0] = '\0';
    int status = pclose(p);
    uri[strcspn(uri, "\n")] = '\0';
    if (status != 0)
        uri[0] = '\0';
    /* 77: no server packages here, the one reason to skip; anything else fails */
    server_absent = WIFEXITED(status) && WEXITSTATUS(status) == 77;
    return 0;
}

static int stop_server(void **state)
{
    (void)state;
    if (!server_dir[0])
        return 0;
    const char *fix = getenv("RADAR_FIXTURES");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sh '%s/../pg/pg-server.sh' stop '%s/pg'; rm -rf '%s'%s%s%s", fix ? fix : ".",
             server_dir, server_dir, uri[0] ? " '" : "", uri[0] ? server_dir : "", uri[0] ? ".log'" : "");
    return system(cmd) == 0 ? 0 : -1;
}

static radar_pg *connect_or_skip(void)
{
    if (!uri[0] && server_absent) {
        fprintf(stderr, "no PostgreSQL server for the test (the Debian package postgresql): skipped\n");
        skip();
    }
    if (!uri[0])
        fail_msg("the test server did not start (see %s.log)", server_dir);
    radar_pg *pg = NULL;
    assert_int_equal(radar_pg_connect(&pg, uri), 0);
    return pg;
}

typedef struct call {
    radar_pg *pg;
    const char *sql;
    int rc;
} call;

static void exec_call(void *arg)
{
    call *c = arg;
    c->rc = radar_pg_exec(c->pg, c->sql);
}

static void test_errors_and_notices(void **state)
{
    (void)state;
    radar_pg *pg = connect_or_skip();
    /* the server's message, its first line only, nothing printed */
    call c = {pg, "SELEC 1", 0};
    capture_stderr(exec_call, &c);
    assert_int_equal(c.rc, RADAR_EIO);
    assert_string_equal(captured, "");
    assert_non_null(strstr(radar_last_error(), "syntax error"));
    assert_null(strchr(radar_last_error(), '\n'));
    /* a notice (libpq prints these by default) goes nowhere */
    call n = {pg, "DO $$ BEGIN RAISE NOTICE 'a notice nobody asked for'; RAISE WARNING 'nor this'; END $$", 0};
    capture_stderr(exec_call, &n);
    assert_int_equal(n.rc, 0);
    assert_string_equal(captured, "");
    /* and a query's error the same way */
    radar_pg_result *r = NULL;
    assert_int_equal(radar_pg_query(pg, &r, "SELECT 1 / 0", 0, NULL), RADAR_EIO);
    assert_null(r);
    assert_non_null(strstr(radar_last_error(), "division by zero"));
    radar_pg_close(pg);
}

static void test_query_params(void **state)
{
    (void)state;
    radar_pg *pg = connect_or_skip();
    const char *params[2] = {"it's", NULL};
    radar_pg_result *r = NULL;
    assert_int_equal(radar_pg_query(pg, &r, "SELECT $1::text, $2::text, 42", 2, params), 0);
    assert_int_equal(radar_pg_rows(r), 1);
    assert_int_equal(radar_pg_columns(r), 3);
    assert_string_equal(radar_pg_value(r, 0, 0), "it's");
    assert_null(radar_pg_value(r, 0, 1));
    assert_string_equal(radar_pg_value(r, 0, 2), "42");
    radar_pg_result_free(r);
    radar_pg_result_free(NULL);
    radar_pg_close(pg);
    radar_pg_close(NULL);
}

static void test_copy_in_out(void **state)
{
    (void)state;
    radar_pg *pg = connect_or_skip();
    assert_int_equal(radar_pg_exec(pg, "CREATE TEMP TABLE t(n bigint, s text)"), 0);
    assert_int_equal(radar_pg_copy_in_begin(pg, "COPY t(n, s) FROM STDIN"), 0);
    /* escapes of the text format; a row split across two sends */
    const char rows[] = "1\ta\\tb\\nc\\\\d\n2\t\\N\n3\tÆ";
    assert_int_equal(radar_pg_copy_in_put(pg, rows, sizeof rows - 1), 0);
    assert_int_equal(radar_pg_copy_in_put(pg, "\xc3\x9e\n", 3), 0);
    long long n = -1;
    assert_int_equal(radar_pg_copy_in_end(pg, &n), 0);
    assert_int_equal(n, 3);
    radar_pg_result *r = NULL;
    assert_int_equal(radar_pg_query(pg, &r, "SELECT s FROM t ORDER BY n", 0, NULL), 0);
    assert_string_equal(radar_pg_value(r, 0, 0), "a\tb\nc\\d");
    assert_null(radar_pg_value(r, 1, 0));
    assert_string_equal(radar_pg_value(r, 2, 0), "Æ\xc3\x9e");
    radar_pg_result_free(r);
    /* and out again, escaped as it came in */
    assert_int_equal(radar_pg_copy_out_begin(pg, "COPY (SELECT n, s FROM t ORDER BY n) TO STDOUT"), 0);
    const char *row;
    size_t len;
    assert_int_equal(radar_pg_copy_out_next(pg, &row, &len), 1);
    assert_int_equal(len, strlen("1\ta\\tb\\nc\\\\d\n"));
    assert_memory_equal(row, "1\ta\\tb\\nc\\\\d\n", len);
    assert_int_equal(radar_pg_copy_out_next(pg, &row, &len), 1);
    assert_memory_equal(row, "2\t\\N\n", len);
    assert_int_equal(radar_pg_copy_out_next(pg, &row, &len), 1);
    assert_int_equal(radar_pg_copy_out_next(pg, &row, &len), 0);
    /* a bad row: the server's message from the end of the COPY; the connection goes on */
    assert_int_equal(radar_pg_copy_in_begin(pg, "COPY t(n, s) FROM STDIN"), 0);
    assert_int_equal(radar_pg_copy_in_put(pg, "x\ty\n", 4), 0);
    assert_int_equal(radar_pg_copy_in_end(pg, NULL), RADAR_EIO);
    assert_non_null(strstr(radar_last_error(), "invalid input syntax for type bigint"));
    assert_int_equal(radar_pg_query(pg, &r, "SELECT count(*) FROM t", 0, NULL), 0);
    assert_string_equal(radar_pg_value(r, 0, 0), "3");
    radar_pg_result_free(r);
    /* a COPY statement that is not one */
    assert_int_equal(radar_pg_copy_out_begin(pg, "COPY nowhere TO STDOUT"), RADAR_EIO);
    assert_non_null(strstr(radar_last_error(), "nowhere"));
    radar_pg_close(pg);
}

/* How many statements the session has prepared on the server, and whether
 * one of them has the text `text`. */
static int prepared(radar_pg *pg, const char *text)
{
    radar_pg_result *r = NULL;
    const char *params[1] = {text};
    assert_int_equal(radar_pg_query(pg, &r,
                                    "SELECT count(*), count(*) FILTER (WHERE statement = $1::text) "
                                    "FROM pg_prepared_statements",
                                    1, params),
                     0);
    int n = atoi(radar_pg_value(r, 0, 0));
    if (text)
        assert_string_equal(radar_pg_value(r, 0, 1), "1");
    radar_pg_result_free(r);
    return n;
}

/* Step s once and read its first column as an integer, its second as text. */
static void step_row(radar_sql_stmt *s, long long want, const char *want_text)
{
    assert_int_equal(radar_sql_step(s), RADAR_SQL_ROW);
    assert_int_equal(radar_sql_column_int64(s, 0), want);
    if (want_text)
        assert_string_equal((const char *)radar_sql_column_text(s, 1), want_text);
    else
        assert_int_equal(radar_sql_column_type(s, 1), RADAR_SQL_NULL);
    assert_int_equal(radar_sql_step(s), RADAR_SQL_DONE);
    assert_int_equal(radar_sql_reset(s), RADAR_SQL_OK);
}

static void test_sql_prepared(void **state)
{
    (void)state;
    radar_sql c = {0};
    c.pg = connect_or_skip();
    radar_sql_stmt *s = NULL;
    assert_int_equal(radar_sql_prepare(&c, "SELECT ?1 + 1, ?2", 1, &s), RADAR_SQL_OK);
    /* the first run is sent with its text: a statement run once costs no more */
    assert_int_equal(radar_sql_bind_int64(s, 1, 1), RADAR_SQL_OK);
    assert_int_equal(radar_sql_bind_text(s, 2, "a", -1, RADAR_SQL_TRANSIENT), RADAR_SQL_OK);
    step_row(s, 2, "a");
    assert_int_equal(prepared(c.pg, NULL), 0);
    /* run again: prepared once, then run by its name */
    assert_int_equal(radar_sql_bind_int64(s, 1, 2), RADAR_SQL_OK);
    step_row(s, 3, "a");
    assert_int_equal(prepared(c.pg, "SELECT $1 + 1, $2"), 1);
    assert_int_equal(radar_sql_bind_null(s, 2), RADAR_SQL_OK);
    step_row(s, 3, NULL);
    /* a value of another type: prepared again with it, the old one dropped */
    assert_int_equal(radar_sql_bind_double(s, 1, 2.0), RADAR_SQL_OK);
    assert_int_equal(radar_sql_bind_text(s, 2, "b", -1, RADAR_SQL_TRANSIENT), RADAR_SQL_OK);
    step_row(s, 3, "b");
    assert_int_equal(prepared(c.pg, "SELECT $1 + 1, $2"), 1);
    /* a type the text cannot take: the server's message, and the next run works */
    assert_int_equal(radar_sql_bind_text(s, 1, "x", -1, RADAR_SQL_TRANSIENT), RADAR_SQL_OK);
    assert_int_equal(radar_sql_step(s), RADAR_SQL_ERROR);
    assert_non_null(strstr(radar_sql_errmsg(&c), "operator does not exist"));
    radar_sql_reset(s);
    assert_int_equal(radar_sql_bind_int64(s, 1, 41), RADAR_SQL_OK);
    step_row(s, 42, "b");
    /* dropped on the server when finalized */
    radar_sql_finalize(s);
    assert_int_equal(prepared(c.pg, NULL), 0);
    free(c.pg_error);
    radar_pg_close(c.pg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_uri),
        cmocka_unit_test(test_shown),
        cmocka_unit_test(test_connect_fails),
        cmocka_unit_test(test_errors_and_notices),
        cmocka_unit_test(test_query_params),
        cmocka_unit_test(test_copy_in_out),
        cmocka_unit_test(test_sql_prepared),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
