/*
 * store_json.c - the JSON writers of the questions' typed answers: one per
 * answer, the shape docs/store.md and docs/api.md describe. A string the
 * store holds nothing for is null; text that is not valid UTF-8 (bodies are
 * stored as read) has U+FFFD in place of the bad bytes.
 */
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "store_internal.h"

static json_t *text(const char *s)
{
    return s ? radar_store_text_json(s, strlen(s)) : json_null();
}

json_t *radar_story_row_json(const radar_story_row *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "player", text(r->player));
    json_object_set_new(o, "to_club", text(r->to_club));
    json_object_set_new(o, "from_club", text(r->from_club));
    json_object_set_new(o, "first_seen", text(r->first_seen));
    json_object_set_new(o, "last_seen", text(r->last_seen));
    json_object_set_new(o, "mentions", json_integer(r->mentions));
    json_object_set_new(o, "stage", text(r->stage));
    json_object_set_new(o, "silence_days", json_integer(r->silence_days));
    json_object_set_new(o, "sources", json_integer(r->sources));
    json_object_set_new(o, "independent_sources", json_integer(r->independent_sources));
    json_object_set_new(o, "heat", json_real(r->heat));
    json_object_set_new(o, "player_id", json_integer(r->player_id));
    json_object_set_new(o, "latest_stage", text(r->latest_stage));
    json_object_set_new(o, "furthest_stage", text(r->furthest_stage));
    json_object_set_new(o, "likelihood", r->has_likelihood ? json_real(r->likelihood) : json_null());
    json_object_set_new(o, "outcome", text(r->outcome));
    /* what the status rests on, flat like the rest of the row */
    json_object_set_new(o, "outcome_reason", text(r->outcome_how));
    json_object_set_new(o, "outcome_on", text(r->outcome_on));
    json_object_set_new(o, "outcome_article", text(r->outcome_article));
    json_object_set_new(o, "outcome_start", r->outcome_article && r->outcome_start >= 0 ? json_integer(r->outcome_start)
                                                                                      : json_null());
    json_object_set_new(o, "outcome_end", r->outcome_article && r->outcome_start >= 0 ? json_integer(r->outcome_end)
                                                                                    : json_null());
    json_object_set_new(o, "status", json_string(r->status));
    if (r->resurfaced_after)
        json_object_set_new(o, "resurfaced_after", json_string(r->resurfaced_after));
    return o;
}

static json_t *story_rows_json(const radar_story_row *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, radar_story_row_json(&v[i]));
    return a;
}

json_t *radar_story_list_json(const radar_story_list *l)
{
    return json_pack("{s:o, s:I, s:i, s:i}", "stories", story_rows_json(l->v, l->n), "total", (json_int_t)l->total,
                     "limit", l->limit, "offset", l->offset);
}

static json_t *mention_json(const radar_mention_row *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "date", text(m->date));
    json_object_set_new(o, "article", text(m->article));
    json_object_set_new(o, "published_by", text(m->published_by));
    json_object_set_new(o, "title", text(m->title));
    json_object_set_new(o, "url", text(m->url));
    json_object_set_new(o, "stage", text(m->stage));
    json_object_set_new(o, "from_club", text(m->from_club));
    json_object_set_new(o, "player_as_written", text(m->player_as_written));
    if (m->has_fee) {
        json_t *fee = json_object();
        json_object_set_new(fee, "amount", json_real(m->fee_amount));
        if (m->fee_max > m->fee_amount)
            json_object_set_new(fee, "amount_max", json_real(m->fee_max));
        json_object_set_new(fee, "currency", text(m->fee_currency));
        json_object_set_new(fee, "kind", text(m->fee_kind));
        json_object_set_new(fee, "eur", m->has_fee_eur ? json_real(m->fee_eur) : json_null());
        json_object_set_new(o, "fee", fee);
    } else {
        json_object_set_new(o, "fee", json_null());
    }
    json_object_set_new(o, "age", m->has_age ? json_integer(m->age) : json_null());
    json_t *suitors = json_array();
    for (size_t i = 0; i < m->n_suitors_also; i++)
        json_array_append_new(suitors, json_string(m->suitors_also[i]));
    json_object_set_new(o, "suitors_also", suitors);
    json_t *ev = json_array();
    for (size_t i = 0; i < m->n_evidence; i++) {
        const radar_evidence *e = &m->evidence[i];
        json_array_append_new(ev, json_pack("{s:[I,I], s:o}", "span", (json_int_t)e->start, (json_int_t)e->end, "text",
                                            radar_store_text_json(e->text, e->len)));
    }
    json_object_set_new(o, "evidence", ev);
    json_t *sources = json_array();
    for (size_t i = 0; i < m->n_sources; i++)
        json_array_append_new(sources, json_pack("{s:o, s:o, s:b}", "name", text(m->sources[i].name), "kind",
                                                 text(m->sources[i].kind), "cited", m->sources[i].cited));
    json_object_set_new(o, "sources", sources);
    return o;
}

json_t *radar_timeline_json(const radar_mention_row *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, mention_json(&v[i]));
    return a;
}

json_t *radar_story_export_json(const radar_story_row *story, const radar_mention_row *timeline, size_t n)
{
    json_t *o = radar_story_row_json(story);
    json_object_set_new(o, "timeline", radar_timeline_json(timeline, n));
    return o;
}

static json_t *likelihood_json(const radar_likelihood *l, const char *as_of)
{
    json_t *factors = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const radar_factor *f = &l->factors[i];
        /* a resolved story's certainty is no finite weight: null */
        json_t *o = json_pack("{s:s, s:s, s:o}", "name", f->name, "detail", f->detail, "contribution",
                              isfinite(f->contribution) ? json_real(round(f->contribution * 1000) / 1000)
                                                        : json_null());
        /* the feature's value and the model's weight, where the line has them */
        json_object_set_new(o, "value", f->has_weight ? json_real(round(f->value * 1000) / 1000) : json_null());
        json_object_set_new(o, "weight", f->has_weight ? json_real(round(f->weight * 1000) / 1000) : json_null());
        json_array_append_new(factors, o);
    }
    json_t *o = json_pack("{s:f, s:o}", "p", round(l->p * 10000) / 10000, "factors", factors);
    json_object_set_new(o, "as_of", as_of ? json_string(as_of) : json_null());
    return o;
}

json_t *radar_story_detail_json(const radar_story_detail *d)
{
    json_t *o = radar_story_row_json(&d->story);
    json_object_set_new(o, "timeline", radar_timeline_json(d->timeline, d->n_timeline));
    json_t *rivals = json_array();
    for (size_t i = 0; i < d->n_rival_suitors; i++)
        json_array_append_new(rivals, text(d->rival_suitors[i]));
    json_object_set_new(o, "rival_suitors", rivals);
    json_object_set_new(o, "likelihood", likelihood_json(&d->likelihood, d->as_of));
    json_t *res = json_array();
    for (size_t i = 0; i < d->n_resolutions; i++) {
        const radar_resolution_row *r = &d->resolutions[i];
        json_array_append_new(res, json_pack("{s:o, s:o, s:o, s:o}", "outcome", text(r->outcome), "on", text(r->on),
                                             "how", text(r->how), "article", text(r->article)));
    }
    json_object_set_new(o, "resolutions", res);
    json_object_set_new(o, "outcome_text", text(d->outcome_text));
    return o;
}

/* Facts of a player (no subject) or of a club (with it). */
static json_t *facts_json(const radar_fact_row *v, size_t n, int with_subject)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const radar_fact_row *f = &v[i];
        json_t *o = json_object();
        json_object_set_new(o, "type", text(f->type));
        if (with_subject)
            json_object_set_new(o, "subject", text(f->subject));
        json_object_set_new(o, "value", text(f->value));
        json_object_set_new(o, "detail", text(f->detail));
        json_object_set_new(o, "date", text(f->date));
        json_object_set_new(o, "article", text(f->article));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *radar_player_list_json(const radar_player_list *l)
{
    json_t *players = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const radar_player_row *p = &l->v[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(p->id));
        json_object_set_new(o, "name", text(p->name));
        json_object_set_new(o, "birth_year", p->has_birth_year ? json_integer(p->birth_year) : json_null());
        json_object_set_new(o, "club", text(p->club));
        json_object_set_new(o, "stories", story_rows_json(p->stories, p->n_stories));
        json_t *ages = json_array();
        for (size_t k = 0; k < p->n_ages; k++)
            json_array_append_new(ages, json_pack("{s:o, s:I}", "date", text(p->ages[k].date), "age",
                                                  (json_int_t)p->ages[k].age));
        json_object_set_new(o, "ages", ages);
        /* the age as of the latest report */
        json_object_set_new(o, "latest_age", p->n_ages ? json_pack("{s:I, s:o}", "years",
                                                                   (json_int_t)p->ages[p->n_ages - 1].age, "date",
                                                                   text(p->ages[p->n_ages - 1].date))
                                                       : json_null());
        json_object_set_new(o, "position", text(p->position));
        json_object_set_new(o, "nationality", text(p->nationality));
        json_object_set_new(o, "facts", facts_json(p->facts, p->n_facts, 0));
        json_array_append_new(players, o);
    }
    return json_pack("{s:s, s:o}", "query", l->query, "players", players);
}

json_t *radar_club_answer_json(const radar_club_answer *c)
{
    return json_pack("{s:s, s:o, s:o, s:o}", "club", c->club, "linked_in", story_rows_json(c->linked_in, c->n_linked_in),
                     "linked_out", story_rows_json(c->linked_out, c->n_linked_out), "facts",
                     facts_json(c->facts, c->n_facts, 1));
}

json_t *radar_source_row_json(const radar_source_row *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", text(r->name));
    json_object_set_new(o, "kind", text(r->kind));
    json_object_set_new(o, "tier", r->has_tier ? json_integer(r->tier) : json_null());
    json_object_set_new(o, "mentions", json_integer(r->mentions));
    json_object_set_new(o, "stories", json_integer(r->stories));
    json_object_set_new(o, "cited", json_integer(r->cited));
    json_object_set_new(o, "originated", json_integer(r->originated));
    json_object_set_new(o, "resolved", json_integer(r->resolved));
    json_object_set_new(o, "hits", json_integer(r->hits));
    json_object_set_new(o, "hit_rate", json_real(round(r->hit_rate * 1000) / 1000));
    json_object_set_new(o, "interval", json_pack("[f,f]", round(r->lo * 1000) / 1000, round(r->hi * 1000) / 1000));
    return o;
}

json_t *radar_source_list_json(const radar_source_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, radar_source_row_json(&l->v[i]));
    return json_pack("{s:o}", "sources", a);
}

json_t *radar_feed_list_json(const radar_feed_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const radar_feed_row *f = &l->v[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(f->id));
        json_object_set_new(o, "url", text(f->url));
        json_object_set_new(o, "name", text(f->name));
        json_object_set_new(o, "title", text(f->title));
        json_object_set_new(o, "etag", text(f->etag));
        json_object_set_new(o, "last_modified", text(f->last_modified));
        json_object_set_new(o, "failures", json_integer(f->failures));
        json_object_set_new(o, "last_poll", f->has_last_poll ? json_integer(f->last_poll) : json_null());
        json_object_set_new(o, "next_poll", f->has_next_poll ? json_integer(f->next_poll) : json_null());
        json_object_set_new(o, "last_error", text(f->last_error));
        json_object_set_new(o, "articles", json_integer(f->articles));
        json_array_append_new(a, o);
    }
    return json_pack("{s:o}", "feeds", a);
}

json_t *radar_source_answer_json(const radar_source_answer *s)
{
    json_t *o = radar_source_row_json(&s->record);
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_stories; i++) {
        const radar_source_story_row *r = &s->stories[i];
        json_t *x = json_object();
        json_object_set_new(x, "story", json_integer(r->story));
        json_object_set_new(x, "player", text(r->player));
        json_object_set_new(x, "to_club", text(r->to_club));
        json_object_set_new(x, "first_reported", text(r->first_reported));
        json_object_set_new(x, "last_reported", text(r->last_reported));
        json_object_set_new(x, "mentions", json_integer(r->mentions));
        json_object_set_new(x, "outcome", text(r->outcome));
        json_object_set_new(x, "likelihood", r->has_likelihood ? json_real(r->likelihood) : json_null());
        json_array_append_new(a, x);
    }
    json_object_set_new(o, "stories_reported", a);
    return o;
}

json_t *radar_outcomes_answer_json(const radar_outcomes_answer *o)
{
    json_t *resolved = json_array(), *unmatched = json_array();
    for (size_t i = 0; i < o->n_resolved; i++) {
        const radar_resolved_row *r = &o->resolved[i];
        json_t *x = json_object();
        json_object_set_new(x, "story", json_integer(r->story));
        json_object_set_new(x, "player", text(r->player));
        json_object_set_new(x, "to_club", text(r->to_club));
        json_object_set_new(x, "status", text(r->status));
        json_object_set_new(x, "outcome", text(r->outcome));
        json_object_set_new(x, "on", text(r->on));
        json_object_set_new(x, "how", text(r->how));
        json_array_append_new(resolved, x);
    }
    for (size_t i = 0; i < o->n_unmatched; i++) {
        const radar_unmatched_row *u = &o->unmatched[i];
        json_array_append_new(unmatched, json_pack("{s:o, s:o, s:o, s:o}", "player", text(u->player), "to_club",
                                                   text(u->to_club), "date", text(u->date), "outcome", text(u->outcome)));
    }
    return json_pack("{s:o, s:I, s:o}", "resolved", resolved, "total", (json_int_t)o->total, "unmatched", unmatched);
}

json_t *radar_search_answer_json(const radar_search_answer *s)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < s->n; i++) {
        const radar_search_hit *h = &s->v[i];
        json_t *stories = h->stories ? json_loads(h->stories, 0, NULL) : NULL;
        json_array_append_new(hits, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "article", text(h->article),
                                              "date", text(h->date), "source", text(h->source), "title",
                                              text(h->title), "url", text(h->url), "stories",
                                              stories ? stories : json_array(), "snippet", text(h->snippet)));
    }
    return json_pack("{s:o, s:o}", "query", text(s->query), "hits", hits);
}
