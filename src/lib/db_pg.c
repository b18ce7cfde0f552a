/*
 * db_pg.c - the PostgreSQL connection behind the store (see db_pg.h).
 *
 * A thin layer over libpq whose point is the error discipline: every failure
 * becomes a radar_error with the server's message (its first line, which
 * names the problem; the rest is context for a human at psql), and the
 * notices libpq would print on stderr are dropped, as the library never
 * prints.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/buf.h"
#include "radar/error.h"
#include "db_pg.h"

struct radar_pg {
    PGconn *conn;
    char *copy_row; /* the last row radar_pg_copy_out_next returned (libpq's memory) */
    char sqlstate[6]; /* of the last failure: "40P01", a deadlock; "23505", a unique key */
};

struct radar_pg_result {
    PGresult *res;
};

int radar_pg_is_uri(const char *target)
{
    return target && (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11));
}

void radar_pg_shown(char *out, size_t cap, const char *uri)
{
    radar_buf b = RADAR_BUF_INIT;
    const char *p = uri;
    const char *scheme = strstr(uri, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
    if (at && (!slash || at < slash)) {
        /* user:password@host: the user stays */
        const char *colon = memchr(scheme + 3, ':', (size_t)(at - (scheme + 3)));
        if (colon) {
            radar_buf_append(&b, uri, (size_t)(colon - uri));
            radar_buf_puts(&b, ":***");
            p = at;
        }
    }
    /* password=... among the query parameters */
    for (;;) {
        const char *pw = strstr(p, "password=");
        if (!pw || (pw > uri && pw[-1] != '?' && pw[-1] != '&')) {
            if (!pw) {
                radar_buf_puts(&b, p);
                break;
            }
            radar_buf_append(&b, p, (size_t)(pw + 9 - p));
            p = pw + 9;
            continue;
        }
        radar_buf_append(&b, p, (size_t)(pw + 9 - p));
        radar_buf_puts(&b, "***");
        p = pw + 9 + strcspn(pw + 9, "&");
    }
    snprintf(out, cap, "%s", b.data ? b.data : uri);
    radar_buf_free(&b);
}

/* libpq's message without its trailing newline, and only its first line
 * (later lines are libpq's context: "LINE 1: ...", carets). */
static int pg_fail(int code, const char *what, const char *msg)
{
    if (!msg || !*msg)
        msg = "no message from the server";
    size_t n = strcspn(msg, "\n");
    return radar_error_set(code, "PostgreSQL: %s: %.*s", what, (int)n, msg);
}

static int result_fail(const char *what, PGconn *conn, PGresult *res)
{
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(conn);
    /* out of memory in libpq has no result at all */
    return pg_fail(res || PQstatus(conn) != CONNECTION_OK ? RADAR_EIO : RADAR_ENOMEM, what, msg);
}

static void drop_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int radar_pg_connect(radar_pg **out, const char *uri)
{
    *out = NULL;
    radar_pg *pg = calloc(1, sizeof *pg);
    if (!pg)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    /* the URI's parameters, then libpq's environment variables (PGHOST,
     * PGUSER, PGPASSWORD, PGSERVICE...) for what it does not say */
    pg->conn = PQconnectdb(uri);
    if (!pg->conn) {
        free(pg);
        return radar_error_set(RADAR_ENOMEM, "out of memory connecting to PostgreSQL");
    }
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        int rc = pg_fail(RADAR_EIO, "cannot connect", PQerrorMessage(pg->conn));
        radar_pg_close(pg);
        return rc;
    }
    PQsetNoticeProcessor(pg->conn, drop_notice, NULL);
    /* text we send and read is UTF-8 whatever the server's locale */
    if (PQsetClientEncoding(pg->conn, "UTF8") != 0) {
        int rc = pg_fail(RADAR_EIO, "setting the client encoding", PQerrorMessage(pg->conn));
        radar_pg_close(pg);
        return rc;
    }
    /* what this session needs whatever the server's or database's defaults:
     * doubles written exactly (not rounded, as extra_float_digits = 0 does),
     * bytea in hex, backslashes in literals taken as written */
    int rc = radar_pg_exec(pg, "SET extra_float_digits = 3; SET bytea_output = 'hex'; "
                            "SET standard_conforming_strings = on");
    if (rc) {
        radar_pg_close(pg);
        return rc;
    }
    *out = pg;
    return 0;
}

int radar_pg_refuse_standby(radar_pg *pg, const char *shown)
{
    radar_pg_result *r;
    int rc = radar_pg_query(pg, &r, "SELECT pg_is_in_recovery()", 0, NULL);
    if (rc)
        return rc;
    const char *v = radar_pg_rows(r) == 1 ? radar_pg_value(r, 0, 0) : NULL;
    int standby = v && !strcmp(v, "t");
    radar_pg_result_free(r);
    if (standby)
        return radar_error_set(RADAR_EINVALID,
                               "%s: a read-only server (a hot standby, replaying its primary's changes), which "
                               "answers the questions but takes no writes: write to its primary",
                               shown);
    return 0;
}

void radar_pg_close(radar_pg *pg)
{
    if (!pg)
        return;
    PQfreemem(pg->copy_row);
    PQfinish(pg->conn);
    free(pg);
}

/* Keep the SQLSTATE of a failed result (empty when there is none). */
static void keep_state(radar_pg *pg, const PGresult *res)
{
    const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(pg->sqlstate, sizeof pg->sqlstate, "%s", code ? code : "");
}

int radar_pg_exec(radar_pg *pg, const char *sql)
{
    PGresult *res = PQexec(pg->conn, sql);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        keep_state(pg, res);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : result_fail("running a statement", pg->conn, res);
    PQclear(res);
    return rc;
}

/* Keep a result that ran, or fail with the server's message. */
static int keep_result(radar_pg *pg, radar_pg_result **out, PGresult *res, const char *what)
{
    /* a statement that returns no rows (an INSERT, a SET) is a result of none */
    if (!res || (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)) {
        keep_state(pg, res);
        int rc = result_fail(what, pg->conn, res);
        PQclear(res);
        return rc;
    }
    radar_pg_result *r = malloc(sizeof *r);
    if (!r) {
        PQclear(res);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    r->res = res;
    *out = r;
    return 0;
}

int radar_pg_query(radar_pg *pg, radar_pg_result **out, const char *sql, int n_params, const char *const *params)
{
    return radar_pg_query_typed(pg, out, sql, n_params, params, NULL);
}

int radar_pg_query_typed(radar_pg *pg, radar_pg_result **out, const char *sql, int n_params,
                         const char *const *params, const unsigned *types)
{
    *out = NULL;
    return keep_result(pg, out, PQexecParams(pg->conn, sql, n_params, (const Oid *)types, params, NULL, NULL, 0),
                       "running a query");
}

int radar_pg_prepare(radar_pg *pg, const char *name, const char *sql, int n_params, const unsigned *types)
{
    PGresult *res = PQprepare(pg->conn, name, sql, n_params, (const Oid *)types);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK)
        keep_state(pg, res);
    int rc = s == PGRES_COMMAND_OK ? 0 : result_fail("preparing a statement", pg->conn, res);
    PQclear(res);
    return rc;
}

int radar_pg_query_prepared(radar_pg *pg, radar_pg_result **out, const char *name, int n_params,
                            const char *const *params)
{
    *out = NULL;
    return keep_result(pg, out, PQexecPrepared(pg->conn, name, n_params, params, NULL, NULL, 0), "running a query");
}

void radar_pg_deallocate(radar_pg *pg, const char *name)
{
    if (PQtransactionStatus(pg->conn) == PQTRANS_INERROR || PQstatus(pg->conn) != CONNECTION_OK)
        return;
    char sql[80];
    snprintf(sql, sizeof sql, "DEALLOCATE \"%s\"", name);
    PQclear(PQexec(pg->conn, sql));
}

int radar_pg_rows(const radar_pg_result *r)
{
    return PQntuples(r->res);
}

unsigned radar_pg_type(const radar_pg_result *r, int column)
{
    return (unsigned)PQftype(r->res, column);
}

int radar_pg_columns(const radar_pg_result *r)
{
    return PQnfields(r->res);
}

const char *radar_pg_value(const radar_pg_result *r, int row, int column)
{
    return PQgetisnull(r->res, row, column) ? NULL : PQgetvalue(r->res, row, column);
}

long long radar_pg_changes(const radar_pg_result *r)
{
    return strtoll(PQcmdTuples(r->res), NULL, 10);
}

const char *radar_pg_sqlstate(const radar_pg *pg)
{
    return pg->sqlstate;
}

int radar_pg_in_transaction(const radar_pg *pg)
{
    PGTransactionStatusType t = PQtransactionStatus(pg->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

void radar_pg_result_free(radar_pg_result *r)
{
    if (!r)
        return;
    PQclear(r->res);
    free(r);
}

/* Start a COPY: the statement must answer with the COPY state `want`. */
static int copy_begin(radar_pg *pg, const char *sql, ExecStatusType want)
{
    PGresult *res = PQexec(pg->conn, sql);
    int rc = res && PQresultStatus(res) == want ? 0 : result_fail("starting a COPY", pg->conn, res);
    PQclear(res);
    return rc;
}

int radar_pg_copy_in_begin(radar_pg *pg, const char *sql)
{
    return copy_begin(pg, sql, PGRES_COPY_IN);
}

int radar_pg_copy_in_put(radar_pg *pg, const char *data, size_t len)
{
    /* PQputCopyData takes an int length: send a large block in pieces */
    while (len > 0) {
        int n = len > (1u << 30) ? 1 << 30 : (int)len;
        if (PQputCopyData(pg->conn, data, n) != 1)
            return pg_fail(RADAR_EIO, "sending rows", PQerrorMessage(pg->conn));
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int radar_pg_copy_in_end(radar_pg *pg, long long *rows)
{
    int rc = 0;
    if (PQputCopyEnd(pg->conn, NULL) != 1)
        rc = pg_fail(RADAR_EIO, "ending a COPY", PQerrorMessage(pg->conn));
    /* the COPY's own result, then the end of the command */
    PGresult *res;
    while ((res = PQgetResult(pg->conn))) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            if (!rc)
                rc = result_fail("loading rows", pg->conn, res);
        } else if (rows) {
            *rows = strtoll(PQcmdTuples(res), NULL, 10);
        }
        PQclear(res);
    }
    return rc;
}

int radar_pg_copy_out_begin(radar_pg *pg, const char *sql)
{
    return copy_begin(pg, sql, PGRES_COPY_OUT);
}

int radar_pg_copy_out_next(radar_pg *pg, const char **row, size_t *len)
{
    PQfreemem(pg->copy_row);
    pg->copy_row = NULL;
    char *buf = NULL;
    int n = PQgetCopyData(pg->conn, &buf, 0);
    if (n > 0) {
        pg->copy_row = buf;
        *row = buf;
        *len = (size_t)n;
        return 1;
    }
    if (n == -2)
        return pg_fail(RADAR_EIO, "reading rows", PQerrorMessage(pg->conn));
    /* the COPY is over: its result says whether it went well */
    int rc = 0;
    PGresult *res;
    while ((res = PQgetResult(pg->conn))) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && !rc)
            rc = result_fail("reading rows", pg->conn, res);
        PQclear(res);
    }
    return rc;
}
