/*
 * atom.c - the story board as Atom feeds (see radar/atom.h).
 *
 * Written with libxml2's writer, which escapes markup; text from articles
 * (names as written) may hold bytes XML cannot carry, so every string is
 * first made XML-safe: invalid UTF-8 becomes U+FFFD and control characters
 * are dropped. An entry's id is a tag URI of the story's id, so a reader
 * sees one entry per story, updated as the story moves on.
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "radar/atom.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/radar.h"
#include "utf8.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define TAG_BASE "tag:transfer-radar.invalid,2024:"

typedef struct atom {
    xmlTextWriterPtr w;
    const char *base;
    char *safe; /* scratch for xml_safe */
    size_t cap;
    int failed;
} atom;

/* s as text XML can carry: valid UTF-8 (U+FFFD for a bad byte), no control
 * character but tab and newline. Returns scratch memory (until the next call). */
static const char *xml_safe(atom *a, const char *s)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    if (a->cap < len * 3 + 1) {
        char *p = realloc(a->safe, len * 3 + 1);
        if (!p) {
            a->failed = 1;
            return "";
        }
        a->safe = p;
        a->cap = len * 3 + 1;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t n = radar_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f || cp == 0xfffe || cp == 0xffff) {
            i += n;
            continue;
        }
        if (cp == 0xfffd && !(n == 3 && !memcmp(s + i, "\xef\xbf\xbd", 3))) {
            memcpy(a->safe + o, "\xef\xbf\xbd", 3);
            o += 3;
        } else {
            memcpy(a->safe + o, s + i, n);
            o += n;
        }
        i += n;
    }
    a->safe[o] = '\0';
    return a->safe;
}

static void check(atom *a, int rc)
{
    if (rc < 0)
        a->failed = 1;
}

static void element(atom *a, const char *name, const char *text)
{
    check(a, xmlTextWriterWriteElement(a->w, BAD_CAST name, BAD_CAST xml_safe(a, text)));
}

static void start(atom *a, const char *name) { check(a, xmlTextWriterStartElement(a->w, BAD_CAST name)); }
static void end(atom *a) { check(a, xmlTextWriterEndElement(a->w)); }
static void attr(atom *a, const char *name, const char *value)
{
    check(a, xmlTextWriterWriteAttribute(a->w, BAD_CAST name, BAD_CAST xml_safe(a, value)));
}

/* A link to `path` on the board ("/#/story/7"), absolute against base. */
static void atom_link(atom *a, const char *rel, const char *type, const char *path)
{
    char href[1024];
    snprintf(href, sizeof href, "%s%s", a->base, path);
    start(a, "link");
    attr(a, "rel", rel);
    if (type)
        attr(a, "type", type);
    attr(a, "href", href);
    end(a);
}

/* "YYYY-MM-DD" as an RFC 3339 time (midnight UTC); an undated story takes
 * `fallback`. */
static void day_time(const char *day, const char *fallback, char out[32])
{
    if (day && radar_date_valid(day, strlen(day)))
        snprintf(out, 32, "%.10sT00:00:00Z", day);
    else
        snprintf(out, 32, "%s", fallback);
}

/* A path segment percent-encoded (RFC 3986 unreserved kept). */
static void pct(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
}

static void entry(atom *a, const radar_story_row *s, const char *fallback)
{
    char buf[1024], when[32];
    start(a, "entry");
    snprintf(buf, sizeof buf, TAG_BASE "story:%lld", s->id);
    element(a, "id", buf);
    const char *stage = s->latest_stage && strcmp(s->latest_stage, s->stage ? s->stage : "") &&
                                (!strcmp(s->latest_stage, "rejected") || !strcmp(s->latest_stage, "collapsed") ||
                                 !strcmp(s->latest_stage, "denied"))
                            ? s->latest_stage
                            : s->stage;
    int staged = stage && strcmp(stage, "none");
    snprintf(buf, sizeof buf, "%s to %s%s%s", s->player ? s->player : "?", s->to_club ? s->to_club : "?",
             staged ? ": " : "", staged ? stage : "");
    element(a, "title", buf);
    day_time(s->last_seen, fallback, when);
    element(a, "updated", when);
    if (s->first_seen) {
        day_time(s->first_seen, fallback, when);
        element(a, "published", when);
    }
    snprintf(buf, sizeof buf, "/#/story/%lld", s->id);
    atom_link(a, "alternate", "text/html", buf);
    snprintf(buf, sizeof buf, "/api/stories/%lld", s->id);
    atom_link(a, "related", "application/json", buf);
    if (staged) {
        start(a, "category");
        attr(a, "term", stage);
        attr(a, "label", "stage");
        end(a);
    }
    /* the summary: what the board's row says, in a sentence or two */
    char lk[64] = "";
    if (s->has_likelihood)
        snprintf(lk, sizeof lk, " Likelihood %.0f%%.", s->likelihood * 100);
    snprintf(buf, sizeof buf, "%s to %s%s%s. Stage: %s. %lld mention%s from %lld source%s, first seen %s, last seen %s.%s%s%s%s",
             s->player ? s->player : "?", s->to_club ? s->to_club : "?", s->from_club ? " from " : "",
             s->from_club ? s->from_club : "", staged ? stage : "no stage yet", s->mentions,
             s->mentions == 1 ? "" : "s", s->sources, s->sources == 1 ? "" : "s",
             s->first_seen ? s->first_seen : "undated", s->last_seen ? s->last_seen : "undated", lk,
             s->outcome && strcmp(s->outcome, "open") ? " Outcome: " : "",
             s->outcome && strcmp(s->outcome, "open") ? s->outcome : "", s->outcome && strcmp(s->outcome, "open") ? "." : "");
    start(a, "summary");
    attr(a, "type", "text");
    check(a, xmlTextWriterWriteString(a->w, BAD_CAST xml_safe(a, buf)));
    end(a);
    end(a);
}

/* Newest sighting first; undated last; then by id, newest first. */
static int by_recent(const void *x, const void *y)
{
    const radar_story_row *a = x, *b = y;
    int c = (b->last_seen != NULL) - (a->last_seen != NULL);
    if (!c && a->last_seen)
        c = strcmp(b->last_seen, a->last_seen);
    return c ? c : (b->id > a->id) - (b->id < a->id);
}

int radar_atom_feed(radar_store *st, radar_atom_kind kind, const char *name, const char *base, char **out,
                    size_t *len)
{
    *out = NULL;
    *len = 0;
    if (kind != RADAR_ATOM_BOARD && (!name || !*name))
        return radar_error_set(RADAR_EINVALID, "a feed of a %s needs its name", kind == RADAR_ATOM_CLUB ? "club" : "player");
    radar_story_filter f = RADAR_STORY_FILTER_INIT;
    f.sort = "recent";
    f.limit = RADAR_MAX_FEED_ENTRIES;
    radar_story_list *l = NULL;
    radar_club_answer *club = NULL;
    radar_player_list *players = NULL;
    char title[512], self[700], alt[700], enc[3 * RADAR_MAX_FOLLOW_NAME + 1];
    int rc = 0;
    if (kind == RADAR_ATOM_CLUB) {
        f.club = name;
        if ((rc = radar_store_club_read(st, name, &club)))
            goto out;
        if (!club->n_linked_in && !club->n_linked_out && !club->n_facts) {
            rc = radar_error_set(RADAR_ENOTFOUND, "no story or fact names a club called '%s'", name);
            goto out;
        }
        snprintf(title, sizeof title, "Transfer Radar: %s", club->club);
        pct(club->club, enc, sizeof enc);
        snprintf(self, sizeof self, "/feeds/club/%s.atom", enc);
        snprintf(alt, sizeof alt, "/#/club/%s", enc);
    } else if (kind == RADAR_ATOM_PLAYER) {
        f.player = name;
        if ((rc = radar_store_player_read(st, name, &players)))
            goto out;
        const char *shown = players->n == 1 && players->v[0].name ? players->v[0].name : name;
        snprintf(title, sizeof title, "Transfer Radar: %s", shown);
        pct(name, enc, sizeof enc);
        snprintf(self, sizeof self, "/feeds/player/%s.atom", enc);
        snprintf(alt, sizeof alt, "/#/player/%s", enc);
    } else {
        snprintf(title, sizeof title, "Transfer Radar: the board");
        snprintf(self, sizeof self, "/feeds/board.atom");
        snprintf(alt, sizeof alt, "/");
    }
    if ((rc = radar_store_stories_list(st, &f, &l)))
        goto out;
    qsort(l->v, l->n, sizeof *l->v, by_recent);

    xmlBufferPtr xb = xmlBufferCreate();
    atom a = {xb ? xmlNewTextWriterMemory(xb, 0) : NULL, base ? base : "", NULL, 0, 0};
    if (!a.w) {
        xmlBufferFree(xb);
        rc = radar_error_set(RADAR_ENOMEM, "out of memory writing a feed");
        goto out;
    }
    /* the feed's updated: its newest entry's, else the epoch (a feed with
     * nothing in it has not changed) */
    char updated[32];
    day_time(l->n ? l->v[0].last_seen : NULL, "1970-01-01T00:00:00Z", updated);
    check(&a, xmlTextWriterSetIndent(a.w, 1));
    check(&a, xmlTextWriterStartDocument(a.w, "1.0", "UTF-8", NULL));
    start(&a, "feed");
    attr(&a, "xmlns", ATOM_NS);
    char id[1024];
    snprintf(id, sizeof id, TAG_BASE "feed%s", self + strlen("/feeds"));
    element(&a, "id", id);
    element(&a, "title", title);
    element(&a, "updated", updated);
    start(&a, "author");
    element(&a, "name", "Transfer Radar");
    end(&a);
    start(&a, "generator");
    attr(&a, "version", RADAR_VERSION);
    check(&a, xmlTextWriterWriteString(a.w, BAD_CAST "Transfer Radar"));
    end(&a);
    atom_link(&a, "self", "application/atom+xml", self);
    atom_link(&a, "alternate", "text/html", alt);
    for (size_t i = 0; i < l->n; i++)
        entry(&a, &l->v[i], updated);
    end(&a);
    check(&a, xmlTextWriterEndDocument(a.w));
    xmlFreeTextWriter(a.w);
    free(a.safe);
    if (a.failed || !(*out = malloc((size_t)xmlBufferLength(xb) + 1))) {
        xmlBufferFree(xb);
        rc = radar_error_set(RADAR_ENOMEM, "out of memory writing a feed");
        goto out;
    }
    *len = (size_t)xmlBufferLength(xb);
    memcpy(*out, xmlBufferContent(xb), *len);
    (*out)[*len] = '\0';
    xmlBufferFree(xb);
out:
    radar_story_list_free(l);
    radar_club_answer_free(club);
    radar_player_list_free(players);
    return rc;
}
