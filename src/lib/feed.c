/*
 * feed.c - RSS 2.0, RSS 1.0 (RDF) and Atom feeds into items.
 *
 * libxml2 parses the XML in recovery mode, without the network and without
 * expanding external entities, so a feed broken half-way still gives the
 * items before (and usually after) the break. Each item keeps its id (guid,
 * Atom id, else its link), link, title, author, date and text: the full text
 * (content:encoded, Atom content) when the feed carries it, else the summary
 * (description, Atom summary), flagged as partial so that a watcher fetches
 * the page. Escaped HTML inside an item is turned into text by html.c.
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

/* A copy of the node's text, trimmed and on one line; NULL when empty. */
static char *text_copy(const xmlNode *n)
{
    xmlChar *s = xmlNodeGetContent(n);
    if (!s)
        return NULL;
    const char *v = (const char *)s;
    while (*v == ' ' || *v == '\n' || *v == '\t' || *v == '\r')
        v++;
    size_t len = strlen(v);
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\n' || v[len - 1] == '\t' || v[len - 1] == '\r'))
        len--;
    if (len > RADAR_MAX_FIELD_BYTES)
        len = RADAR_MAX_FIELD_BYTES;
    char *c = NULL;
    if (len && (c = malloc(len + 1))) {
        for (size_t i = 0; i < len; i++)
            c[i] = v[i] == '\n' || v[i] == '\r' || v[i] == '\t' ? ' ' : v[i];
        c[len] = '\0';
    }
    xmlFree(s);
    return c;
}

static void set_text(char **field, const xmlNode *n)
{
    if (!*field)
        *field = text_copy(n);
}

static char *prop_copy(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *c = v ? strdup((const char *)v) : NULL;
    xmlFree(v);
    return c;
}

/* The text of an element holding escaped HTML (or plain text). */
static int html_text_of(const xmlNode *n, radar_buf *out)
{
    xmlChar *s = xmlNodeGetContent(n);
    if (!s)
        return 0;
    int rc = html_fragment_text((const char *)s, strlen((const char *)s), out);
    xmlFree(s);
    return rc;
}

/* Atom content/summary: type text, html (escaped) or xhtml (inline). */
static int atom_text_of(xmlNode *n, radar_buf *out)
{
    xmlChar *type = xmlGetProp(n, BAD_CAST "type");
    int rc;
    if (type && !xmlStrcmp(type, BAD_CAST "xhtml")) {
        rc = html_node_text(n, out);
    } else {
        /* "text" is plain, but a plain text through the HTML reader only
         * loses its line structure, which the extractor does not need */
        rc = html_text_of(n, out);
    }
    xmlFree(type);
    return rc;
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
    for (xmlNode *c = item->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (named(c, "title"))
            set_text(&it->title, c);
        else if (named(c, "guid") || (atom && named(c, "id")))
            set_text(&it->id, c);
        else if (named(c, "link")) {
            if (atom) {
                xmlChar *rel = xmlGetProp(c, BAD_CAST "rel");
                if (!rel || !xmlStrcmp(rel, BAD_CAST "alternate")) {
                    if (!it->url)
                        it->url = prop_copy(c, "href");
                }
                xmlFree(rel);
            } else {
                set_text(&it->url, c);
            }
        } else if (named(c, "pubDate") || named(c, "published") || (named(c, "date") && in_ns(c, NS_DC)))
            set_text(&date, c);
        else if (named(c, "updated"))
            set_text(&updated, c);
        else if (named(c, "creator") && in_ns(c, NS_DC))
            set_text(&it->author, c);
        else if (named(c, "author")) {
            xmlNode *name = NULL;
            for (xmlNode *k = c->children; k; k = k->next)
                if (named(k, "name"))
                    name = k;
            set_text(&it->author, name ? name : c);
        } else if ((named(c, "encoded") && in_ns(c, NS_CONTENT)) || (atom && named(c, "content")))
            full = c;
        else if (named(c, "description") || named(c, "summary"))
            summary = c;
    }
    it->date = NULL;
    char d[11];
    if ((date && web_date(date, d)) || (updated && web_date(updated, d)))
        it->date = strdup(d);
    free(date);
    free(updated);
    int rc = 0;
    if (full && (rc = atom ? atom_text_of(full, &it->body) : html_text_of(full, &it->body)))
        return rc;
    if (it->body.len < FULL_TEXT_BYTES) {
        radar_buf s = RADAR_BUF_INIT;
        s.max = RADAR_MAX_ARTICLE_BYTES;
        if (summary && (rc = atom ? atom_text_of(summary, &s) : html_text_of(summary, &s))) {
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

int feed_parse(feed *f, const char *data, size_t len)
{
    if (len > (size_t)RADAR_MAX_ARTICLE_BYTES)
        return radar_error_set(RADAR_ETOOLARGE, "feed over the %u MiB limit", RADAR_MAX_ARTICLE_BYTES >> 20);
    xmlSetStructuredErrorFunc(&f->problem, web_on_problem);
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
                set_text(&f->title, c);
            else if (named(c, atom ? "entry" : "item"))
                rc = read_item(f, c, atom);
        }
    }
done:
    xmlFreeDoc(doc);
    return rc;
}

void feed_free(feed *f)
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
    memset(f, 0, sizeof *f);
}
