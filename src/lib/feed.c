/*
 * feed.c - RSS 2.0, RSS 1.0 (RDF) and Atom feeds into items.
 *
 * libxml2 parses the XML in recovery mode, without the network and without
 * expanding external entities, so a feed broken half-way still gives the
 * items before (and usually after) the break. Internal entities are not
 * substituted by the parser either: every text and attribute value is read
 * through radar_web_node_text / radar_web_attr, which expand references against the
 * feed's budget, so an entity bomb is refused instead of filling memory.
 * Each item keeps its id (guid, Atom id, else its link), link, title,
 * author, date and text: the full text (content:encoded, Atom content) when
 * the feed carries it, else the summary (description, Atom summary), flagged
 * as partial so that a watcher fetches the page. Escaped HTML inside an item
 * is turned into text by html.c.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>

#include "radar/article.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "web.h"

/* A feed's own text counts as the full article from this many bytes on;
 * shorter, it is a teaser and the page is fetched. */
#define FULL_TEXT_BYTES 300

static const char *const NS_CONTENT = "http://purl.org/rss/1.0/modules/content/";
static const char *const NS_DC = "http://purl.org/dc/elements/1.1/";

static int named(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static int in_ns(const xmlNode *n, const char *ns)
{
    return n->ns && n->ns->href && xmlStrcmp(n->ns->href, BAD_CAST ns) == 0;
}

/* A copy of v[0..len), trimmed and on one line (cut to the field limit once
 * the item is read: radar_web_cut_field); NULL when empty or out of memory. */
static char *field_copy(const char *v, size_t len)
{
    while (len && (*v == ' ' || *v == '\n' || *v == '\t' || *v == '\r')) {
        v++;
        len--;
    }
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\n' || v[len - 1] == '\t' || v[len - 1] == '\r'))
        len--;
    char *c = NULL;
    if (len && (c = malloc(len + 1))) {
        for (size_t i = 0; i < len; i++)
            c[i] = v[i] == '\n' || v[i] == '\r' || v[i] == '\t' ? ' ' : v[i];
        c[len] = '\0';
    }
    return c;
}

/* The node's text into *field, unless it is set already. */
static int set_text(feed *f, char **field, const xmlNode *n)
{
    if (*field)
        return 0;
    radar_buf_reset(&f->scratch);
    int rc = radar_web_node_text(n, &f->budget, &f->scratch);
    if (!rc && f->scratch.len)
        *field = field_copy(f->scratch.data, f->scratch.len);
    return rc;
}

/* The value of attribute `name` into *field, unless it is set already. */
static int set_attr(feed *f, char **field, const xmlNode *n, const char *name)
{
    int rc = 0;
    const char *v = *field ? NULL : radar_web_attr(n, name, &f->budget, &f->scratch, &rc);
    if (v)
        *field = field_copy(v, strlen(v));
    return rc;
}

/* Does attribute `name` of n equal `value`? (*rc: the budget ran out) */
static int attr_equals(feed *f, const xmlNode *n, const char *name, const char *value, int *rc)
{
    const char *v = radar_web_attr(n, name, &f->budget, &f->scratch, rc);
    return v && strcmp(v, value) == 0;
}

/* The text of an element holding escaped HTML (or plain text). */
static int html_text_of(feed *f, const xmlNode *n, radar_buf *out)
{
    radar_buf_reset(&f->scratch);
    int rc = radar_web_node_text(n, &f->budget, &f->scratch);
    if (!rc && f->scratch.len)
        rc = radar_html_fragment_text(f->scratch.data, f->scratch.len, out);
    return rc;
}

/* Atom content/summary: type text, html (escaped) or xhtml (inline). */
static int atom_text_of(feed *f, xmlNode *n, radar_buf *out)
{
    int rc = 0;
    if (attr_equals(f, n, "type", "xhtml", &rc))
        return radar_html_node_text(n, &f->budget, out);
    /* "text" is plain, but a plain text through the HTML reader only loses
     * its line structure, which the extractor does not need */
    return rc ? rc : html_text_of(f, n, out);
}

static int read_item(feed *f, xmlNode *item, int atom)
{
    if (f->n_items % 16 == 0) {
        feed_item *p = realloc(f->items, (f->n_items + 16) * sizeof *p);
        if (!p)
            return radar_error_set(RADAR_ENOMEM, "out of memory");
        f->items = p;
    }
    feed_item *it = &f->items[f->n_items++];
    memset(it, 0, sizeof *it);
    it->body.max = RADAR_MAX_ARTICLE_BYTES;
    it->line = (int)xmlGetLineNo(item);
    xmlNode *full = NULL, *summary = NULL;
    char *date = NULL, *updated = NULL;
    int rc = 0;
    for (xmlNode *c = item->children; c && !rc; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (named(c, "title"))
            rc = set_text(f, &it->title, c);
        else if (named(c, "guid") || (atom && named(c, "id")))
            rc = set_text(f, &it->id, c);
        else if (named(c, "link")) {
            if (!atom)
                rc = set_text(f, &it->url, c);
            else if (!radar_web_attr(c, "rel", &f->budget, &f->scratch, &rc) ||
                     attr_equals(f, c, "rel", "alternate", &rc))
                rc = rc ? rc : set_attr(f, &it->url, c, "href");
        } else if (named(c, "pubDate") || named(c, "published") || (named(c, "date") && in_ns(c, NS_DC)))
            rc = set_text(f, &date, c);
        else if (named(c, "updated"))
            rc = set_text(f, &updated, c);
        else if (named(c, "creator") && in_ns(c, NS_DC))
            rc = set_text(f, &it->author, c);
        else if (named(c, "author")) {
            xmlNode *name = NULL;
            for (xmlNode *k = c->children; k; k = k->next)
                if (named(k, "name"))
                    name = k;
            rc = set_text(f, &it->author, name ? name : c);
        } else if ((named(c, "encoded") && in_ns(c, NS_CONTENT)) || (atom && named(c, "content")))
            full = c;
        else if (named(c, "description") || named(c, "summary"))
            summary = c;
    }
    radar_web_cut_field(it->id, "id", &it->cut);
    radar_web_cut_field(it->title, "title", &it->cut);
    radar_web_cut_field(it->url, "url", &it->cut);
    radar_web_cut_field(it->author, "author", &it->cut);
    it->date = NULL;
    char d[11];
    if (!rc && ((date && radar_web_date(date, d)) || (updated && radar_web_date(updated, d))))
        it->date = strdup(d);
    free(date);
    free(updated);
    if (rc)
        return rc;
    if (full && (rc = atom ? atom_text_of(f, full, &it->body) : html_text_of(f, full, &it->body)))
        return rc;
    if (it->body.len < FULL_TEXT_BYTES) {
        radar_buf s = RADAR_BUF_INIT;
        s.max = RADAR_MAX_ARTICLE_BYTES;
        if (summary && (rc = atom ? atom_text_of(f, summary, &s) : html_text_of(f, summary, &s))) {
            radar_buf_free(&s);
            return rc;
        }
        if (s.len > it->body.len) {
            radar_buf_free(&it->body);
            it->body = s;
        } else {
            radar_buf_free(&s);
        }
        it->partial = it->url != NULL;
    }
    if (!it->id && it->url)
        it->id = strdup(it->url);
    return 0;
}

int radar_feed_parse(feed *f, const char *data, size_t len)
{
    if (len > (size_t)RADAR_MAX_ARTICLE_BYTES)
        return radar_error_set(RADAR_ETOOLARGE, "feed over the %u MiB limit", RADAR_MAX_ARTICLE_BYTES >> 20);
    xmlSetStructuredErrorFunc(&f->problem, radar_web_on_problem);
    /* no XML_PARSE_NOENT: entity references stay references, expanded
     * only by radar_web_node_text and radar_web_attr against the budget */
    xmlDocPtr doc = xmlReadMemory(data, (int)len, NULL, NULL,
                                  XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc)
        return 0;
    int rc = 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    int atom = named(root, "feed");
    f->format_ok = root && (named(root, "rss") || atom || named(root, "RDF"));
    if (!f->format_ok)
        goto done;
    /* RSS 2.0: rss/channel/item; RSS 1.0: RDF/channel + RDF/item; Atom: feed/entry */
    xmlNode *scopes[2] = {root, NULL};
    for (xmlNode *c = root->children; c; c = c->next)
        if (named(c, "channel"))
            scopes[1] = c;
    for (int s = 0; s < 2 && !rc; s++) {
        for (xmlNode *c = scopes[s] ? scopes[s]->children : NULL; c && !rc; c = c->next) {
            if (named(c, "title") && (s == 1 || atom))
                rc = set_text(f, &f->title, c);
            else if (named(c, atom ? "entry" : "item"))
                rc = read_item(f, c, atom);
        }
    }
done:
    radar_web_cut_field(f->title, "title", &f->cut);
    xmlFreeDoc(doc);
    radar_buf_free(&f->scratch);
    return rc;
}

void radar_feed_free(feed *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_items; i++) {
        feed_item *it = &f->items[i];
        free(it->id);
        free(it->title);
        free(it->url);
        free(it->author);
        free(it->date);
        radar_buf_free(&it->body);
    }
    free(f->items);
    free(f->title);
    radar_buf_free(&f->scratch);
    memset(f, 0, sizeof *f);
}
