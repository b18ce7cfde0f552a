/*
 * cmd_query.c - the questions: radar stories, story, player, club, search,
 * sources, source, export, one table (QUESTIONS) from name to what it asks.
 * Each reads the store's typed answer and prints it as text for a person, or
 * through the answer's JSON writer (--json).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "radar/people.h"
#include "radar/radar.h"
#include "radar/registry.h"
#include "radar/store.h"
#include "cli.h"

typedef struct qopts {
    const char *db;
    int json;
    int explain;
    int links; /* player: the registry players he is or may be linked to */
    radar_story_filter filter;
    const char *format; /* export: csv | jsonl */
    const char *what;   /* export: stories | mentions */
    char seen[32];      /* the options given, by their letter in parse(), each once */
} qopts;

/* A string that may be NULL (nothing stored), printed as empty. */
static const char *or_empty(const char *s) { return s ? s : ""; }

/* printf pads "%-*s" by bytes; give it the byte width that fills `cols` terminal columns, so that
 * accented names ("Ødegaard", "Atlético") keep the columns aligned. */
static int pad_(const char *s, int cols)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), used = 0;
    int width = 0;

    while (used < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + used, len - used, &cp);
        if (n <= 0) { /* not UTF-8: count the byte as one column */
            used++;
            width++;
            continue;
        }
        used += n;
        width += utf8proc_charwidth(cp);
    }
    return width >= cols ? 0 : cols + (int)(len - width);
}

static void print_story_line(const radar_story_row *s)
{
    const char *from = s->from_club && *s->from_club ? s->from_club : "?";

    printf("#%-6lld %-*s %-*s <- %-*s %-9s %3lld mention%s  %s .. %s  %s", s->id, pad_(or_empty(s->player), 26),
           or_empty(s->player), pad_(or_empty(s->to_club), 22), or_empty(s->to_club), pad_(from, 22), from,
           or_empty(s->stage), s->mentions, s->mentions == 1 ? " " : "s",
           s->first_seen && *s->first_seen ? s->first_seen : "(date unknown)",
           s->last_seen && *s->last_seen ? s->last_seen : "(date unknown)", s->status);
    if (s->resurfaced_after)
        printf(" after %s", s->resurfaced_after);
    /* the status, and the likelihood that goes with it (done 100%, failed 0%) */
    const char *outcome = or_empty(s->outcome);
    if (!strcmp(outcome, "done") || !strcmp(outcome, "failed"))
        printf(", %s", outcome);
    else if (!strcmp(outcome, "quiet"))
        printf(", went quiet");
    if (s->has_likelihood && strcmp(outcome, "done") && strcmp(outcome, "failed"))
        printf(", %.0f%% likely", 100 * s->likelihood);
    putchar('\n');
}

static void print_story_lines(const radar_story_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        print_story_line(&v[i]);
}

/* The likelihood (as the JSON gives it: p to 0.0001, each factor to 0.001),
 * and with --explain each factor's share of the log-odds. */
static void print_likelihood(const radar_likelihood *l, const char *as_of, int explain)
{
    printf("  likelihood: %.0f%%", 100 * (round(l->p * 10000) / 10000));
    if (as_of && *as_of)
        printf(" (as of %s)", as_of);
    putchar('\n');
    if (!explain)
        return;
    for (size_t i = 0; i < l->n; i++) {
        const radar_factor *f = &l->factors[i];
        if (isfinite(f->contribution) && f->has_weight) /* what was seen, as a number, times the weight */
            printf("    %+6.2f  %-12s %s  [%.3g x %+.2f]\n", round(f->contribution * 1000) / 1000, f->name, f->detail,
                   f->value, f->weight);
        else if (isfinite(f->contribution))
            printf("    %+6.2f  %-12s %s\n", round(f->contribution * 1000) / 1000, f->name, f->detail);
        else
            printf("       --  %-12s %s\n", f->name, f->detail);
    }
    printf("    (log-odds summed, then p = 1 / (1 + e^-sum))\n");
}

static void print_fee(const radar_mention_row *m)
{
    if (!m->has_fee)
        return;
    printf("  %s %.0f %s", or_empty(m->fee_kind), m->fee_amount, or_empty(m->fee_currency));
    if (m->has_fee_eur && strcmp(or_empty(m->fee_currency), "EUR"))
        printf(" (~EUR %.0f)", m->fee_eur);
}

static void print_mention(const radar_mention_row *m)
{
    printf("\n  %s  %-10s %s", m->date && *m->date ? m->date : "(date unknown)", or_empty(m->stage),
           or_empty(m->article));
    if (m->published_by && *m->published_by)
        printf("  [%s]", m->published_by);
    print_fee(m);
    if (m->has_age)
        printf("  age %lld", m->age);
    putchar('\n');
    if (m->n_sources) {
        printf("    sources:");
        for (size_t k = 0; k < m->n_sources; k++)
            printf("%s %s", k ? "," : "", or_empty(m->sources[k].name));
        putchar('\n');
    }
    for (size_t k = 0; k < m->n_evidence; k++) {
        printf("    \"");
        for (const char *p = m->evidence[k].text; *p; p++)
            putchar(*p == '\n' ? ' ' : *p);
        printf("\"\n");
    }
}

static void print_story(const radar_story_detail *d, int explain)
{
    const radar_story_row *s = &d->story;
    printf("Story #%lld: %s -> %s\n", s->id, or_empty(s->player), or_empty(s->to_club));
    /* a story of endings only has no stage of its own: "none" is not shown as one */
    int staged = s->stage && *s->stage && strcmp(s->stage, "none");
    printf("  from %s; %s%s", s->from_club && *s->from_club ? s->from_club : "an unknown club",
           staged ? "stage " : "no stage reached", staged ? s->stage : "");
    if (staged && s->furthest_stage && strcmp(s->furthest_stage, "none") && strcmp(s->furthest_stage, s->stage))
        printf(" (furthest %s)", s->furthest_stage);
    printf("; %lld mention%s from %s to %s; %lld source%s", s->mentions, s->mentions == 1 ? "" : "s",
           s->first_seen ? s->first_seen : "(date unknown)", s->last_seen ? s->last_seen : "(date unknown)", s->sources,
           s->sources == 1 ? "" : "s");
    if (s->independent_sources < s->sources) /* said only where it differs */
        printf(" (%lld independent)", s->independent_sources);
    putchar('\n');
    const char *outcome = or_empty(s->outcome);
    printf("  status: %s", !strcmp(outcome, "quiet") ? "went quiet" : outcome);
    if (s->outcome_how && strcmp(outcome, "open"))
        printf(": %s", s->outcome_how);
    else if (s->outcome_on)
        printf(" (reported again since it ended on %s)", s->outcome_on);
    putchar('\n');
    if (d->outcome_text) {
        printf("    \"");
        for (const char *p = d->outcome_text; *p; p++)
            putchar(*p == '\n' ? ' ' : *p);
        printf("\"\n");
    }
    printf("  reports: %s", s->status);
    if (!strcmp(s->status, "undated"))
        printf(" (no report of the move carries a date: how fresh it is is unknown)");
    if (s->resurfaced_after)
        printf(" (after a silence of %s)", s->resurfaced_after);
    putchar('\n');
    for (size_t r = 0; r < d->n_resolutions; r++)
        printf("  %s on %s: %s\n", !strcmp(or_empty(d->resolutions[r].outcome), "quiet") ? "went quiet"
                                                                                       : or_empty(d->resolutions[r].outcome),
               or_empty(d->resolutions[r].on), or_empty(d->resolutions[r].how));
    print_likelihood(&d->likelihood, d->as_of, explain);
    if (d->n_rival_suitors) {
        printf("  other clubs after him:");
        for (size_t i = 0; i < d->n_rival_suitors; i++)
            printf("%s %s", i ? "," : "", d->rival_suitors[i]);
        putchar('\n');
    }
    for (size_t i = 0; i < d->n_timeline; i++)
        print_mention(&d->timeline[i]);
}

/* Each question's usage: what `radar QUESTION --help` prints. */
static const struct {
    const char *name, *text;
} USAGES[] = {
    {"stories",
     "usage: radar stories [--club C] [--player P] [--source NAME] [--since DATE] [--stage S]\n"
     "                     [--status open|done|failed|quiet] [--sort hot|recent|first|likelihood]\n"
     "                     [--limit N] [--offset N] [--db PATH] [--json]\n"
     "\n"
     "The rumour board: one line per story (a player and a destination club), the hottest first.\n"
     "\n"
     "options:\n"
     "  --club C        stories where C buys or sells (aliases understood: Inter, Internazionale)\n"
     "  --player P      stories of the players called P (case and accents ignored)\n"
     "  --source NAME   stories a source reported: an outlet, a journalist, a handle or a domain\n"
     "                  (\"Fabrizio Romano\", \"romano\", \"x.com/FabrizioRomano\")\n"
     "  --since DATE    stories seen since YYYY-MM-DD\n"
     "  --stage S       the story's stage (where it stands): interest, contact, talks, bid, agreement,\n"
     "                  medical, signed, rejected, collapsed, denied, or none\n"
     "  --status S      open, done, failed (on evidence) or quiet (its window closed in silence)\n"
     "  --sort ORDER    hot (default), recent, first or likelihood\n"
     "  --limit N       at most N stories (default 50)\n"
     "  --offset N      skip the first N\n"},
    {"story",
     "usage: radar story ID [--explain] [--db PATH] [--json]\n"
     "\n"
     "One story's timeline: every mention with its date, source, stage, fee and evidence; its outcome\n"
     "and its likelihood.\n"
     "\n"
     "options:\n"
     "  --explain       the factors of the likelihood, each with its weight\n"},
    {"player",
     "usage: radar player NAME [--links] [--db PATH] [--json]\n"
     "\n"
     "Everything about the players called NAME: the clubs linked, his position and nationality as the\n"
     "articles say them most, his age at the latest report and the birth year the ages imply, the\n"
     "facts, and the registry's record where one is linked.\n"
     "\n"
     "options:\n"
     "  --links         the registry players each could be, with the link's confidence\n"},
    {"club",
     "usage: radar club NAME [--limit N] [--db PATH] [--json]\n"
     "\n"
     "Who a club is linked with, in and out, and its squad facts. A club no story and no fact names\n"
     "is an error (exit status 1).\n"
     "\n"
     "options:\n"
     "  --limit N       at most N stories each way\n"},
    {"search",
     "usage: radar search QUERY [--limit N] [--db PATH] [--json]\n"
     "\n"
     "Full-text search over the stored articles. The query is words: every word must appear, in any\n"
     "order, any case and accents (Odegaard finds Ødegaard and Ødegaard finds Odegaard; so do ß and\n"
     "ss, Æ and AE, Ł and L, Đ and D, Müller and Mueller). \"Two words\" in double quotes is a phrase;\n"
     "-word leaves out the articles with that word. Each result gives the article's title, date,\n"
     "source, link, and the stories it belongs to.\n"
     "\n"
     "options:\n"
     "  --limit N       at most N articles (default 20, at most 100)\n"},
    {"sources",
     "usage: radar sources [--db PATH] [--json]\n"
     "\n"
     "The outlets, journalists and accounts cited, with their counts and hit rates.\n"},
    {"source",
     "usage: radar source NAME [--db PATH] [--json]\n"
     "\n"
     "One source's record: its hit rate with its interval, and the stories it reported. NAME is an\n"
     "outlet, a journalist, a handle or a domain, matched forgivingly.\n"},
    {"export",
     "usage: radar export [--format csv|jsonl] [--what stories|mentions] [--club C] [--player P]\n"
     "                    [--source NAME] [--since DATE] [--stage S] [--status S] [--db PATH]\n"
     "\n"
     "The stories as CSV or JSON Lines, filtered as radar stories filters them.\n"
     "\n"
     "options:\n"
     "  --format F      jsonl (default) or csv\n"
     "  --what W        mentions (default): one row per mention (CSV) or one story with its timeline\n"
     "                  per line (JSON Lines); stories: one row per story (first and last seen,\n"
     "                  stage, status, likelihood, sources, fee range, the link of the latest report)\n"
     "  --club, --player, --source, --since, --stage, --status: as radar stories\n"},
};

static void usage(FILE *f, const char *cmd)
{
    for (size_t i = 0; i < sizeof USAGES / sizeof *USAGES; i++)
        if (!strcmp(USAGES[i].name, cmd)) {
            fputs(USAGES[i].text, f);
            if (f == stdout) {
                if (strstr(USAGES[i].text, "options:") == NULL)
                    fputs("\noptions:\n", f);
                fputs("  --db PATH       the database (default $RADAR_DB, else ~/.local/share/transfer-radar/radar.db)\n", f);
                if (strcmp(cmd, "export"))
                    fputs("  --json          the answer as JSON\n", f);
                fputs("  -h, --help      show this help\n", f);
            }
        }
}

/* The stages a story can be at: "none" (no report had a stage), interest
 * .. signed, or an ending (rejected, collapsed, denied). */
static int known_stage(const char *s)
{
    if (!strcmp(s, "none"))
        return 1;
    for (int i = RADAR_STAGE_INTEREST; i < RADAR_STAGE_COUNT; i++)
        if (!strcmp(s, radar_stage_name((radar_stage)i)))
            return 1;
    return 0;
}

static const char *stage_list(char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = RADAR_STAGE_INTEREST; i < RADAR_STAGE_COUNT; i++)
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s, ", radar_stage_name((radar_stage)i));
    if (n < cap)
        snprintf(out + n, cap - n, "or none");
    return out;
}

static int parse(int argc, char **argv, qopts *q, int *first_arg)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'},    {"json", no_argument, NULL, 'j'},
        {"club", required_argument, NULL, 'c'},  {"player", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 's'}, {"stage", required_argument, NULL, 'S'},
        {"source", required_argument, NULL, 'R'}, {"status", required_argument, NULL, 'T'},
        {"sort", required_argument, NULL, 'o'},  {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'O'}, {"format", required_argument, NULL, 'f'},
        {"explain", no_argument, NULL, 'e'},     {"help", no_argument, NULL, 'h'},
        {"links", no_argument, NULL, 'L'},
        {"what", required_argument, NULL, 'w'},
        {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        if (c != '?' && c != 'h' && !strchr(q->seen, c) && strlen(q->seen) + 1 < sizeof q->seen)
            q->seen[strlen(q->seen)] = (char)c;
        switch (c) {
        case 'D': q->db = optarg; break;
        case 'j': q->json = 1; break;
        case 'c': q->filter.club = optarg; break;
        case 'p': q->filter.player = optarg; break;
        case 's':
            if (!radar_date_valid(optarg, strlen(optarg))) {
                cli_error("--since must be a date written YYYY-MM-DD, not '%s'", optarg);
                return EXIT_USAGE;
            }
            q->filter.since = optarg;
            break;
        case 'S':
            if (!known_stage(optarg)) {
                char list[200];
                cli_error("unknown stage '%s' (%s)", optarg, stage_list(list, sizeof list));
                return EXIT_USAGE;
            }
            q->filter.stage = optarg;
            break;
        case 'R': q->filter.source = optarg; break;
        case 'T': q->filter.outcome = optarg; break; /* the store refuses an unknown status */
        case 'o': q->filter.sort = optarg; break;
        case 'n':
        case 'O': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > RADAR_MAX_QUERY_ROWS) {
                cli_error("--%s must be a number from 0 to %d", c == 'n' ? "limit" : "offset", RADAR_MAX_QUERY_ROWS);
                return EXIT_USAGE;
            }
            if (c == 'n')
                q->filter.limit = (int)v;
            else
                q->filter.offset = (int)v;
            break;
        }
        case 'f': q->format = optarg; break;
        case 'w': q->what = optarg; break;
        case 'e': q->explain = 1; break;
        case 'L': q->links = 1; break;
        case 'h': usage(stdout, argv[0]); return -1;
        default: usage(stderr, argv[0]); return EXIT_USAGE;
        }
    }
    *first_arg = optind;
    return 0;
}

static int open_store(qopts *q, radar_store **st, radar_lexicon **lex)
{
    if (radar_lexicon_new_builtin(lex)) {
        cli_error("lexicon: %s", radar_last_error());
        return EXIT_FAILED;
    }
    int rc = cli_store_open(q->db, RADAR_STORE_READONLY, *lex, st);
    if (rc) {
        radar_lexicon_free(*lex);
        *lex = NULL;
    }
    return rc;
}

static void print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | CLI_JSON_REAL);
    if (s) {
        puts(s);
        free(s);
    }
}

/* Print a JSON answer (--json) and free it; out of memory when it is NULL. */
static int print_json_answer(json_t *j)
{
    if (!j)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    print_json(j);
    json_decref(j);
    return 0;
}

static void csv_field(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s == '\n' ? ' ' : *s);
    }
    putchar('"');
}

/* ---- the questions: each asks the store and prints its answer ---- */

typedef struct ask {
    radar_store *st;
    const qopts *q;
    const char *arg; /* the question's argument, or NULL */
    long long id;    /* radar story: the id */
} ask;

static int ask_stories(const ask *a)
{
    radar_story_list *l;
    int rc = radar_store_stories_list(a->st, &a->q->filter, &l);
    if (rc)
        return rc;
    if (a->q->json) {
        rc = print_json_answer(radar_story_list_json(l));
    } else {
        print_story_lines(l->v, l->n);
        printf("(%zu of %lld stories)\n", l->n, l->total);
    }
    radar_story_list_free(l);
    return rc;
}

static int ask_story(const ask *a)
{
    radar_story_detail *d;
    int rc = radar_store_story_read(a->st, a->id, &d);
    if (rc)
        return rc;
    if (a->q->json)
        rc = print_json_answer(radar_story_detail_json(d));
    else
        print_story(d, a->q->explain);
    radar_story_detail_free(d);
    return rc;
}

static void print_registry_player(const radar_registry_player *r, int facts)
{
    printf("  registry %s: %s (%s, confidence %.2f)\n", r->id, or_empty(r->name), r->how, r->confidence);
    if (!facts)
        return;
    if (r->birth_date)
        printf("    born %s\n", r->birth_date);
    if (r->position || r->nationality)
        printf("    %s%s%s\n", or_empty(r->position), r->position && r->nationality ? ", " : "", or_empty(r->nationality));
    if (r->club)
        printf("    club %s%s%s\n", r->club, r->contract_until ? ", contract to " : "", or_empty(r->contract_until));
    if (r->market_value > 0)
        printf("    market value EUR %.0f\n", r->market_value);
    for (size_t t = 0; t < r->n_transfers; t++) {
        printf("    %s  %s -> %s", or_empty(r->transfers[t].date), r->transfers[t].from_club ? r->transfers[t].from_club : "?",
               or_empty(r->transfers[t].to_club));
        if (r->transfers[t].fee > 0)
            printf("  EUR %.0f", r->transfers[t].fee);
        putchar('\n');
    }
}

/* The registry player a stored player is linked to, with his facts; with
 * --links, the stored id and the other candidates too. */
static int print_registry(const ask *a, long long id)
{
    radar_registry_players *r;
    int rc = radar_registry_player_links(a->st, id, &r);
    if (rc)
        return rc;
    if (a->q->links)
        printf("  stored player %lld%s\n", id, r->linked ? "" : ", linked to no registry player");
    for (size_t i = 0; i < r->n; i++)
        if ((i == 0 && r->linked) || a->q->links)
            print_registry_player(&r->v[i], i == 0 && r->linked);
    radar_registry_players_free(r);
    return 0;
}

/* The ages the articles gave: the latest, and the birth year they imply with
 * its spread (an age is given without a birthday: a year either way is one
 * man), not a line per age. */
static void print_ages(const radar_player_row *p)
{
    if (!p->n_ages)
        return;
    long long lo = 0, hi = 0;
    for (size_t k = 0; k < p->n_ages; k++) {
        long long y = (p->ages[k].date ? atoll(p->ages[k].date) : 0) - p->ages[k].age;
        if (!k || y < lo)
            lo = y;
        if (!k || y > hi)
            hi = y;
    }
    const radar_age_row *last = &p->ages[p->n_ages - 1];
    printf("  aged %lld at the latest report (%s); %zu age%s reported, from %s to %s: born %lld", last->age,
           or_empty(last->date), p->n_ages, p->n_ages == 1 ? "" : "s", or_empty(p->ages[0].date),
           or_empty(last->date), lo);
    if (hi > lo)
        printf(" to %lld", hi);
    printf(" (or a year before)\n");
}

static int ask_player(const ask *a)
{
    radar_player_list *l;
    int rc = radar_store_player_read(a->st, a->arg, &l);
    if (rc)
        return rc;
    if (a->q->json) {
        json_t *j = radar_player_list_json(l);
        rc = j ? radar_store_players_identity_json(a->st, j) : RADAR_ENOMEM;
        if (!rc)
            rc = print_json_answer(j);
        else
            json_decref(j);
    }
    for (size_t i = 0; i < l->n && !a->q->json; i++) {
        const radar_player_row *p = &l->v[i];
        printf("%s%s", i ? "\n" : "", or_empty(p->name));
        if (p->club && *p->club)
            printf(" (%s)", p->club);
        if (p->has_birth_year)
            printf(", born about %lld", p->birth_year);
        putchar('\n');
        radar_names names;
        if (!rc)
            rc = radar_store_player_names(a->st, p->id, &names);
        if (!rc && names.n > 1) {
            printf("  written as:");
            for (size_t k = 0; k < names.n; k++)
                printf("%s %s", k ? "," : "", names.v[k]);
            putchar('\n');
        }
        radar_names_free(&names);
        if (p->position || p->nationality)
            printf("  %s%s%s, as the articles say most\n", or_empty(p->position),
                   p->position && p->nationality ? ", " : "", or_empty(p->nationality));
        print_story_lines(p->stories, p->n_stories);
        print_ages(p);
        for (size_t k = 0; k < p->n_facts; k++)
            printf("  %s %s: %s %s\n", or_empty(p->facts[k].date), or_empty(p->facts[k].type),
                   or_empty(p->facts[k].value), or_empty(p->facts[k].detail));
        if (!rc)
            rc = print_registry(a, p->id);
    }
    radar_player_list_free(l);
    return rc;
}

static int ask_club(const ask *a)
{
    radar_club_answer *c;
    int rc = radar_store_club_read(a->st, a->arg, &c);
    if (rc)
        return rc;
    /* a club no story and no fact names is not found, as the API's 404 */
    if (!c->n_linked_in && !c->n_linked_out && !c->n_facts) {
        rc = radar_error_set(RADAR_ENOTFOUND, "no story or fact names a club called '%s' (radar stories lists the "
                                              "clubs linked)", a->arg);
        radar_club_answer_free(c);
        return rc;
    }
    if (a->q->filter.limit > 0) {
        size_t lim = (size_t)a->q->filter.limit;
        c->n_linked_in = c->n_linked_in < lim ? c->n_linked_in : lim;
        c->n_linked_out = c->n_linked_out < lim ? c->n_linked_out : lim;
    }
    if (a->q->json) {
        rc = print_json_answer(radar_club_answer_json(c));
    } else {
        printf("%s\n\nlinked in (players %s may sign):\n", c->club, c->club);
        print_story_lines(c->linked_in, c->n_linked_in);
        printf("\nlinked away (players %s may lose):\n", c->club);
        print_story_lines(c->linked_out, c->n_linked_out);
        if (c->n_facts)
            printf("\nsquad facts:\n");
        for (size_t k = 0; k < c->n_facts; k++) {
            const radar_fact_row *f = &c->facts[k];
            printf("  %s %s %s: %s %s\n", or_empty(f->date), or_empty(f->type), or_empty(f->subject),
                   or_empty(f->value), or_empty(f->detail));
        }
    }
    radar_club_answer_free(c);
    return rc;
}

static int ask_search(const ask *a)
{
    radar_search_answer *res;
    int rc = radar_store_search_read(a->st, a->arg, a->q->filter.limit, RADAR_MAX_SEARCH_MS, &res);
    if (rc)
        return rc;
    if (a->q->json) {
        rc = print_json_answer(radar_search_answer_json(res));
    } else {
        for (size_t k = 0; k < res->n; k++) {
            const radar_search_hit *h = &res->v[k];
            /* the article by its title (its id where it has none), then when, who, where */
            printf("%s\n  %s", h->title && *h->title ? h->title : or_empty(h->article),
                   h->date ? h->date : "undated");
            if (h->source && *h->source)
                printf(", %s", h->source);
            if (h->title && *h->title)
                printf(" (%s)", or_empty(h->article));
            putchar('\n');
            if (h->url && *h->url)
                printf("  %s\n", h->url);
            json_t *stories = h->stories ? json_loads(h->stories, 0, NULL) : NULL;
            size_t si;
            json_t *sv;
            json_array_foreach(stories, si, sv)
                printf("  story #%lld: %s to %s\n", (long long)json_integer_value(json_object_get(sv, "id")),
                       or_empty(json_string_value(json_object_get(sv, "player"))),
                       or_empty(json_string_value(json_object_get(sv, "to_club"))));
            json_decref(stories);
            printf("    ");
            for (const char *p = or_empty(h->snippet); *p; p++)
                putchar(*p == '\n' ? ' ' : *p);
            putchar('\n');
        }
        if (!res->n)
            printf("no article matches '%s'\n", or_empty(res->query));
    }
    radar_search_answer_free(res);
    return rc;
}

/* A rate as the JSON gives it (to 0.001), in percent. */
static double percent(double rate) { return 100 * (round(rate * 1000) / 1000); }

static int ask_sources(const ask *a)
{
    radar_source_list *l;
    int rc = radar_store_sources_list(a->st, &l);
    if (rc)
        return rc;
    if (a->q->json) {
        rc = print_json_answer(radar_source_list_json(l));
    } else {
        printf("%-34s %-10s %4s %8s %7s %5s %8s %4s %9s\n", "source", "kind", "tier", "mentions", "stories", "cited",
               "resolved", "hits", "hit rate");
        for (size_t k = 0; k < l->n; k++) {
            const radar_source_row *v = &l->v[k];
            char tier[2] = {(char)('0' + v->tier), 0};
            printf("%-*s %-10s %4s %8lld %7lld %5lld %8lld %4lld %3.0f%% (%.0f-%.0f%%)\n", pad_(or_empty(v->name), 34),
                   or_empty(v->name), or_empty(v->kind), v->has_tier ? tier : "-", v->mentions, v->stories, v->cited,
                   v->resolved, v->hits, percent(v->hit_rate), percent(v->lo), percent(v->hi));
        }
    }
    radar_source_list_free(l);
    return rc;
}

static int ask_source(const ask *a)
{
    radar_source_answer *res;
    int rc = radar_store_source_read(a->st, a->arg, &res);
    if (rc)
        return rc;
    if (a->q->json) {
        rc = print_json_answer(radar_source_answer_json(res));
        radar_source_answer_free(res);
        return rc;
    }
    const radar_source_row *r = &res->record;
    printf("%s (%s", or_empty(r->name), or_empty(r->kind));
    if (r->has_tier)
        printf(", tier %lld", r->tier);
    printf(")\n  %lld mentions in %lld stories (the origin of %lld); %lld resolved, %lld came true: "
           "hit rate %.0f%% (90%% interval %.0f-%.0f%%)\n",
           r->mentions, r->stories, r->originated, r->resolved, r->hits, percent(r->hit_rate), percent(r->lo),
           percent(r->hi));
    for (size_t k = 0; k < res->n_stories; k++) {
        const radar_source_story_row *v = &res->stories[k];
        printf("  #%-6lld %-*s -> %-*s %s .. %s  %s", v->story, pad_(or_empty(v->player), 24), or_empty(v->player),
               pad_(or_empty(v->to_club), 20), or_empty(v->to_club), or_empty(v->first_reported),
               or_empty(v->last_reported), or_empty(v->outcome));
        if (!strcmp(or_empty(v->outcome), "open") && v->has_likelihood)
            printf(" (%.0f%% likely)", 100 * v->likelihood);
        putchar('\n');
    }
    radar_source_answer_free(res);
    return 0;
}

/* radar export: one CSV row per mention. */
static int export_csv(void *user, const radar_story_row *s, const radar_mention_row *timeline, size_t n)
{
    (void)user;
    for (size_t k = 0; k < n; k++) {
        const radar_mention_row *m = &timeline[k];
        printf("%lld,", s->id);
        csv_field(s->player);
        putchar(',');
        csv_field(s->to_club);
        putchar(',');
        csv_field(m->from_club);
        putchar(',');
        csv_field(s->status);
        putchar(',');
        csv_field(s->outcome);
        printf(",%s,%s,", or_empty(m->date), or_empty(m->stage));
        csv_field(m->article);
        putchar(',');
        csv_field(m->published_by);
        if (m->has_fee)
            printf(",%.0f,%s,%s,%.0f,", m->fee_amount, or_empty(m->fee_currency), or_empty(m->fee_kind),
                   m->has_fee_eur ? m->fee_eur : 0.0);
        else
            printf(",,,,,");
        csv_field(m->n_evidence ? m->evidence[0].text : "");
        putchar('\n');
    }
    return 0;
}

/* radar export: one JSON line per story. */
static int export_jsonl(void *user, const radar_story_row *s, const radar_mention_row *timeline, size_t n)
{
    (void)user;
    json_t *j = radar_story_export_json(s, timeline, n);
    char *line = j ? json_dumps(j, JSON_COMPACT | CLI_JSON_REAL) : NULL;
    json_decref(j);
    if (!line)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    puts(line);
    free(line);
    return 0;
}

/* The fee range of a story's mentions, in euros, and its latest report's link. */
typedef struct story_sum {
    int has_fee;
    double fee_min, fee_max;
    const char *latest_url, *latest_date;
} story_sum;

static void summarise(const radar_mention_row *timeline, size_t n, story_sum *o)
{
    memset(o, 0, sizeof *o);
    for (size_t k = 0; k < n; k++) {
        const radar_mention_row *m = &timeline[k];
        if (m->has_fee && m->has_fee_eur) {
            /* the euros are of the amount; a range's top scales with it */
            double lo = m->fee_eur, hi = m->fee_max > m->fee_amount && m->fee_amount > 0
                                             ? m->fee_eur * m->fee_max / m->fee_amount
                                             : m->fee_eur;
            o->fee_min = o->has_fee && o->fee_min < lo ? o->fee_min : lo;
            o->fee_max = o->has_fee && o->fee_max > hi ? o->fee_max : hi;
            o->has_fee = 1;
        }
        /* the timeline is oldest first: the last dated report with a link */
        if (m->url && (!o->latest_url || (m->date && (!o->latest_date || strcmp(m->date, o->latest_date) >= 0)))) {
            o->latest_url = m->url;
            o->latest_date = m->date;
        }
    }
}

/* radar export --what stories: one CSV row per story. */
static int export_story_csv(void *user, const radar_story_row *s, const radar_mention_row *timeline, size_t n)
{
    (void)user;
    story_sum sum;
    summarise(timeline, n, &sum);
    printf("%lld,", s->id);
    csv_field(s->player);
    putchar(',');
    csv_field(s->to_club);
    putchar(',');
    csv_field(s->from_club);
    printf(",%s,%s,%s,%s,%s,%s,", or_empty(s->first_seen), or_empty(s->last_seen), or_empty(s->stage),
           or_empty(s->latest_stage), or_empty(s->status), or_empty(s->outcome));
    if (s->has_likelihood)
        printf("%.4g", s->likelihood);
    printf(",%lld,%lld,%lld,", s->mentions, s->sources, s->independent_sources);
    if (sum.has_fee)
        printf("%.0f,%.0f,", sum.fee_min, sum.fee_max);
    else
        printf(",,");
    csv_field(sum.latest_url);
    putchar('\n');
    return 0;
}

/* radar export --what stories --format jsonl: the story's row, its fee range and latest link. */
static int export_story_jsonl(void *user, const radar_story_row *s, const radar_mention_row *timeline, size_t n)
{
    (void)user;
    story_sum sum;
    summarise(timeline, n, &sum);
    json_t *j = radar_story_row_json(s);
    if (j) {
        json_object_set_new(j, "fee_min_eur", sum.has_fee ? json_real(sum.fee_min) : json_null());
        json_object_set_new(j, "fee_max_eur", sum.has_fee ? json_real(sum.fee_max) : json_null());
        json_object_set_new(j, "latest_url", sum.latest_url ? json_string(sum.latest_url) : json_null());
    }
    char *line = j ? json_dumps(j, JSON_COMPACT | CLI_JSON_REAL) : NULL;
    json_decref(j);
    if (!line)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    puts(line);
    free(line);
    return 0;
}

/* The stories the filters keep, as a sorted set of ids. */
typedef struct id_set {
    long long *v;
    size_t n;
    radar_export_fn inner;
} id_set;

static int cmp_ll(const void *x, const void *y)
{
    long long a = *(const long long *)x, b = *(const long long *)y;
    return (a > b) - (a < b);
}

static int export_filtered(void *user, const radar_story_row *s, const radar_mention_row *timeline, size_t n)
{
    id_set *set = user;
    if (!set->n || !bsearch(&s->id, set->v, set->n, sizeof *set->v, cmp_ll))
        return 0;
    return set->inner(NULL, s, timeline, n);
}

static int collect_ids(radar_store *st, const radar_story_filter *filter, id_set *set)
{
    radar_story_filter f = *filter;
    f.limit = 10000;
    f.offset = 0;
    f.sort = "first";
    size_t cap = 0;
    for (;;) {
        radar_story_list *l;
        int rc = radar_store_stories_list(st, &f, &l);
        if (rc)
            return rc;
        if (set->n + l->n > cap) {
            cap = (set->n + l->n) * 2;
            long long *v = realloc(set->v, cap * sizeof *v);
            if (!v) {
                radar_story_list_free(l);
                return radar_error_set(RADAR_ENOMEM, "out of memory");
            }
            set->v = v;
        }
        for (size_t i = 0; i < l->n; i++)
            set->v[set->n++] = l->v[i].id;
        size_t got = l->n;
        radar_story_list_free(l);
        if (got < (size_t)f.limit)
            break;
        f.offset += f.limit;
    }
    if (set->n)
        qsort(set->v, set->n, sizeof *set->v, cmp_ll);
    return 0;
}

static int ask_export(const ask *a)
{
    int csv = a->q->format && !strcmp(a->q->format, "csv");
    int stories = a->q->what && !strcmp(a->q->what, "stories");
    if (csv && stories)
        printf("story,player,to_club,from_club,first_seen,last_seen,stage,latest_stage,status,outcome,likelihood,"
               "mentions,sources,independent_sources,fee_min_eur,fee_max_eur,latest_url\n");
    else if (csv)
        printf("story,player,to_club,from_club,status,outcome,date,stage,article,published_by,fee_amount,"
               "fee_currency,fee_kind,fee_eur,evidence\n");
    radar_export_fn fn = stories ? (csv ? export_story_csv : export_story_jsonl) : (csv ? export_csv : export_jsonl);
    const radar_story_filter *f = &a->q->filter;
    if (!f->club && !f->player && !f->source && !f->since && !f->stage && !f->outcome)
        return radar_store_export_each(a->st, fn, NULL);
    id_set set = {NULL, 0, fn};
    int rc = collect_ids(a->st, f, &set);
    if (!rc)
        rc = radar_store_export_each(a->st, export_filtered, &set);
    free(set.v);
    return rc;
}

/* ---- a source as the user names it ---- */

/* s as a matching key: ASCII letters lowered, digits and other bytes kept,
 * spaces, punctuation and '@' left out ("Fabrizio Romano", "@FabrizioRomano"
 * and "fabrizioromano" are one key). */
static void source_key(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len && s[i] && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            out[o++] = (char)(c + 32);
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
            out[o++] = (char)c;
    }
    out[o] = '\0';
}

/* What the user typed, as the name the sources table knows: an exact
 * name; a handle, a link to a profile ("x.com/FabrizioRomano") or the name
 * written another way; one word of a name ("romano"); a domain without its
 * ending ("mirror" for mirror.co.uk). Of several, the one with the most
 * mentions. NULL when none matches. */
static const char *resolve_source(radar_store *st, const char *typed, char *buf, size_t cap)
{
    const char *t = typed;
    /* a link: its host or, for a profile on a social site, the handle */
    const char *scheme = strstr(t, "://");
    if (scheme)
        t = scheme + 3;
    if (!strncmp(t, "www.", 4))
        t += 4;
    static const char *const social[] = {"x.com/", "twitter.com/", "instagram.com/", "threads.net/", "bsky.app/profile/"};
    for (size_t i = 0; i < sizeof social / sizeof *social; i++)
        if (!strncmp(t, social[i], strlen(social[i])))
            t += strlen(social[i]);
    size_t tlen = strcspn(t, "/?#");
    char want[256];
    source_key(t, tlen, want, sizeof want);
    if (!want[0])
        return NULL;
    radar_source_list *l;
    if (radar_store_sources_list(st, &l))
        return NULL;
    const radar_source_row *best = NULL;
    int best_rank = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *name = l->v[i].name;
        if (!name)
            continue;
        char key[256];
        source_key(name, strlen(name), key, sizeof key);
        int rank = 0;
        if (!strcmp(name, typed))
            rank = 4;
        else if (!strcmp(key, want))
            rank = 3;
        else {
            /* a word of the name, or the first label of a domain */
            for (const char *w = name; *w && !rank; w += strcspn(w, " .@-_"), w += strspn(w, " .@-_")) {
                char wk[256];
                source_key(w, strcspn(w, " .@-_"), wk, sizeof wk);
                if (wk[0] && !strcmp(wk, want))
                    rank = w == name && strchr(name, '.') && !strchr(name, ' ') ? 2 : 1;
            }
        }
        if (rank > best_rank || (rank && rank == best_rank && l->v[i].mentions > best->mentions)) {
            best = &l->v[i];
            best_rank = rank;
        }
    }
    const char *out = NULL;
    if (best) {
        snprintf(buf, cap, "%s", best->name);
        out = buf;
    }
    radar_source_list_free(l);
    return out;
}

/* Checks before the store is opened: a usage error says so whatever the store. */
static int check_story_id(const char *arg, const qopts *q, long long *id)
{
    (void)q;
    char *end;
    const char *digits = arg + (*arg == '#');
    errno = 0;
    *id = strtoll(digits, &end, 10);
    if (*digits >= '0' && *digits <= '9' && !*end && errno == ERANGE) {
        cli_error("story id %s is out of range: ids go up to %lld", digits, LLONG_MAX);
        return EXIT_USAGE;
    }
    if (*end || *id <= 0) {
        cli_error("a story id is a positive number, not '%s'", arg);
        return EXIT_USAGE;
    }
    return 0;
}

static int check_format(const char *arg, const qopts *q, long long *id)
{
    (void)arg;
    (void)id;
    if (q->format && strcmp(q->format, "csv") && strcmp(q->format, "jsonl")) {
        cli_error("--format must be csv or jsonl, not '%s'", q->format);
        return EXIT_USAGE;
    }
    if (q->what && strcmp(q->what, "stories") && strcmp(q->what, "mentions")) {
        cli_error("--what must be stories or mentions, not '%s'", q->what);
        return EXIT_USAGE;
    }
    return 0;
}

typedef struct question {
    const char *name;
    const char *argument; /* what its one argument is, or NULL: it takes none */
    const char *options;  /* the letters (parse()) of the options it takes */
    int (*check)(const char *arg, const qopts *q, long long *id); /* may be NULL */
    int (*run)(const ask *a);
} question;

static const question QUESTIONS[] = {
    {"stories", NULL, "DjcpsSRTonO", NULL, ask_stories},
    {"story", "a story id", "Dje", check_story_id, ask_story},
    {"player", "a name or query", "DjL", NULL, ask_player},
    {"club", "a name or query", "Djn", NULL, ask_club},
    {"search", "a name or query", "Djn", NULL, ask_search},
    {"sources", NULL, "Dj", NULL, ask_sources},
    {"source", "a name or query", "Dj", NULL, ask_source},
    {"export", NULL, "DcpsSRTfw", check_format, ask_export},
};

/* The long name of an option of parse(), by its letter. */
static const char *option_name(char c)
{
    static const char *const names[][2] = {{"D", "db"},     {"j", "json"},   {"c", "club"},    {"p", "player"},
                                           {"s", "since"},  {"S", "stage"},  {"R", "source"},  {"o", "sort"},
                                           {"n", "limit"},  {"O", "offset"}, {"f", "format"},  {"e", "explain"},
                                           {"w", "what"},   {"T", "status"}, {"L", "links"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i][0][0] == c)
            return names[i][1];
    return "?";
}

int cmd_query(int argc, char **argv)
{
    const question *qn = NULL;
    for (size_t i = 0; i < sizeof QUESTIONS / sizeof *QUESTIONS; i++)
        if (!strcmp(argv[0], QUESTIONS[i].name))
            qn = &QUESTIONS[i];
    if (!qn) {
        cli_error("no question called '%s'", argv[0]);
        return EXIT_USAGE;
    }
    qopts q = {0};
    radar_story_filter f = RADAR_STORY_FILTER_INIT;
    q.filter = f;
    int first;
    int prc = parse(argc, argv, &q, &first);
    if (prc)
        return prc < 0 ? EXIT_OK : prc;
    /* an option the question has no use for is an error, not ignored */
    for (const char *o = q.seen; *o; o++)
        if (!strchr(qn->options, *o)) {
            cli_error("radar %s takes no --%s ('radar %s --help' lists its options)", qn->name, option_name(*o),
                      qn->name);
            return EXIT_USAGE;
        }
    int nargs = argc - first;
    if (qn->argument && nargs != 1) {
        cli_error("radar %s takes one argument (%s)", qn->name, qn->argument);
        return EXIT_USAGE;
    }
    if (!qn->argument && nargs) {
        cli_error("radar %s takes no argument, got '%s'", qn->name, argv[first]);
        return EXIT_USAGE;
    }
    ask a = {NULL, &q, qn->argument ? argv[first] : NULL, 0};
    if (qn->check && (prc = qn->check(a.arg, &q, &a.id)))
        return prc;
    radar_lexicon *lex = NULL;
    int orc = open_store(&q, &a.st, &lex);
    if (orc)
        return orc;
    /* a source named the user's way, as the store names it */
    char source[512], source_arg[512];
    if (q.filter.source && resolve_source(a.st, q.filter.source, source, sizeof source))
        q.filter.source = source;
    if (!strcmp(qn->name, "source") && resolve_source(a.st, a.arg, source_arg, sizeof source_arg))
        a.arg = source_arg;
    int status = EXIT_OK, rc = qn->run(&a);
    if (rc) {
        cli_error("%s", radar_last_error());
        status = rc == RADAR_EINVALID ? EXIT_USAGE : EXIT_FAILED;
    }
    radar_store_close(a.st);
    radar_lexicon_free(lex);
    return status;
}
