/*
 * output.c - extraction results as JSON Lines and as text for people.
 *
 * The JSON is written directly into a growable buffer (no document tree),
 * since output is on the hot path of `radar extract`. Schema: docs/extract.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "radar/output.h"
#include "../util/utf8.h"

static int jstr(radar_buf *b, const char *s)
{
    if (!s)
        return radar_buf_puts(b, "null");
    return radar_json_string(b, s, strlen(s));
}

/* Decimal digits of v into the end of buf; returns the start. */
static char *utoa_end(char *end, uint32_t v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

/* "[start, end]" without printf: spans are the bulk of the output. */
static int jspan(radar_buf *b, radar_span s)
{
    char buf[32], *end = buf + sizeof buf, *p = end;
    *--p = ']';
    p = utoa_end(p, s.end);
    *--p = ' ';
    *--p = ',';
    p = utoa_end(p, s.start);
    *--p = '[';
    return radar_buf_append(b, p, (size_t)(end - p));
}

static int jamount(radar_buf *b, double v)
{
    if (!isfinite(v))
        return radar_buf_puts(b, "null"); /* never reached: radar_money_parse bounds amounts */
    if (v == floor(v) && fabs(v) < 1e15)
        return radar_buf_printf(b, "%.0f", v);
    return radar_buf_printf(b, "%.2f", v);
}

static int jmoney(radar_buf *b, const radar_money *m)
{
    int rc = radar_buf_puts(b, "{\"amount\": ");
    rc = rc ? rc : jamount(b, m->amount);
    if (!rc && m->amount_max > m->amount) {
        rc = radar_buf_puts(b, ", \"amount_max\": ");
        rc = rc ? rc : jamount(b, m->amount_max);
    }
    rc = rc ? rc : radar_buf_printf(b, ", \"currency\": \"%s\", \"kind\": \"%s\"", m->currency, radar_fee_kind_name(m->kind));
    if (!rc && m->add_ons)
        rc = radar_buf_puts(b, ", \"add_ons\": true");
    rc = rc ? rc : radar_buf_puts(b, ", \"span\": ");
    rc = rc ? rc : jspan(b, m->span);
    return rc ? rc : radar_buf_putc(b, '}');
}

static int jstrings(radar_buf *b, const char *const *v, size_t n)
{
    int rc = radar_buf_putc(b, '[');
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = radar_buf_puts(b, ", ");
        rc = rc ? rc : jstr(b, v[i]);
    }
    return rc ? rc : radar_buf_putc(b, ']');
}

int radar_doc_write_json(const radar_doc *doc, radar_buf *b)
{
    const radar_article *a = doc->article;
    int rc = radar_buf_puts(b, "{\"id\": ");
    rc = rc ? rc : jstr(b, a->id);
    rc = rc ? rc : radar_buf_puts(b, ", \"date\": ");
    rc = rc ? rc : jstr(b, a->date);
    rc = rc ? rc : radar_buf_puts(b, ", \"source\": ");
    rc = rc ? rc : jstr(b, a->source);
    if (!rc && a->title) {
        rc = radar_buf_puts(b, ", \"title\": ");
        rc = rc ? rc : jstr(b, a->title);
    }
    if (!rc && a->url) {
        rc = radar_buf_puts(b, ", \"url\": ");
        rc = rc ? rc : jstr(b, a->url);
    }
    if (!rc && a->author) {
        rc = radar_buf_puts(b, ", \"author\": ");
        rc = rc ? rc : jstr(b, a->author);
    }
    rc = rc ? rc : radar_buf_puts(b, ", \"rumours\": [");
    for (size_t i = 0; i < doc->n_rumours && !rc; i++) {
        const radar_rumour *r = &doc->rumours[i];
        rc = radar_buf_puts(b, i ? ", {\"player\": " : "{\"player\": ");
        rc = rc ? rc : jstr(b, r->player);
        rc = rc ? rc : radar_buf_puts(b, ", \"from_club\": ");
        rc = rc ? rc : jstr(b, r->from_club);
        rc = rc ? rc : radar_buf_puts(b, ", \"to_club\": ");
        rc = rc ? rc : jstr(b, r->to_club);
        rc = rc ? rc : radar_buf_puts(b, ", \"stage\": \"");
        rc = rc ? rc : radar_buf_puts(b, radar_stage_name(r->stage));
        rc = rc ? rc : radar_buf_puts(b, "\", \"fee\": ");
        rc = rc ? rc : (r->has_fee ? jmoney(b, &r->fee) : radar_buf_puts(b, "null"));
        rc = rc ? rc : radar_buf_puts(b, ", \"suitors_also\": ");
        rc = rc ? rc : jstrings(b, r->suitors_also, r->n_suitors_also);
        rc = rc ? rc : radar_buf_puts(b, ", \"sources\": ");
        rc = rc ? rc : jstrings(b, r->sources, r->n_sources);
        rc = rc ? rc : radar_buf_puts(b, ", \"evidence\": [");
        for (size_t j = 0; j < r->n_evidence && !rc; j++) {
            if (j)
                rc = radar_buf_puts(b, ", ");
            rc = rc ? rc : jspan(b, r->evidence[j]);
        }
        rc = rc ? rc : radar_buf_puts(b, "]}");
    }
    rc = rc ? rc : radar_buf_puts(b, "], \"entities\": [");
    for (size_t i = 0; i < doc->n_mentions && !rc; i++) {
        const radar_mention *m = &doc->mentions[i];
        rc = radar_buf_puts(b, i ? ", {\"type\": \"" : "{\"type\": \"");
        rc = rc ? rc : radar_buf_puts(b, radar_mention_type_name(m->type));
        rc = rc ? rc : radar_buf_puts(b, "\", \"text\": ");
        rc = rc ? rc : radar_json_string(b, a->body + m->span.start, m->span.end - m->span.start);
        if (!rc && m->canonical) {
            rc = radar_buf_puts(b, ", \"canonical\": ");
            rc = rc ? rc : jstr(b, m->canonical);
        }
        if (!rc && m->type == RADAR_MENTION_AGE) {
            char num[16], *end = num + sizeof num;
            rc = radar_buf_puts(b, ", \"value\": ");
            char *p = utoa_end(end, (uint32_t)(m->age < 0 ? 0 : m->age));
            rc = rc ? rc : radar_buf_append(b, p, (size_t)(end - p));
        }
        if (!rc && m->referent)
            rc = radar_buf_puts(b, ", \"reference\": true");
        rc = rc ? rc : radar_buf_puts(b, ", \"span\": ");
        rc = rc ? rc : jspan(b, m->span);
        rc = rc ? rc : radar_buf_putc(b, '}');
    }
    rc = rc ? rc : radar_buf_puts(b, "], \"facts\": [");
    for (size_t i = 0; i < doc->n_facts && !rc; i++) {
        const radar_fact *f = &doc->facts[i];
        rc = radar_buf_puts(b, i ? ", {\"type\": \"" : "{\"type\": \"");
        rc = rc ? rc : radar_buf_puts(b, radar_fact_type_name(f->type));
        rc = rc ? rc : radar_buf_putc(b, '"');
        if (!rc && f->subject) {
            rc = radar_buf_puts(b, ", \"subject\": ");
            rc = rc ? rc : jstr(b, f->subject);
        }
        if (!rc && f->value) {
            rc = radar_buf_puts(b, f->type == RADAR_FACT_SOURCE ? ", \"name\": " : ", \"value\": ");
            rc = rc ? rc : jstr(b, f->value);
        }
        if (!rc && f->detail) {
            rc = radar_buf_puts(b, f->type == RADAR_FACT_SOURCE ? ", \"kind\": " : ", \"detail\": ");
            rc = rc ? rc : jstr(b, f->detail);
        }
        if (!rc && f->type == RADAR_FACT_QUOTE) {
            rc = radar_buf_puts(b, ", \"text\": ");
            rc = rc ? rc : radar_json_string(b, a->body + f->span.start, f->span.end - f->span.start);
        }
        rc = rc ? rc : radar_buf_puts(b, ", \"span\": ");
        rc = rc ? rc : jspan(b, f->span);
        rc = rc ? rc : radar_buf_putc(b, '}');
    }
    rc = rc ? rc : radar_buf_puts(b, "]}\n");
    return rc;
}

/* Quote body[span] on one line, shortened in the middle when long. */
static int quote(radar_buf *b, const radar_article *a, radar_span s)
{
    const char *p = a->body + s.start;
    size_t n = s.end - s.start;
    int rc = radar_buf_puts(b, "\"");
    for (size_t i = 0; i < n && !rc; i++) {
        char c = p[i];
        if (n > 400 && i == 180) {
            rc = radar_buf_puts(b, " [...] ");
            i = n - 180;
            continue;
        }
        rc = radar_buf_putc(b, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    return rc ? rc : radar_buf_puts(b, "\"");
}

int radar_doc_write_text(const radar_doc *doc, radar_buf *b)
{
    const radar_article *a = doc->article;
    int rc = radar_buf_printf(b, "== %s", a->id ? a->id : "(no id)");
    if (!rc && a->date)
        rc = radar_buf_printf(b, "  %s", a->date);
    if (!rc && a->source)
        rc = radar_buf_printf(b, "  %s", a->source);
    rc = rc ? rc : radar_buf_putc(b, '\n');
    if (!rc && a->title)
        rc = radar_buf_printf(b, "   %s\n", a->title);
    if (!rc && doc->n_rumours == 0)
        rc = radar_buf_puts(b, "   no transfer rumours\n");
    for (size_t i = 0; i < doc->n_rumours && !rc; i++) {
        const radar_rumour *r = &doc->rumours[i];
        rc = radar_buf_printf(b, "   %s: %s -> %s  [%s]", r->player, r->from_club ? r->from_club : "?", r->to_club,
                              radar_stage_name(r->stage));
        if (!rc && r->has_fee) {
            rc = radar_buf_printf(b, "  %s ", radar_fee_kind_name(r->fee.kind));
            rc = rc ? rc : jamount(b, r->fee.amount);
            rc = rc ? rc : radar_buf_printf(b, " %s", r->fee.currency);
        }
        rc = rc ? rc : radar_buf_putc(b, '\n');
        if (!rc && r->n_suitors_also) {
            rc = radar_buf_puts(b, "      also interested:");
            for (size_t j = 0; j < r->n_suitors_also && !rc; j++)
                rc = radar_buf_printf(b, "%s %s", j ? "," : "", r->suitors_also[j]);
            rc = rc ? rc : radar_buf_putc(b, '\n');
        }
        if (!rc && r->n_sources) {
            rc = radar_buf_puts(b, "      sources:");
            for (size_t j = 0; j < r->n_sources && !rc; j++)
                rc = radar_buf_printf(b, "%s %s", j ? "," : "", r->sources[j]);
            rc = rc ? rc : radar_buf_putc(b, '\n');
        }
        for (size_t j = 0; j < r->n_evidence && !rc; j++) {
            rc = radar_buf_printf(b, "      [%u-%u] ", r->evidence[j].start, r->evidence[j].end);
            rc = rc ? rc : quote(b, a, r->evidence[j]);
            rc = rc ? rc : radar_buf_putc(b, '\n');
        }
    }
    for (size_t i = 0; i < doc->n_facts && !rc; i++) {
        const radar_fact *f = &doc->facts[i];
        if (f->type == RADAR_FACT_SOURCE || f->type == RADAR_FACT_AGE)
            continue;
        rc = radar_buf_printf(b, "   fact %s", radar_fact_type_name(f->type));
        if (!rc && f->subject)
            rc = radar_buf_printf(b, " (%s)", f->subject);
        if (!rc && f->value)
            rc = radar_buf_printf(b, ": %s", f->value);
        if (!rc && f->detail)
            rc = radar_buf_printf(b, " %s", f->detail);
        rc = rc ? rc : radar_buf_puts(b, "  ");
        rc = rc ? rc : quote(b, a, f->span);
        rc = rc ? rc : radar_buf_putc(b, '\n');
    }
    return rc;
}
