/*
 * web.h - HTML pages and RSS/Atom feeds for the article reader (internal).
 *
 * html.c turns a page into its main text and metadata; feed.c turns a feed
 * into items. Both parse with libxml2 and only fill structures: article.c
 * names the file, numbers the items and reports through the reader callback.
 */
#ifndef RADAR_WEB_H
#define RADAR_WEB_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stddef.h>

#include "radar/buf.h"

typedef enum web_kind { WEB_NONE = 0, WEB_HTML, WEB_FEED } web_kind;

/* What the first bytes of `data` say it is: a feed (an XML document whose
 * root is rss, feed or rdf:RDF), an HTML page, or neither. */
web_kind radar_web_sniff(const char *data, size_t len);

/* Is this an RSS or Atom feed (by its first element)? */
static inline int web_is_feed(const char *data, size_t len) { return radar_web_sniff(data, len) == WEB_FEED; }

/* A date written ISO 8601 ("2024-07-02T09:30:00Z") or RFC 822 ("Tue, 02 Jul
 * 2024 09:30:00 +0100") as YYYY-MM-DD into out. The date as written: no
 * time-zone shift. Returns 1 when a real date was found, else 0. */
int radar_web_date(const char *s, char out[11]);

/* The first markup problem the parser met, for the reader's warning. */
typedef struct web_problem {
    int count; /* problems met (unknown HTML5 tags are not problems) */
    int line;  /* line of the first one */
    char message[160];
} web_problem;

/* libxml2's structured error handler for either parser (html.c): records
 * the first error into the web_problem `user`; warnings and HTML5 tags
 * unknown to the HTML 4 parser are not problems. */
void radar_web_on_problem(void *user, xmlErrorPtr e);

/* What gathering text from one parsed document has cost, against
 * RADAR_MAX_DOC_TEXT_BYTES (see limits.h). libxml2 is never asked to
 * substitute entities: the tree keeps each reference as a node, and every
 * reader of text in html.c and feed.c expands it through radar_web_node_text or
 * radar_web_attr, which charge the budget as they go. */
typedef struct web_budget {
    size_t used;
} web_budget;

/* Charge n units; RADAR_ETOOLARGE (with the message set) once the document
 * is over its limit. */
int radar_web_budget_take(web_budget *b, size_t n);

/* Append the text under `node` (the text and CDATA of its descendants, entity
 * references expanded) to `out`, as xmlNodeGetContent would, charging `b`.
 * Returns 0, RADAR_ETOOLARGE or RADAR_ENOMEM. */
int radar_web_node_text(const xmlNode *node, web_budget *b, radar_buf *out);

/* The value of the attribute `name` of element `node` (namespace ignored, no
 * DTD defaults), or NULL when it has none: borrowed from the tree when it is
 * one text node (the common case, no copy), else gathered into `scratch`
 * (valid until its next use) with entity references expanded, charging `b`.
 * On failure returns NULL and sets *rc to RADAR_ETOOLARGE or RADAR_ENOMEM. */
const char *radar_web_attr(const xmlNode *node, const char *name, web_budget *b, radar_buf *scratch, int *rc);

/* A field (id, title, url, author, source) longer than RADAR_MAX_FIELD_BYTES
 * is cut there, at a character boundary; the first field cut in an item or
 * page is recorded for the reader's warning. */
typedef struct web_cut {
    const char *field; /* its name, or NULL when nothing was cut */
    size_t len;        /* its length before the cut */
} web_cut;

/* Cut the string s (NULL is fine) to the field limit, recording it in *cut. */
void radar_web_cut_field(char *s, const char *name, web_cut *cut);

/* A page: every string owned (free with radar_html_page_free), NULL when absent. */
typedef struct html_page {
    radar_buf body; /* main text, paragraphs separated by blank lines */
    char *title, *url, *author, *source;
    char date[11]; /* "" when unknown */
    web_problem problem;
    web_cut cut;
} html_page;

/* Parse an HTML page and extract its main text and metadata into *p (which
 * the caller zeroes first). `charset` is the encoding to assume when the
 * page declares none (NULL: UTF-8). Returns 0, RADAR_ENOMEM, or RADAR_ETOOLARGE when
 * the text is over the article limit. An empty body is not an error here. */
int radar_html_page_parse(html_page *p, const char *data, size_t len, const char *charset);
void radar_html_page_free(html_page *p);

/* The text of an HTML fragment (a feed's escaped content), appended to out
 * with the page rules for what is not text (scripts, captions, "read more"
 * lines, link lists), without choosing a main container. */
int radar_html_fragment_text(const char *data, size_t len, radar_buf *out);

/* The text of an already parsed subtree (Atom xhtml content), charging the
 * feed's budget `b` for what it gathers. */
int radar_html_node_text(xmlNode *node, web_budget *b, radar_buf *out);

/* One feed item: strings owned by the feed, NULL when absent. */
typedef struct feed_item {
    char *id, *title, *url, *author, *date; /* date: YYYY-MM-DD */
    radar_buf body;
    int partial; /* body is a summary; the full text is at url */
    int line;    /* line of the item in the feed */
    web_cut cut;
} feed_item;

typedef struct feed {
    char *title; /* the channel's title: the outlet of every item */
    feed_item *items;
    size_t n_items;
    int format_ok; /* the root was rss, feed or rdf:RDF */
    web_problem problem;
    web_budget budget;
    radar_buf scratch; /* attribute values and field text being gathered */
    web_cut cut;       /* the feed's title */
} feed;

/* Parse an RSS 2.0 / RSS 1.0 / Atom feed into *f (zeroed by the caller).
 * Malformed XML is read in recovery mode: what could be recovered is
 * returned and f->problem says where it went wrong. Returns 0, RADAR_ENOMEM,
 * or RADAR_ETOOLARGE when the feed's text is over RADAR_MAX_DOC_TEXT_BYTES
 * (entity amplification): f->items[f->n_items - 1] is then the item being
 * read (its line set), or f->n_items is 0 when it was the channel's own text. */
int radar_feed_parse(feed *f, const char *data, size_t len);
void radar_feed_free(feed *f);

#endif
