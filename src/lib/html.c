/*
 * html.c - the main text and metadata of an HTML article page.
 *
 * libxml2's HTML parser builds the tree (it recovers from any markup). The
 * text is what a reader would read: the container an editor marked as the
 * article (itemprop=articleBody, <article>, <main>), else the element whose
 * paragraphs carry most prose and fewest links. Navigation, headers, footers,
 * asides, figures and captions, scripts, forms and every element whose class
 * or id says cookie, consent, advert, promo, related, share or newsletter are
 * left out, and so is a paragraph that is mostly link text ("Read more: ...").
 * Metadata comes from JSON-LD (read with jansson) first, then the Open Graph
 * and article meta tags, then <title>.
 */
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radar/article.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "web.h"

#define MIN_PARAGRAPH 25 /* characters of prose that make a paragraph count */

/* ---- markup problems ------------------------------------------------------- */

void radar_web_on_problem(void *user, xmlErrorPtr e)
{
    web_problem *p = user;
    /* HTML5 elements are unknown to libxml2's HTML 4 parser: no problem */
    if (!e || e->code == XML_HTML_UNKNOWN_TAG || e->level < XML_ERR_ERROR)
        return;
    if (p->count++ == 0) {
        p->line = e->line;
        size_t n = e->message ? strlen(e->message) : 0;
        while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == ' '))
            n--;
        if (n >= sizeof p->message)
            n = sizeof p->message - 1;
        memcpy(p->message, e->message ? e->message : "", n);
        p->message[n] = '\0';
    }
}

/* ---- bounded text out of a tree ---------------------------------------------- */

/* Entity references nest: each level is a recursion, and past this depth the
 * rest is not expanded (libxml2 itself refuses deeper nesting when parsing). */
#define MAX_ENTITY_DEPTH 40

int radar_web_budget_take(web_budget *b, size_t n)
{
    if (n > RADAR_MAX_DOC_TEXT_BYTES - b->used) {
        b->used = RADAR_MAX_DOC_TEXT_BYTES;
        return radar_error_set(RADAR_ETOOLARGE,
                               "text over the %u MiB limit per document once its entity references are expanded "
                               "(entity amplification)",
                               RADAR_MAX_DOC_TEXT_BYTES >> 20);
    }
    b->used += n;
    return 0;
}

/* The entity a reference node stands for: libxml2 hangs the declaration
 * under the reference as its only child. */
static const xmlNode *entity_content(const xmlNode *ref)
{
    const xmlNode *e = ref->children;
    return e && e->type == XML_ENTITY_DECL ? e->children : NULL;
}

/* depth: elements and references above n; refs: references alone */
static int gather(const xmlNode *n, web_budget *b, radar_buf *out, int depth, int refs)
{
    int rc = 0;
    for (; n && !rc; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) {
                size_t len = strlen((const char *)n->content);
                if (!(rc = radar_web_budget_take(b, len)))
                    rc = radar_buf_append(out, n->content, len);
            }
        } else if (n->type == XML_ENTITY_REF_NODE) {
            /* one unit per reference even when it expands to nothing, so
             * that a billion nested empty references cost a billion */
            if (!(rc = radar_web_budget_take(b, 1)) && refs < MAX_ENTITY_DEPTH && depth < 512)
                rc = gather(entity_content(n), b, out, depth + 1, refs + 1);
        } else if (n->type == XML_ELEMENT_NODE && depth < 512) {
            rc = gather(n->children, b, out, depth + 1, refs);
        }
    }
    return rc; /* the message is set where it failed */
}

int radar_web_node_text(const xmlNode *node, web_budget *b, radar_buf *out)
{
    return node ? gather(node->children, b, out, 0, 0) : 0;
}

const char *radar_web_attr(const xmlNode *node, const char *name, web_budget *b, radar_buf *scratch, int *rc)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return NULL;
    for (const xmlAttr *a = node->properties; a; a = a->next) {
        if (!a->name || xmlStrcmp(a->name, BAD_CAST name) != 0)
            continue;
        const xmlNode *v = a->children;
        if (!v)
            return "";
        if (v->type == XML_TEXT_NODE && !v->next)
            return v->content ? (const char *)v->content : "";
        radar_buf_reset(scratch);
        int e = gather(v, b, scratch, 0, 0);
        if (e) {
            *rc = e;
            return NULL;
        }
        return scratch->data ? scratch->data : "";
    }
    return NULL;
}

void radar_web_cut_field(char *s, const char *name, web_cut *cut)
{
    size_t len = s ? strlen(s) : 0;
    if (len <= RADAR_MAX_FIELD_BYTES)
        return;
    size_t n = RADAR_MAX_FIELD_BYTES;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = '\0';
    if (!cut->field) {
        cut->field = name;
        cut->len = len;
    }
}

/* ---- sniffing and dates ------------------------------------------------------ */

static int prefix_ci(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && strncasecmp(s, p, n) == 0;
}

/* Skip white space, a BOM, the XML declaration, comments, doctypes and
 * processing instructions: the position of the first element, or len. */
static size_t first_element(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
            i++;
        if (i >= len || s[i] != '<')
            return len;
        const char *end = NULL;
        if (prefix_ci(s + i, len - i, "<!--")) {
            const char *e = NULL;
            for (size_t k = i + 4; k + 2 < len; k++)
                if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') {
                    e = s + k + 2;
                    break;
                }
            end = e;
        } else if (s[i + 1 < len ? i + 1 : i] == '?' || s[i + 1 < len ? i + 1 : i] == '!') {
            end = memchr(s + i, '>', len - i);
        } else {
            return i;
        }
        if (!end)
            return len;
        i = (size_t)(end - s) + 1;
    }
    return len;
}

web_kind radar_web_sniff(const char *data, size_t len)
{
    size_t n = len > 4096 ? 4096 : len;
    size_t i = 0;
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i >= n || data[i] != '<')
        return WEB_NONE;
    if (prefix_ci(data + i, n - i, "<!doctype html"))
        return WEB_HTML;
    size_t e = first_element(data, n);
    if (e >= n)
        return prefix_ci(data + i, n - i, "<?xml") ? WEB_FEED : WEB_NONE; /* a long prolog: let the parser say */
    const char *t = data + e;
    size_t tl = n - e;
    if (prefix_ci(t, tl, "<rss") || prefix_ci(t, tl, "<feed") || prefix_ci(t, tl, "<rdf:rdf"))
        return WEB_FEED;
    if (prefix_ci(t, tl, "<html") || prefix_ci(t, tl, "<head") || prefix_ci(t, tl, "<body") ||
        prefix_ci(t, tl, "<article") || prefix_ci(t, tl, "<meta") || prefix_ci(t, tl, "<title"))
        return WEB_HTML;
    if (prefix_ci(data + i, n - i, "<?xml"))
        return WEB_FEED; /* XML of some other kind: the feed reader says so */
    return WEB_NONE;
}

int radar_web_date(const char *s, char out[11])
{
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    if (n >= 10 && (n == 10 || s[10] == 'T' || s[10] == ' ' || s[10] == 't') && radar_date_valid(s, 10)) {
        memcpy(out, s, 10);
        out[10] = '\0';
        return 1;
    }
    /* RFC 822: [Day, ] DD Mon YYYY ... */
    const char *p = strchr(s, ',');
    p = p ? p + 1 : s;
    while (*p == ' ')
        p++;
    char *end;
    long day = strtol(p, &end, 10);
    if (end == p || day < 1 || day > 31)
        return 0;
    p = end;
    while (*p == ' ')
        p++;
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    int month = 0;
    for (int m = 0; m < 12; m++)
        if (strncasecmp(p, months[m], 3) == 0)
            month = m + 1;
    if (!month)
        return 0;
    while (*p && *p != ' ')
        p++;
    while (*p == ' ')
        p++;
    long year = strtol(p, &end, 10);
    if (end - p == 2)
        year += year < 70 ? 2000 : 1900;
    char buf[32];
    snprintf(buf, sizeof buf, "%04ld-%02d-%02ld", year, month, day);
    if (!radar_date_valid(buf, strlen(buf)))
        return 0;
    memcpy(out, buf, 11);
    return 1;
}

/* ---- what is not text --------------------------------------------------------- */

static int tag_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && xmlStrcasecmp(n->name, BAD_CAST name) == 0;
}

static int tag_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (tag_is(n, *names))
            return 1;
    return 0;
}

static const char *const NOT_TEXT[] = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                                       "figure", "figcaption", "form", "button", "iframe", "svg", "select",
                                       "textarea", "input", "object", "embed", "canvas", "video", "audio", "picture",
                                       "img", "label", "dialog", "menu", "head", "title", "h1", NULL};

/* Words in a class or id that mark what is not the article. */
static const char *const BOILERPLATE[] = {
    "cookie", "consent", "gdpr", "advert", "promo", "related", "share", "sharing", "social", "newsletter",
    "subscribe", "signup", "sidebar", "comment", "breadcrumb", "caption", "banner", "popup", "modal", "outbrain",
    "taboola", "sponsor", "recommend", "readmore", "read-more", "more-stories", "paywall", "byline", "teaser", NULL};

/* Does this class or id value name boilerplate? "ad" and "ads" count only as
 * whole words ("ad-slot", "top ads"), not inside "header" or "lead". */
static int boilerplate_name(const char *v)
{
    char low[256];
    size_t n = strlen(v);
    if (n >= sizeof low)
        n = sizeof low - 1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)((v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32 : v[i]);
    low[n] = '\0';
    for (int i = 0; BOILERPLATE[i]; i++)
        if (strstr(low, BOILERPLATE[i]))
            return 1;
    for (size_t i = 0; i < n;) {
        while (i < n && !((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9')))
            i++;
        size_t s = i;
        while (i < n && ((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9')))
            i++;
        if ((i - s == 2 && !memcmp(low + s, "ad", 2)) || (i - s == 3 && !memcmp(low + s, "ads", 3)))
            return 1;
    }
    return 0;
}

typedef struct walk_rules {
    int class_rules; /* drop elements by class and id */
    web_budget *budget;
    radar_buf *scratch; /* attribute values gathered from entity references */
    int err;            /* the budget ran out reading an attribute */
} walk_rules;

/* The attribute's value through radar_web_attr: no copy for a plain value; an
 * error is kept in the rules, for the walk to stop on. */
static const char *attr_of(const xmlNode *n, const char *name, walk_rules *r)
{
    int rc = 0;
    const char *v = radar_web_attr(n, name, r->budget, r->scratch, &rc);
    if (rc && !r->err)
        r->err = rc;
    return v;
}

static int attr_has(const xmlNode *n, const char *name, int (*test)(const char *), walk_rules *r)
{
    const char *v = attr_of(n, name, r);
    return v && test(v);
}

static int is_true(const char *v) { return strcasecmp(v, "true") == 0; }
static int hidden_style(const char *v)
{
    char c[128];
    size_t o = 0;
    for (; *v && o + 1 < sizeof c; v++)
        if (*v != ' ')
            c[o++] = (char)((*v >= 'A' && *v <= 'Z') ? *v + 32 : *v);
    c[o] = '\0';
    return strstr(c, "display:none") != NULL;
}
static int chrome_role(const char *v)
{
    return !strcasecmp(v, "navigation") || !strcasecmp(v, "banner") || !strcasecmp(v, "complementary") ||
           !strcasecmp(v, "contentinfo") || !strcasecmp(v, "dialog") || !strcasecmp(v, "alertdialog");
}

/* Is this element left out of the text? */
static int dropped(const xmlNode *n, walk_rules *r)
{
    if (n->type != XML_ELEMENT_NODE)
        return n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE;
    if (tag_in(n, NOT_TEXT))
        return 1;
    if (tag_is(n, "body") || tag_is(n, "html") || tag_is(n, "main"))
        return 0;
    if (attr_of(n, "hidden", r) || attr_has(n, "aria-hidden", is_true, r) || attr_has(n, "style", hidden_style, r) ||
        attr_has(n, "role", chrome_role, r))
        return 1;
    if (r->class_rules && (attr_has(n, "class", boilerplate_name, r) || attr_has(n, "id", boilerplate_name, r)))
        return 1;
    return 0;
}

static const char *const BLOCKS[] = {"p", "div", "section", "article", "main", "h2", "h3", "h4", "h5", "h6", "li",
                                     "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th", "dl", "dt", "dd",
                                     "br", "hr", "address", "center", "body", "html", NULL};

/* ---- text out ---------------------------------------------------------------------- */

typedef struct text_out {
    radar_buf *out;
    radar_buf block; /* the paragraph being collected */
    size_t link_chars, chars;
    int in_link, space, err;
    int over_budget; /* err is the document's budget running out */
    walk_rules *rules;
} text_out;

/* Lines that point elsewhere instead of telling the story. */
static int points_elsewhere(const char *s, size_t n)
{
    static const char *const lead[] = {"read more", "read next", "read also", "also read", "more:", "related:",
                                       "see also", "click here", "sign up", "subscribe", "advertisement", NULL};
    for (int i = 0; lead[i]; i++)
        if (prefix_ci(s, n, lead[i]))
            return 1;
    return 0;
}

static void flush_block(text_out *t)
{
    radar_buf *b = &t->block;
    while (b->len && b->data[b->len - 1] == ' ')
        b->len--;
    if (b->len && !t->err) {
        /* a paragraph that is mostly links is a list of other stories */
        int linky = t->link_chars * 2 > t->chars;
        if (!linky && !points_elsewhere(b->data, b->len)) {
            if (t->out->len)
                t->err = radar_buf_append(t->out, "\n\n", 2);
            if (!t->err)
                t->err = radar_buf_append(t->out, b->data, b->len);
        }
    }
    radar_buf_reset(b);
    t->link_chars = t->chars = 0;
    t->space = 1;
}

/* Append text with white space runs (and no-break spaces) as one space. */
static void put_text(text_out *t, const char *s)
{
    if (radar_web_budget_take(t->rules->budget, strlen(s))) {
        t->err = RADAR_ETOOLARGE;
        t->over_budget = 1;
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p && !t->err;) {
        int ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';
        int nbsp = p[0] == 0xC2 && p[1] == 0xA0;
        if (ws || nbsp) {
            if (!t->space && t->block.len)
                t->err = radar_buf_putc(&t->block, ' ');
            t->space = 1;
            p += nbsp ? 2 : 1;
            continue;
        }
        const unsigned char *q = p;
        while (*q && !(*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\f' || (q[0] == 0xC2 && q[1] == 0xA0)))
            q++;
        t->err = radar_buf_append(&t->block, p, (size_t)(q - p));
        t->chars += (size_t)(q - p);
        if (t->in_link)
            t->link_chars += (size_t)(q - p);
        t->space = 0;
        p = q;
    }
}

static void walk_text(text_out *t, xmlNode *n, int depth)
{
    for (; n && !t->err; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                put_text(t, (const char *)n->content);
            continue;
        }
        if (n->type == XML_ENTITY_REF_NODE) {
            /* one unit per reference, as radar_web_node_text counts */
            if (radar_web_budget_take(t->rules->budget, 1)) {
                t->err = RADAR_ETOOLARGE;
                t->over_budget = 1;
            } else if (depth <= 256) {
                walk_text(t, (xmlNode *)entity_content(n), depth + 1);
            }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || depth > 256)
            continue;
        int drop = dropped(n, t->rules);
        if (t->rules->err) { /* an attribute value over the budget */
            t->err = t->rules->err;
            t->over_budget = t->err == RADAR_ETOOLARGE;
            break;
        }
        if (drop)
            continue;
        int block = tag_in(n, BLOCKS);
        if (block)
            flush_block(t);
        int link = tag_is(n, "a");
        t->in_link += link;
        walk_text(t, n->children, depth + 1);
        t->in_link -= link;
        if (block)
            flush_block(t);
    }
}

static int text_of(xmlNode *container, walk_rules *rules, radar_buf *out)
{
    text_out t = {out, RADAR_BUF_INIT, 0, 0, 0, 1, 0, 0, rules};
    t.block.max = RADAR_MAX_ARTICLE_BYTES;
    walk_text(&t, container->children, 0);
    flush_block(&t);
    radar_buf_free(&t.block);
    if (t.over_budget)
        return RADAR_ETOOLARGE; /* with radar_web_budget_take's message */
    if (t.err == RADAR_ETOOLARGE)
        return radar_error_set(RADAR_ETOOLARGE, "the text is over the %u MiB article limit",
                               RADAR_MAX_ARTICLE_BYTES >> 20);
    return t.err ? radar_error_set(RADAR_ENOMEM, "out of memory") : 0;
}

int radar_html_node_text(xmlNode *node, web_budget *b, radar_buf *out)
{
    radar_buf scratch = RADAR_BUF_INIT;
    walk_rules r = {1, b, &scratch, 0};
    int rc = text_of(node, &r, out);
    radar_buf_free(&scratch);
    return rc;
}

/* ---- choosing the container ---------------------------------------------------------- */

/* From here on the tree is always an HTML page's: libxml2's HTML parser
 * ignores a DOCTYPE's internal subset and knows only HTML's named
 * characters, so it makes no entity references and xmlGetProp and
 * xmlNodeGetContent return at most the page's own text. */

/* Characters of text under n (what the walk would keep), and of link text. */
static void count_text(const xmlNode *n, walk_rules *r, int in_link, size_t *chars, size_t *links, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content) {
            size_t k = 0;
            for (const xmlChar *p = n->content; *p; p++)
                k += !(*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r');
            *chars += k;
            if (in_link)
                *links += k;
        } else if (n->type == XML_ELEMENT_NODE && !dropped(n, r) && depth < 256) {
            count_text(n->children, r, in_link || tag_is(n, "a"), chars, links, depth + 1);
        }
    }
}

static int is_dropped_path(const xmlNode *n, walk_rules *r)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (dropped(n, r))
            return 1;
    return 0;
}

typedef struct scored {
    xmlNode *node;
    double score;
} scored;

typedef struct finder {
    walk_rules *rules;
    xmlNode *body_marked, *best_article, *main;
    size_t best_article_chars;
    scored *cand;
    size_t n, cap;
    int nomem;
} finder;

static void add_score(finder *f, xmlNode *n, double s)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return;
    for (size_t i = 0; i < f->n; i++)
        if (f->cand[i].node == n) {
            f->cand[i].score += s;
            return;
        }
    if (radar_grow((void **)&f->cand, &f->cap, f->n + 1, sizeof *f->cand, 64)) {
        f->nomem = 1;
        return;
    }
    f->cand[f->n].node = n;
    f->cand[f->n].score = s;
    f->n++;
}

static int attr_is(const xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    int r = v && strcasecmp((const char *)v, value) == 0;
    xmlFree(v);
    return r;
}

static void find(finder *f, xmlNode *n, int depth)
{
    for (; n && depth < 256; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || dropped(n, f->rules))
            continue;
        if (!f->body_marked && attr_is(n, "itemprop", "articleBody"))
            f->body_marked = n;
        if (tag_is(n, "article")) {
            size_t c = 0, l = 0;
            count_text(n->children, f->rules, 0, &c, &l, 0);
            if (c > f->best_article_chars) {
                f->best_article_chars = c;
                f->best_article = n;
            }
        }
        if (!f->main && (tag_is(n, "main") || attr_is(n, "role", "main")))
            f->main = n;
        if (tag_is(n, "p") || tag_is(n, "pre") || tag_is(n, "blockquote")) {
            size_t c = 0, l = 0, commas = 0;
            count_text(n->children, f->rules, 0, &c, &l, 0);
            if (c >= MIN_PARAGRAPH && l * 2 < c) {
                xmlChar *s = xmlNodeGetContent(n);
                for (const xmlChar *p = s; p && *p; p++)
                    commas += *p == ',';
                xmlFree(s);
                double score = 1 + (double)commas + (c / 100 > 3 ? 3 : (double)(c / 100));
                add_score(f, n->parent, score);
                if (n->parent)
                    add_score(f, n->parent->parent, score / 2);
            }
        }
        find(f, n->children, depth + 1);
    }
}

/* Enough prose to be the article: a paragraph's worth of text. */
static int has_prose(xmlNode *n, walk_rules *r)
{
    size_t c = 0, l = 0;
    count_text(n->children, r, 0, &c, &l, 0);
    return c >= 2 * MIN_PARAGRAPH && l * 2 < c;
}

static xmlNode *choose_container(xmlNode *root, walk_rules *r, int *nomem)
{
    finder f = {0};
    f.rules = r;
    find(&f, root, 0);
    *nomem = f.nomem;
    xmlNode *best = NULL;
    if (f.body_marked && has_prose(f.body_marked, r))
        best = f.body_marked;
    else if (f.best_article && has_prose(f.best_article, r))
        best = f.best_article;
    else if (f.main && has_prose(f.main, r))
        best = f.main;
    if (!best) {
        double top = 0;
        for (size_t i = 0; i < f.n; i++) {
            size_t c = 0, l = 0;
            count_text(f.cand[i].node->children, r, 0, &c, &l, 0);
            double s = f.cand[i].score * (c ? 1.0 - (double)l / (double)c : 0);
            if (s > top && !is_dropped_path(f.cand[i].node, r)) {
                top = s;
                best = f.cand[i].node;
            }
        }
    }
    free(f.cand);
    return best;
}

/* ---- metadata ------------------------------------------------------------------------ */

static void set_once(char **field, const char *v)
{
    if (*field || !v)
        return;
    while (*v == ' ' || *v == '\n' || *v == '\t' || *v == '\r')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\n' || v[n - 1] == '\t' || v[n - 1] == '\r'))
        n--;
    if (!n)
        return;
    char *c = malloc(n + 1); /* cut to the field limit once chosen (radar_web_cut_field) */
    if (!c)
        return;
    /* titles and names are one line */
    for (size_t i = 0; i < n; i++)
        c[i] = v[i] == '\n' || v[i] == '\r' || v[i] == '\t' ? ' ' : v[i];
    c[n] = '\0';
    *field = c;
}

/* A JSON-LD value that names something: "X", {"name": "X"} or [first]. */
static const char *ld_name(json_t *v)
{
    if (json_is_array(v))
        v = json_array_get(v, 0);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v)) {
        json_t *nm = json_object_get(v, "name");
        if (json_is_string(nm))
            return json_string_value(nm);
    }
    return NULL;
}

static int ld_is_article(json_t *o)
{
    json_t *t = json_object_get(o, "@type");
    if (json_is_array(t)) {
        size_t i;
        json_t *x;
        json_array_foreach(t, i, x)
        {
            if (json_is_string(x) && (strstr(json_string_value(x), "Article") || strstr(json_string_value(x), "Posting")))
                return 1;
        }
        return 0;
    }
    return json_is_string(t) && (strstr(json_string_value(t), "Article") || strstr(json_string_value(t), "Posting"));
}

/* The first article object in a JSON-LD value (objects, arrays, @graph). */
static json_t *ld_article(json_t *v, int depth)
{
    if (depth > 8)
        return NULL;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            json_t *a = ld_article(x, depth + 1);
            if (a)
                return a;
        }
        return NULL;
    }
    if (!json_is_object(v))
        return NULL;
    if (ld_is_article(v))
        return v;
    return ld_article(json_object_get(v, "@graph"), depth + 1);
}

static void read_json_ld(html_page *p, const char *text)
{
    json_t *root = json_loads(text, 0, NULL);
    if (!root)
        return; /* a broken block of metadata is no reason to lose the page */
    json_t *a = ld_article(root, 0);
    if (a) {
        json_t *d = json_object_get(a, "datePublished");
        if (!json_is_string(d))
            d = json_object_get(a, "dateCreated");
        if (!p->date[0] && json_is_string(d))
            radar_web_date(json_string_value(d), p->date);
        set_once(&p->title, ld_name(json_object_get(a, "headline")));
        set_once(&p->author, ld_name(json_object_get(a, "author")));
        set_once(&p->source, ld_name(json_object_get(a, "publisher")));
        json_t *u = json_object_get(a, "url");
        if (!json_is_string(u)) {
            u = json_object_get(a, "mainEntityOfPage");
            if (json_is_object(u))
                u = json_object_get(u, "@id");
        }
        if (json_is_string(u))
            set_once(&p->url, json_string_value(u));
    }
    json_decref(root);
}

typedef struct meta_tags {
    char *og_title, *og_site, *og_url, *published, *author, *article_author, *canonical, *title, *date_name;
} meta_tags;

static void read_meta(html_page *p, meta_tags *m, xmlNode *n, int depth)
{
    for (; n && depth < 256; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (tag_is(n, "meta")) {
            xmlChar *key = xmlGetProp(n, BAD_CAST "property");
            if (!key)
                key = xmlGetProp(n, BAD_CAST "name");
            if (!key)
                key = xmlGetProp(n, BAD_CAST "itemprop");
            xmlChar *val = xmlGetProp(n, BAD_CAST "content");
            if (key && val) {
                const char *k = (const char *)key, *v = (const char *)val;
                if (!strcasecmp(k, "og:title"))
                    set_once(&m->og_title, v);
                else if (!strcasecmp(k, "og:site_name"))
                    set_once(&m->og_site, v);
                else if (!strcasecmp(k, "og:url"))
                    set_once(&m->og_url, v);
                else if (!strcasecmp(k, "article:published_time") || !strcasecmp(k, "datePublished"))
                    set_once(&m->published, v);
                else if (!strcasecmp(k, "author"))
                    set_once(&m->author, v);
                else if (!strcasecmp(k, "article:author") && strncmp(v, "http", 4) != 0)
                    set_once(&m->article_author, v);
                else if (!strcasecmp(k, "date") || !strcasecmp(k, "pubdate") || !strcasecmp(k, "publish-date"))
                    set_once(&m->date_name, v);
            }
            xmlFree(key);
            xmlFree(val);
        } else if (tag_is(n, "link") && attr_is(n, "rel", "canonical")) {
            xmlChar *h = xmlGetProp(n, BAD_CAST "href");
            set_once(&m->canonical, (const char *)h);
            xmlFree(h);
        } else if (tag_is(n, "title")) {
            xmlChar *s = xmlNodeGetContent(n);
            set_once(&m->title, (const char *)s);
            xmlFree(s);
        } else if (tag_is(n, "script") && attr_is(n, "type", "application/ld+json")) {
            xmlChar *s = xmlNodeGetContent(n);
            if (s)
                read_json_ld(p, (const char *)s);
            xmlFree(s);
        }
        read_meta(p, m, n->children, depth + 1);
    }
}

static void take(char **field, char **from)
{
    if (!*field && *from) {
        *field = *from;
        *from = NULL;
    }
}

static void metadata(html_page *p, xmlNode *root)
{
    meta_tags m = {0};
    read_meta(p, &m, root, 0);
    if (!p->date[0] && m.published)
        radar_web_date(m.published, p->date);
    if (!p->date[0] && m.date_name)
        radar_web_date(m.date_name, p->date);
    take(&p->title, &m.og_title);
    take(&p->title, &m.title);
    take(&p->source, &m.og_site);
    take(&p->author, &m.author);
    take(&p->author, &m.article_author);
    take(&p->url, &m.canonical);
    take(&p->url, &m.og_url);
    radar_web_cut_field(p->title, "title", &p->cut);
    radar_web_cut_field(p->url, "url", &p->cut);
    radar_web_cut_field(p->author, "author", &p->cut);
    radar_web_cut_field(p->source, "source", &p->cut);
    char **all[] = {&m.og_title, &m.og_site, &m.og_url, &m.published, &m.author, &m.article_author, &m.canonical,
                    &m.title, &m.date_name};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(*all[i]);
}

/* ---- pages ----------------------------------------------------------------------------- */

/* The page's own declaration near its start (libxml2 reads it: NULL here),
 * else the charset the server gave, else UTF-8. */
static const char *encoding_of(const char *data, size_t len, const char *hint)
{
    size_t n = len > 2048 ? 2048 : len;
    for (size_t i = 0; i + 8 < n; i++)
        if (strncasecmp(data + i, "charset=", 8) == 0) {
            const char *v = data + i + 8;
            if (*v == '"' || *v == '\'')
                v++;
            return strncasecmp(v, "utf-8", 5) == 0 || strncasecmp(v, "utf8", 4) == 0 ? "UTF-8" : NULL;
        }
    return hint && *hint ? hint : "UTF-8";
}

static htmlDocPtr parse_html(const char *data, size_t len, const char *charset, web_problem *problem)
{
    if (len > (size_t)RADAR_MAX_ARTICLE_BYTES)
        return NULL;
    xmlSetStructuredErrorFunc(problem, radar_web_on_problem);
    htmlDocPtr doc = htmlReadMemory(data, (int)len, NULL, encoding_of(data, len, charset),
                                    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
    if (!doc && charset) /* a charset libxml2 does not know: read the bytes as UTF-8 */
        doc = htmlReadMemory(data, (int)len, NULL, "UTF-8",
                             HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_COMPACT);
    xmlSetStructuredErrorFunc(NULL, NULL);
    return doc;
}

int radar_html_page_parse(html_page *p, const char *data, size_t len, const char *charset)
{
    p->body.max = RADAR_MAX_ARTICLE_BYTES;
    htmlDocPtr doc = parse_html(data, len, charset, &p->problem);
    if (!doc)
        return 0; /* nothing recoverable: an empty body, which the reader reports */
    xmlNode *root = xmlDocGetRootElement(doc);
    int rc = 0;
    if (root) {
        metadata(p, root);
        /* libxml2's HTML parser makes no entity references (it knows only
         * HTML's named characters), so a page's text is at most the page;
         * the budget is the same as for feeds all the same */
        web_budget budget = {0};
        radar_buf scratch = RADAR_BUF_INIT;
        walk_rules rules = {1, &budget, &scratch, 0};
        int nomem = 0;
        xmlNode *c = choose_container(root, &rules, &nomem);
        if (nomem)
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
        else
            rc = text_of(c ? c : root, &rules, &p->body);
        if (!rc && p->body.len == 0) {
            /* a page whose every element has a boilerplate class name (a
             * body class like "cookie-banner-open" on every block): read it
             * without the class rules rather than lose it; a second reading
             * of the same page, with a budget of its own */
            rules.class_rules = 0;
            budget.used = 0;
            c = choose_container(root, &rules, &nomem);
            rc = text_of(c ? c : root, &rules, &p->body);
        }
        radar_buf_free(&scratch);
    }
    xmlFreeDoc(doc);
    return rc;
}

void radar_html_page_free(html_page *p)
{
    if (!p)
        return;
    radar_buf_free(&p->body);
    free(p->title);
    free(p->url);
    free(p->author);
    free(p->source);
    memset(p, 0, sizeof *p);
}

int radar_html_fragment_text(const char *data, size_t len, radar_buf *out)
{
    web_problem ignored = {0};
    htmlDocPtr doc = parse_html(data, len, NULL, &ignored);
    if (!doc)
        return 0;
    int rc = 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) {
        /* HTML: no entity references, text at most the fragment (which
         * the caller has charged to the feed's budget already) */
        web_budget budget = {0};
        radar_buf scratch = RADAR_BUF_INIT;
        walk_rules rules = {1, &budget, &scratch, 0};
        rc = text_of(root, &rules, out);
        radar_buf_free(&scratch);
    }
    xmlFreeDoc(doc);
    return rc;
}
