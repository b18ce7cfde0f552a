/*
 * articles.c - articles kept past the reader's callback, for the front ends
 * that hand them to another thread.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *copy_field(char **cursor, const char *s, size_t len)
{
    if (!s)
        return NULL;
    char *d = *cursor;
    memcpy(d, s, len);
    d[len] = '\0';
    *cursor += len + 1;
    return d;
}

int cli_article_copy(cli_article *o, const radar_article *a)
{
    size_t lens[8] = {a->id ? strlen(a->id) : 0,         a->date ? strlen(a->date) : 0,
                      a->source ? strlen(a->source) : 0, a->title ? strlen(a->title) : 0,
                      a->url ? strlen(a->url) : 0,       a->body_len,
                      a->path ? strlen(a->path) : 0,     a->author ? strlen(a->author) : 0};
    size_t total = 8;
    for (int i = 0; i < 8; i++)
        total += lens[i];
    if (total > o->cap) {
        char *p = realloc(o->mem, total);
        if (!p)
            return -1;
        o->mem = p;
        o->cap = total;
    }
    char *c = o->mem;
    o->a = *a;
    o->a.id = copy_field(&c, a->id, lens[0]);
    o->a.date = copy_field(&c, a->date, lens[1]);
    o->a.source = copy_field(&c, a->source, lens[2]);
    o->a.title = copy_field(&c, a->title, lens[3]);
    o->a.url = copy_field(&c, a->url, lens[4]);
    o->a.body = copy_field(&c, a->body, lens[5]);
    o->a.path = copy_field(&c, a->path, lens[6]);
    o->a.author = copy_field(&c, a->author, lens[7]);
    return 0;
}

void cli_article_free(cli_article *o)
{
    free(o->mem);
    o->mem = NULL;
    o->cap = 0;
}
