/*
 * watch.c - one poll of the subscribed feeds (see radar/watch.h).
 *
 * The feed list comes from the store, typed; for each due feed: a
 * conditional GET, the body read by the article reader (feeds are recognised
 * by content like files), and each item either skipped (stored already, by
 * id or link, or remembered as a copy of a stored text), stored from the
 * feed's text, or, when the feed gives only a summary, stored from its page.
 * The page keeps the item's id and link, so the next poll knows it; what the
 * page lacks (date, title, author) comes from the item, and a page with no
 * text falls back to the summary.
 *
 * Feeds are polled by a few threads at once, so that one slow or hostile
 * feed holds up only itself, and each feed's poll is bounded by a deadline.
 * Only the network runs in parallel: a thread holds the poll's lock except
 * while it waits for an answer, so the store, the extractor, the reader
 * (libxml2), the counts and the caller's callback are used by one thread at
 * a time.
 */
#include <libxml/parser.h>
#include <libxml/uri.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "radar/error.h"
#include "radar/ingest.h"
#include "radar/limits.h"
#include "radar/watch.h"
#include "web.h"

/* What the threads of one poll share; `lock` guards all of it. */
typedef struct shared {
    radar_store *st;
    radar_ingest *in; /* each article in its own transaction */
    const radar_watch_options *o;
    radar_watch_fn fn;
    void *user;
    radar_watch_counts *c;
    long long now;
    const radar_feed_list *feeds;
    size_t next; /* the next feed to poll */
    pthread_mutex_t lock;
    int fatal;            /* the store failed: stop everything */
    char fatal_msg[1400]; /* its message, for the calling thread */
} shared;

typedef struct poll_ctx {
    shared *sh;
    const radar_watch_options *o;
    const char *feed; /* name for messages */
    const char *url;  /* the feed's address, against which item links are resolved */
    long long stored, known, duplicates, failed, deferred, read;
    char *title; /* the feed's title, from its items */
    int stopped;
    int retry;         /* an item's page could not be fetched: read the whole feed next time */
    char failure[600]; /* the reader's last failure, for a feed that gave no item at all */
    int feed_private;  /* the feed answered from a loopback, private or link-local address */
    double deadline;   /* when this feed's poll must end (ms, monotonic) */
    int deadline_said;
} poll_ctx;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static long deadline_ms(const radar_watch_options *o)
{
    return o->feed_deadline_ms > 0 ? o->feed_deadline_ms : RADAR_WATCH_FEED_DEADLINE_MS;
}

static void say(poll_ctx *p, radar_watch_event ev, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(poll_ctx *p, radar_watch_event ev, const char *fmt, ...)
{
    char msg[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->sh->fn(p->sh->user, ev, p->feed, msg);
}

static int stopping(const poll_ctx *p) { return p->o->fetch.stop && *p->o->fetch.stop; }

/* The store failed: keep its message for the calling thread, stop the poll. */
static int fatal(poll_ctx *p, int rc)
{
    if (!p->sh->fatal) {
        p->sh->fatal = rc;
        snprintf(p->sh->fatal_msg, sizeof p->sh->fatal_msg, "%s", radar_last_error());
    }
    return rc;
}

/* GET with the poll's lock released: the one thing threads do at once. */
static int fetch_unlocked(poll_ctx *p, radar_response *r, const char *url, const radar_fetch_options *fo)
{
    pthread_mutex_unlock(&p->sh->lock);
    int rc = radar_fetch(r, url, fo);
    pthread_mutex_lock(&p->sh->lock);
    return rc;
}

long long radar_watch_backoff(int failures)
{
    long long d = 60;
    for (int i = 1; i < failures && d < 6 * 3600; i++)
        d *= 2;
    return d < 6 * 3600 ? d : 6 * 3600;
}

/* Extract and store one article in its own transaction. A text stored
 * already under another id is not stored again, but the item is remembered,
 * so that its page is not fetched at every poll. */
static int store(poll_ctx *p, const radar_article *a)
{
    radar_ingest_result r;
    int rc = radar_ingest_article(p->sh->in, a, &r);
    if (rc)
        return fatal(p, rc);
    if (!r.extracted) {
        p->failed++;
        say(p, RADAR_WATCH_ITEM_FAILED, "%s: article %s could not be extracted: %s", a->path, a->id,
            radar_last_error());
        return 0;
    }
    if (r.put == RADAR_PUT_UNCHANGED) {
        p->duplicates++;
        return 0;
    }
    p->stored++;
    p->sh->c->rumours += (long long)r.rumours;
    say(p, RADAR_WATCH_STORED, "stored %s (%s%s%s), %zu rumour%s", a->url ? a->url : a->id, a->date ? a->date : "no date",
        a->title ? ": " : "", a->title ? a->title : "", r.rumours, r.rumours == 1 ? "" : "s");
    return 0;
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

/* An item whose page the deadline leaves no time for: read next time. */
static void defer(poll_ctx *p)
{
    p->deferred++;
    p->retry = 1;
    if (!p->deadline_said) {
        p->deadline_said = 1;
        say(p, RADAR_WATCH_ITEM_FAILED,
            "the feed's poll reached its deadline (%.3g s): the pages of the items left are fetched at the next poll",
            deadline_ms(p->o) / 1000.0);
    }
}

static int fetch_page(poll_ctx *p, const radar_article *a)
{
    double left = p->deadline - now_ms();
    if (left < 1) {
        defer(p);
        return 0;
    }
    radar_fetch_options fo = p->o->fetch;
    fo.etag = fo.last_modified = NULL;
    long timeout = fo.timeout_ms > 0 ? fo.timeout_ms : 30000L;
    int cut = left < timeout; /* the deadline, not the timeout, bounds this request */
    if (cut)
        fo.timeout_ms = (long)left;
    /* an item may lead inside only from inside, and only when allowed */
    fo.allow_private = p->o->allow_private && p->feed_private;
    radar_response page;
    int rc = fetch_unlocked(p, &page, a->url, &fo);
    if (rc) {
        if (stopping(p)) {
            radar_response_free(&page);
            p->stopped = 1;
            return 1;
        }
        if (cut && now_ms() >= p->deadline - 1) {
            radar_response_free(&page);
            defer(p);
            return 0;
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
    if (p->sh->fatal)
        return 1;
    if (!g.stored) {
        say(p, RADAR_WATCH_WARNING, "%s; the feed's summary was stored instead", g.failure[0] ? g.failure : a->url);
        return store(p, a) ? 1 : 0;
    }
    return 0;
}

static int on_item(void *user, radar_read_event ev, const radar_article *a, const char *msg)
{
    poll_ctx *p = user;
    if (stopping(p)) {
        p->stopped = 1;
        return 1;
    }
    if (p->sh->fatal)
        return 1;
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
    p->sh->c->items++;
    if (!p->title && a->source)
        p->title = strdup(a->source);
    int found = 0, rc;
    if ((rc = radar_store_has_item(p->sh->st, a->id, a->url, &found))) {
        fatal(p, rc);
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

/* One feed's poll, with the poll's lock held (released while waiting for
 * answers). A failure of the store is left in sh->fatal. */
static void poll_feed(shared *sh, const radar_feed_row *f)
{
    const radar_watch_options *o = sh->o;
    radar_watch_counts *c = sh->c;
    long long now = sh->now;
    const char *url = f->url;
    poll_ctx p = {0};
    p.sh = sh;
    p.o = o;
    p.feed = f->name ? f->name : url;
    p.url = url;
    p.deadline = now_ms() + (double)deadline_ms(o);
    int failures = (int)f->failures;
    radar_feed_state s = {0};
    s.id = f->id;
    s.etag = f->etag;
    s.last_modified = f->last_modified;
    s.failures = failures;
    s.error = f->last_error;
    s.last_poll = f->has_last_poll ? f->last_poll : 0;
    s.next_poll = f->has_next_poll ? f->next_poll : 0;
    int due = s.next_poll <= now || (o->ignore_schedule && failures == 0);
    if (!due) {
        if (failures && ++c->waiting)
            say(&p, RADAR_WATCH_WAITING, "waiting %lld s more before trying again (%d failed poll%s)",
                s.next_poll - now, failures, failures == 1 ? "" : "s");
        return;
    }
    radar_fetch_options fo = o->fetch;
    fo.etag = s.etag;
    fo.last_modified = s.last_modified;
    fo.allow_private = 1; /* the subscriber chose the feed's address; its items follow the rule */
    if (fo.timeout_ms <= 0 || fo.timeout_ms > deadline_ms(o))
        fo.timeout_ms = deadline_ms(o);
    radar_response r;
    int rc = fetch_unlocked(&p, &r, url, &fo);
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
        if (sh->fatal)
            goto done;
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
        if ((rc = radar_store_feed_update(sh->st, &s)))
            fatal(&p, rc);
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
        c->duplicates += p.duplicates;
        c->items_failed += p.failed;
        c->deferred += p.deferred;
        char dup[64] = "", left[80] = "";
        if (p.duplicates)
            snprintf(dup, sizeof dup, ", %lld duplicate%s of stored texts", p.duplicates,
                     p.duplicates == 1 ? "" : "s");
        if (p.deferred)
            snprintf(left, sizeof left, ", %lld left for the next poll (deadline)", p.deferred);
        say(&p, RADAR_WATCH_FEED_READ, "%lld item%s, %lld stored, %lld known already%s%s%s%s", p.read,
            p.read == 1 ? "" : "s", p.stored, p.known, dup, left, p.failed ? ", failures above" : "",
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
    if ((rc = radar_store_feed_update(sh->st, &s)))
        fatal(&p, rc);
done:
    radar_response_free(&r);
    free(p.title);
}

/* A poll thread: takes the next feed until none is left, the poll stops or
 * the store fails. */
static void *poll_thread(void *arg)
{
    shared *sh = arg;
    pthread_mutex_lock(&sh->lock);
    while (!sh->fatal && !(sh->o->fetch.stop && *sh->o->fetch.stop) && sh->next < sh->feeds->n)
        poll_feed(sh, &sh->feeds->v[sh->next++]);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

int radar_watch_feed_shard(const char *url, int shards)
{
    if (shards <= 1)
        return 1;
    /* FNV-1a, 64 bits: the same on every machine and compiler, and spread
     * well enough over addresses that differ in a few bytes */
    unsigned long long h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return 1 + (int)(h % (unsigned long long)shards);
}

/* Keep in `l` only the feeds of the shard `o` asks for (rows live in the
 * list's own memory, so moving them is free). */
static void keep_shard(radar_feed_list *l, const radar_watch_options *o)
{
    if (!o || o->shards <= 1)
        return;
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (radar_watch_feed_shard(l->v[i].url, o->shards) == o->shard)
            l->v[k++] = l->v[i];
    l->n = k;
}

int radar_watch_poll(radar_store *st, radar_extractor *ex, const radar_watch_options *o, long long now,
                     radar_watch_fn fn, void *user, radar_watch_counts *c)
{
    radar_feed_list *feeds = NULL;
    radar_ingest *in = NULL;
    radar_ingest_options io = RADAR_INGEST_OPTIONS_INIT;
    io.ex = ex;
    io.batch = 1;      /* a stop between two articles loses nothing */
    io.note_items = 1; /* an item whose text is stored under another id is not fetched again */
    io.on_change = o->on_change;
    io.change_user = o->change_user;
    if (o->shards > 1 && (o->shard < 1 || o->shard > o->shards))
        return radar_error_set(RADAR_EINVALID, "shard %d of %d: a shard is a number from 1 to %d", o->shard, o->shards,
                               o->shards);
    int rc = radar_store_feeds_list(st, &feeds);
    if (rc || (rc = radar_ingest_new(&in, st, &io))) {
        radar_feed_list_free(feeds);
        return rc;
    }
    keep_shard(feeds, o);
    shared sh = {st, in, o, fn, user, c, now, feeds, 0, PTHREAD_MUTEX_INITIALIZER, 0, ""};
    /* the parser's global state is set up once, before the threads */
    xmlInitParser();
    size_t n = feeds->n;
    size_t threads = n < RADAR_WATCH_THREADS ? n : RADAR_WATCH_THREADS;
    pthread_t tid[RADAR_WATCH_THREADS];
    size_t started = 0;
    for (; started + 1 < threads; started++)
        if (pthread_create(&tid[started], NULL, poll_thread, &sh) != 0)
            break; /* fewer threads: the feeds are polled all the same */
    poll_thread(&sh); /* this thread polls too */
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&sh.lock);
    radar_feed_list_free(feeds);
    /* what the new articles change in outcomes, records and likelihoods */
    rc = sh.fatal ? radar_error_set(sh.fatal, "%s", sh.fatal_msg) : radar_ingest_finish(in);
    c->changes += radar_ingest_counts_of(in)->changes;
    c->changes_dropped += radar_ingest_counts_of(in)->changes_dropped;
    radar_ingest_free(in);
    return rc;
}

int radar_watch_next_due(radar_store *st, const radar_watch_options *opts, long long *when)
{
    radar_feed_list *feeds;
    *when = 0;
    int rc = radar_store_feeds_list(st, &feeds);
    if (rc)
        return rc;
    keep_shard(feeds, opts);
    for (size_t i = 0; i < feeds->n; i++) {
        long long t = feeds->v[i].has_next_poll ? feeds->v[i].next_poll : 0;
        if (!*when || t < *when)
            *when = t ? t : 1;
    }
    radar_feed_list_free(feeds);
    return 0;
}
