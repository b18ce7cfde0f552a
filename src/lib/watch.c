/*
 * watch.c - one poll of the subscribed feeds (see radar/watch.h).
 *
 * The feed list comes from the store as JSON; for each due feed: a
 * conditional GET, the body read by the article reader (feeds are recognised
 * by content like files), and each item either skipped (stored already, by
 * id or link), stored from the feed's text, or, when the feed gives only a
 * summary, stored from its page. The page keeps the item's id and link, so
 * the next poll knows it; what the page lacks (date, title, author) comes
 * from the item, and a page with no text falls back to the summary.
 */
#include <libxml/uri.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/watch.h"
#include "web.h"

typedef struct poll_ctx {
    radar_store *st;
    radar_extractor *ex;
    const radar_watch_options *o;
    radar_watch_fn fn;
    void *user;
    const char *feed; /* name for messages */
    const char *url;  /* the feed's address, against which item links are resolved */
    radar_watch_counts *c;
    long long stored, known, failed, read;
    char *title; /* the feed's title, from its items */
    int fatal;   /* the store failed: stop everything */
    int stopped;
    int retry; /* an item's page could not be fetched: read the whole feed next time */
    char failure[600]; /* the reader's last failure, for a feed that gave no item at all */
    int feed_private;  /* the feed answered from a loopback, private or link-local address */
} poll_ctx;

static void say(poll_ctx *p, radar_watch_event ev, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(poll_ctx *p, radar_watch_event ev, const char *fmt, ...)
{
    char msg[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->fn(p->user, ev, p->feed, msg);
}

static int stopping(const poll_ctx *p) { return p->o->fetch.stop && *p->o->fetch.stop; }

long long radar_watch_backoff(int failures)
{
    long long d = 60;
    for (int i = 1; i < failures && d < 6 * 3600; i++)
        d *= 2;
    return d < 6 * 3600 ? d : 6 * 3600;
}

/* Extract and store one article in its own transaction. */
static int store(poll_ctx *p, const radar_article *a)
{
    const radar_doc *doc;
    radar_put_result r;
    if (radar_extract(p->ex, a, &doc)) {
        p->failed++;
        say(p, RADAR_WATCH_ITEM_FAILED, "%s: article %s could not be extracted: %s", a->path, a->id,
            radar_last_error());
        return 0;
    }
    int rc;
    if ((rc = radar_store_begin(p->st)))
        goto fatal;
    if ((rc = radar_store_put(p->st, a, doc, &r))) {
        radar_store_rollback(p->st);
        goto fatal;
    }
    if ((rc = radar_store_commit(p->st)))
        goto fatal;
    p->stored++;
    p->c->rumours += (long long)doc->n_rumours;
    say(p, RADAR_WATCH_STORED, "stored %s (%s%s%s), %zu rumour%s", a->url ? a->url : a->id, a->date ? a->date : "no date",
        a->title ? ": " : "", a->title ? a->title : "", doc->n_rumours, doc->n_rumours == 1 ? "" : "s");
    return 0;
fatal:
    p->fatal = rc;
    return rc;
}

typedef struct page_ctx {
    poll_ctx *p;
    const radar_article *item;
    int stored, warned;
    char failure[1200];
} page_ctx;

static int on_page(void *user, radar_read_event ev, const radar_article *page, const char *msg)
{
    page_ctx *g = user;
    if (ev == RADAR_READ_WARNING) {
        say(g->p, RADAR_WATCH_WARNING, "%s", msg);
        return 0;
    }
    if (ev == RADAR_READ_FAILURE) {
        snprintf(g->failure, sizeof g->failure, "%s", msg);
        return 0;
    }
    if (g->stored)
        return 0; /* a page is one article; a feed behind a link is not followed */
    const radar_article *it = g->item;
    radar_article a = *page;
    a.id = it->id;
    a.url = it->url;
    if (!a.date)
        a.date = it->date;
    if (!a.title)
        a.title = it->title;
    if (!a.author)
        a.author = it->author;
    if (!a.source)
        a.source = it->source;
    a.partial = 0;
    g->stored = 1;
    return store(g->p, &a) ? 1 : 0;
}

static int fetch_page(poll_ctx *p, const radar_article *a);

static int on_item(void *user, radar_read_event ev, const radar_article *a, const char *msg)
{
    poll_ctx *p = user;
    if (stopping(p)) {
        p->stopped = 1;
        return 1;
    }
    if (ev == RADAR_READ_WARNING) {
        say(p, RADAR_WATCH_WARNING, "%s", msg);
        return 0;
    }
    if (ev == RADAR_READ_FAILURE) {
        p->failed++;
        snprintf(p->failure, sizeof p->failure, "%s", msg);
        say(p, RADAR_WATCH_ITEM_FAILED, "%s", msg);
        return 0;
    }
    p->read++;
    p->c->items++;
    if (!p->title && a->source)
        p->title = strdup(a->source);
    int found = 0, rc;
    if ((rc = radar_store_has_item(p->st, a->id, a->url, &found))) {
        p->fatal = rc;
        return 1;
    }
    if (found) {
        p->known++;
        return 0;
    }
    if (!a->partial || !a->url)
        return store(p, a) ? 1 : 0;
    /* a summary: the article is on its page (a relative link is relative to the feed) */
    xmlChar *abs = xmlBuildURI(BAD_CAST a->url, BAD_CAST p->url);
    radar_article item = *a;
    if (abs)
        item.url = (const char *)abs;
    rc = fetch_page(p, &item);
    xmlFree(abs);
    return rc;
}

static int fetch_page(poll_ctx *p, const radar_article *a)
{
    radar_fetch_options fo = p->o->fetch;
    fo.etag = fo.last_modified = NULL;
    /* an item may lead inside only from inside, and only when allowed */
    fo.allow_private = p->o->allow_private && p->feed_private;
    radar_response page;
    int rc = radar_fetch(&page, a->url, &fo);
    if (rc) {
        if (stopping(p)) {
            radar_response_free(&page);
            p->stopped = 1;
            return 1;
        }
        p->failed++;
        if (rc == RADAR_EINVALID && page.private_address) {
            /* refused by policy: a feed on a private network is read whole
             * again next time (a run with --allow-private may fetch it);
             * a public feed's item never will be */
            p->retry |= p->feed_private;
            say(p, RADAR_WATCH_ITEM_FAILED, "item %s: %s (%s)", a->id, radar_last_error(),
                p->feed_private ? "radar watch --allow-private fetches the pages a feed on a private network links to"
                                : "the feed is on a public address: its items may not lead to a private one");
            radar_response_free(&page);
            return 0;
        }
        p->retry = 1;
        say(p, RADAR_WATCH_ITEM_FAILED, "item %s: %s; tried again at the next poll", a->id, radar_last_error());
        radar_response_free(&page);
        return 0;
    }
    page_ctx g = {p, a, 0, 0, ""};
    radar_read_options ro = RADAR_READ_OPTIONS_INIT;
    ro.charset = page.charset;
    rc = radar_read_buffer(a->url, page.body.data ? page.body.data : "", page.body.len, &ro, on_page, &g);
    radar_response_free(&page);
    if (p->fatal)
        return 1;
    if (!g.stored) {
        say(p, RADAR_WATCH_WARNING, "%s; the feed's summary was stored instead", g.failure[0] ? g.failure : a->url);
        return store(p, a) ? 1 : 0;
    }
    return 0;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long jint(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

static int poll_feed(radar_store *st, radar_extractor *ex, const radar_watch_options *o, long long now,
                     radar_watch_fn fn, void *user, radar_watch_counts *c, json_t *f)
{
    const char *url = jstr(f, "url");
    poll_ctx p = {st, ex, o, fn, user, jstr(f, "name") ? jstr(f, "name") : url, url, c, 0, 0, 0, 0, NULL, 0, 0, 0, "", 0};
    int failures = (int)jint(f, "failures");
    radar_feed_state s = {0};
    s.id = jint(f, "id");
    s.etag = jstr(f, "etag");
    s.last_modified = jstr(f, "last_modified");
    s.failures = failures;
    s.error = jstr(f, "last_error");
    s.last_poll = jint(f, "last_poll");
    s.next_poll = jint(f, "next_poll");
    int due = s.next_poll <= now || (o->ignore_schedule && failures == 0);
    if (!due) {
        if (failures && ++c->waiting)
            say(&p, RADAR_WATCH_WAITING, "waiting %lld s more before trying again (%d failed poll%s)",
                s.next_poll - now, failures, failures == 1 ? "" : "s");
        return 0;
    }
    radar_fetch_options fo = o->fetch;
    fo.etag = s.etag;
    fo.last_modified = s.last_modified;
    fo.allow_private = 1; /* the subscriber chose the feed's address; its items follow the rule */
    radar_response r;
    int rc = radar_fetch(&r, url, &fo);
    p.feed_private = r.private_address;
    char error[1200] = "";
    int item_said = 0;
    if (rc) {
        if (stopping(&p))
            goto done; /* not the feed's fault: no state change */
        snprintf(error, sizeof error, "%s", radar_last_error());
    } else if (r.status == 200 && !web_is_feed(r.body.data ? r.body.data : "", r.body.len)) {
        snprintf(error, sizeof error, "%s: not an RSS or Atom feed", url);
    } else if (r.status == 200) {
        radar_read_options ro = RADAR_READ_OPTIONS_INIT;
        rc = radar_read_buffer(url, r.body.data, r.body.len, &ro, on_item, &p);
        if (p.fatal) {
            rc = p.fatal;
            goto done;
        }
        if (rc < 0)
            snprintf(error, sizeof error, "%s", radar_last_error());
        else if (p.read == 0 && p.failed && !p.stopped) {
            /* not one item: the feed is broken. Its reason was said with the
             * item; the feed keeps it as its last error */
            snprintf(error, sizeof error, "%s", p.failure);
            item_said = 1;
        }
        rc = 0;
    }
    if (error[0]) {
        s.failures = failures + 1;
        s.error = error;
        s.last_poll = now;
        s.next_poll = now + radar_watch_backoff(s.failures);
        c->feeds_failed++;
        if (item_said)
            say(&p, RADAR_WATCH_FEED_FAILED, "%s: no readable item (above); trying again in %lld s (failed poll %d)",
                url, s.next_poll - now, s.failures);
        else
            say(&p, RADAR_WATCH_FEED_FAILED, "%s; trying again in %lld s (failed poll %d)", error, s.next_poll - now,
                s.failures);
        rc = radar_store_feed_update(st, &s);
        goto done;
    }
    if (r.status == 304) {
        c->unchanged++;
        say(&p, RADAR_WATCH_UNCHANGED, "not modified since the last poll");
    } else {
        s.etag = r.etag;
        s.last_modified = r.last_modified;
        c->feeds_read++;
        c->stored += p.stored;
        c->known += p.known;
        c->items_failed += p.failed;
        say(&p, RADAR_WATCH_FEED_READ, "%lld item%s, %lld stored, %lld known already%s%s", p.read,
            p.read == 1 ? "" : "s", p.stored, p.known, p.failed ? ", failures above" : "",
            p.stopped ? " (stopped)" : "");
        if (p.stopped || p.retry) {
            /* items not stored yet must be read next time: forget the
             * validators so the next poll is not answered 304 */
            s.etag = s.last_modified = NULL;
        }
    }
    s.title = p.title;
    s.error = NULL;
    s.failures = 0;
    s.last_poll = now;
    s.next_poll = now + (o->interval_s > 0 ? o->interval_s : 900);
    s.new_articles = p.stored;
    rc = radar_store_feed_update(st, &s);
done:
    radar_response_free(&r);
    free(p.title);
    return rc;
}

int radar_watch_poll(radar_store *st, radar_extractor *ex, const radar_watch_options *o, long long now,
                     radar_watch_fn fn, void *user, radar_watch_counts *c)
{
    json_t *j = NULL;
    int rc = radar_store_feeds(st, &j);
    if (rc)
        return rc;
    json_t *list = json_object_get(j, "feeds"), *f;
    size_t i;
    json_array_foreach(list, i, f)
    {
        if (o->fetch.stop && *o->fetch.stop)
            break;
        if ((rc = poll_feed(st, ex, o, now, fn, user, c, f)))
            break;
    }
    json_decref(j);
    /* what the new articles change in outcomes, records and likelihoods */
    int stale = 0;
    if (!rc && (rc = radar_store_scores_stale(st, &stale)) == 0 && stale)
        rc = radar_store_rescore(st);
    return rc;
}

int radar_watch_next_due(radar_store *st, long long *when)
{
    json_t *j = NULL;
    int rc = radar_store_feeds(st, &j);
    if (rc)
        return rc;
    *when = 0;
    json_t *f;
    size_t i;
    json_array_foreach(json_object_get(j, "feeds"), i, f)
    {
        json_t *v = json_object_get(f, "next_poll");
        long long t = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
        if (!*when || t < *when)
            *when = t ? t : 1;
    }
    json_decref(j);
    return 0;
}
