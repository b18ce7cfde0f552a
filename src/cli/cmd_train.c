/*
 * cmd_train.c - `radar train`: fit the extractor's decisions from annotated
 * articles, and measure them by cross-validation.
 *
 * Input: JSON Lines, one annotated article per line:
 *   {"id", "set", "date", "source", "title", "text",
 *    "gold": [{"player", "to_club", "from_club", "stage", "optional"}]}
 * (tools/annotate/join.py makes such a file from the project's labels and the
 * texts they refer to). With --folds K the articles are split into K folds by
 * their id; each fold is extracted with a model fitted on the others, and the
 * results (radar extract's JSON, one line per article, in input order) go to
 * --predict FILE: figures on text the model was not fitted to.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/radar.h"
#include "radar/model.h"
#include "../util/utf8.h"
#include "cli.h"

typedef struct annotated {
    radar_article a;
    char *mem[5];
    radar_gold_rumour *gold;
    size_t n_gold;
    char *set;
    int fold;
} annotated;

typedef struct corpus {
    annotated *v;
    size_t n, cap;
} corpus;

static void usage(FILE *f)
{
    fprintf(f, "usage: radar train [OPTIONS] FILE...\n"
               "Fit the extractor's learned decisions from annotated articles (JSON Lines with a \"gold\" list).\n\n"
               "  -o, --out FILE        write the fitted model to FILE ('-': standard output)\n"
               "  -k, --folds K         also cross-validate: extract each of K folds with a model fitted on the others\n"
               "  -p, --predict FILE    where the cross-validated extractions go (JSON Lines, input order)\n"
               "      --rules FILE      also write the rules' own extractions (no model) there, for comparison\n"
               "      --seed N          order of the examples (default 1)\n"
               "      --epochs N        passes over the examples (default 30)\n"
               "      --l2 X            L2 penalty (default 1e-4)\n"
               "      --rate X          AdaGrad step (default 0.02)\n"
               "      --no-context      fit no second pass (the pairs decided one by one)\n"
               "      --threshold-short P, --threshold-long P\n"
               "                        keep a pair when its buyer probability exceeds P, in short items (six\n"
               "                        sentences or fewer) and in full articles (defaults 0.45 and 0.25; 0: the\n"
               "                        likeliest class)\n"
               "      --rule-threshold-short P, --rule-threshold-long P\n"
               "                        the same for a pair the rule passes proposed (defaults 0.3 and 0.2)\n"
               "      --stage-margin P  a rule's stage stands unless the model is P surer of another (default 0.3)\n"
               "      --min-count N     drop features seen in fewer examples (default 4)\n"
               "  -l, --lexicon DIR     add the lexicon files in DIR to the built-in lexicon\n"
               "  -q, --quiet           no summary on standard error\n");
}

static void free_annotated(annotated *x)
{
    for (int i = 0; i < 5; i++)
        free(x->mem[i]);
    for (size_t i = 0; i < x->n_gold; i++) {
        free((char *)x->gold[i].player);
        free((char *)x->gold[i].to_club);
        free((char *)x->gold[i].from_club);
    }
    free(x->gold);
    free(x->set);
}

static char *dup_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? strdup(s) : NULL;
}

static radar_stage stage_of(const char *s)
{
    for (int k = 1; s && k < RADAR_STAGE_COUNT; k++)
        if (!strcmp(s, radar_stage_name((radar_stage)k)))
            return (radar_stage)k;
    return RADAR_STAGE_NONE;
}

/* One line of the training file; returns 0, or -1 with a message printed. */
static int read_line(corpus *c, const char *path, size_t lineno, const char *line, size_t len, int folds)
{
    json_error_t err;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
    if (!o || !json_is_object(o)) {
        cli_error("%s:%zu: not a JSON object: %s", path, lineno, o ? "not an object" : err.text);
        json_decref(o);
        return -1;
    }
    json_t *text = json_object_get(o, "text"), *gold = json_object_get(o, "gold");
    if (!json_is_string(text) || !json_is_array(gold)) {
        cli_error("%s:%zu: an annotated article needs \"text\" and a \"gold\" list", path, lineno);
        json_decref(o);
        return -1;
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 512;
        annotated *p = realloc(c->v, nc * sizeof *p);
        if (!p) {
            json_decref(o);
            return -1;
        }
        c->v = p;
        c->cap = nc;
    }
    annotated *x = &c->v[c->n];
    memset(x, 0, sizeof *x);
    x->mem[0] = dup_str(o, "id");
    x->mem[1] = dup_str(o, "date");
    x->mem[2] = dup_str(o, "source");
    x->mem[3] = dup_str(o, "title");
    size_t tl = json_string_length(text);
    x->mem[4] = malloc(tl + 1);
    x->set = dup_str(o, "set");
    if (!x->mem[4] || !(x->gold = calloc(json_array_size(gold) + 1, sizeof *x->gold))) {
        free_annotated(x);
        json_decref(o);
        return -1;
    }
    memcpy(x->mem[4], json_string_value(text), tl);
    x->mem[4][tl] = '\0';
    x->a.id = x->mem[0];
    x->a.date = x->mem[1];
    x->a.source = x->mem[2];
    x->a.title = x->mem[3];
    x->a.body = x->mem[4];
    x->a.body_len = tl;
    x->a.path = path;
    x->a.line = lineno;
    size_t i;
    json_t *r;
    json_array_foreach(gold, i, r) {
        radar_gold_rumour *g = &x->gold[x->n_gold];
        g->player = dup_str(r, "player");
        g->to_club = dup_str(r, "to_club");
        g->from_club = dup_str(r, "from_club");
        g->stage = stage_of(json_string_value(json_object_get(r, "stage")));
        g->optional = json_is_true(json_object_get(r, "optional"));
        x->n_gold++;
        if (!g->player || !g->to_club) {
            cli_error("%s:%zu: a gold rumour needs \"player\" and \"to_club\"", path, lineno);
            free_annotated(x);
            json_decref(o);
            return -1;
        }
    }
    const char *id = x->a.id ? x->a.id : "";
    x->fold = folds > 1 ? (int)(radar_hash_bytes(id, strlen(id)) % (uint64_t)folds) : -1;
    c->n++;
    json_decref(o);
    return 0;
}

static int read_file(corpus *c, const char *path, int folds)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        cli_error("%s: cannot open: %m", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    while (!rc && (n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (n == 1 && line[0] == '\n')
            continue;
        rc = read_line(c, path, lineno, line, (size_t)n, folds);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* Extract the articles of `fold` (all when -1) with `m` and write their JSON. */
static int predict(radar_extractor *ex, const radar_model *m, const corpus *c, int fold, radar_buf *out,
                   size_t *ends)
{
    radar_extractor_set_model(ex, m);
    for (size_t i = 0; i < c->n; i++) {
        if (fold >= 0 && c->v[i].fold != fold)
            continue;
        const radar_doc *doc;
        size_t start = out->len;
        int rc = radar_extract(ex, &c->v[i].a, &doc);
        if (!rc)
            rc = radar_doc_write_json(doc, out);
        if (rc) {
            cli_error("%s:%llu: %s", c->v[i].a.path, (unsigned long long)c->v[i].a.line, radar_last_error());
            return rc;
        }
        ends[2 * i] = start;
        ends[2 * i + 1] = out->len;
    }
    return 0;
}

static int write_in_order(const char *path, const radar_buf *out, const size_t *ends, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        cli_error("%s: cannot write: %m", path);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        fwrite(out->data + ends[2 * i], 1, ends[2 * i + 1] - ends[2 * i], f);
    if (fclose(f)) {
        cli_error("%s: write error", path);
        return -1;
    }
    return 0;
}

typedef struct train_args {
    const char *out_path, *predict_path, *rules_path;
    int folds, quiet;
    radar_train_options o;
    cli_lexicon_dirs lexdirs;
} train_args;

/* The options into t: 0, -1 after --help, or the exit status of a usage error. */
static int train_options(int argc, char **argv, train_args *t)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"folds", required_argument, NULL, 'k'},
                                         {"predict", required_argument, NULL, 'p'},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"epochs", required_argument, NULL, 'e'},
                                         {"l2", required_argument, NULL, '2'},
                                         {"rate", required_argument, NULL, 'a'},
                                         {"min-count", required_argument, NULL, 'm'},
                                         {"no-context", no_argument, NULL, 'N'},
                                         {"threshold-short", required_argument, NULL, 'S'},
                                         {"threshold-long", required_argument, NULL, 'L'},
                                         {"rule-threshold-short", required_argument, NULL, 'T'},
                                         {"rule-threshold-long", required_argument, NULL, 'U'},
                                         {"stage-margin", required_argument, NULL, 'G'},
                                         {"lexicon", required_argument, NULL, 'l'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:k:p:l:qh", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'o': t->out_path = optarg; break;
        case 'p': t->predict_path = optarg; break;
        case 'r': t->rules_path = optarg; break;
        case 'k': t->folds = (int)strtol(optarg, &end, 10); break;
        case 's': t->o.seed = (unsigned)strtoul(optarg, &end, 10); break;
        case 'e': t->o.epochs = (int)strtol(optarg, &end, 10); break;
        case '2': t->o.l2 = strtod(optarg, &end); break;
        case 'a': t->o.rate = strtod(optarg, &end); break;
        case 'm': t->o.min_count = (int)strtol(optarg, &end, 10); break;
        case 'N': t->o.context = 0; break;
        case 'S': t->o.threshold_short = strtod(optarg, &end); break;
        case 'L': t->o.threshold_long = strtod(optarg, &end); break;
        case 'T': t->o.rule_short = strtod(optarg, &end); break;
        case 'U': t->o.rule_long = strtod(optarg, &end); break;
        case 'G': t->o.stage_margin = strtod(optarg, &end); break;
        case 'l':
            if ((rc = cli_lexicon_option(&t->lexdirs, optarg)))
                return rc;
            break;
        case 'q': t->quiet = 1; break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return EXIT_USAGE;
        }
        if (end && *end) {
            cli_error("--%s: '%s' is not a number", c == 'k' ? "folds" : "option", optarg);
            return EXIT_USAGE;
        }
    }
    const radar_train_options *o = &t->o;
    if (optind >= argc || (!t->out_path && !t->predict_path) || (t->predict_path && t->folds < 2) || t->folds < 0 ||
        o->epochs < 1 || o->l2 < 0 || o->rate <= 0 || o->threshold_short < 0 || o->threshold_short >= 1 ||
        o->threshold_long < 0 || o->threshold_long >= 1 || o->rule_short < 0 || o->rule_short >= 1 ||
        o->rule_long < 0 || o->rule_long >= 1 || o->stage_margin < 0 || o->stage_margin >= 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_train(int argc, char **argv)
{
    train_args ta = {.o = RADAR_TRAIN_OPTIONS_INIT};
    int rc = train_options(argc, argv, &ta);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    const char *out_path = ta.out_path, *predict_path = ta.predict_path, *rules_path = ta.rules_path;
    int folds = ta.folds, quiet = ta.quiet;
    const radar_train_options o = ta.o;
    radar_lexicon *lex = NULL;
    if ((rc = cli_lexicon_load(&ta.lexdirs, &lex)))
        return rc;
    corpus cp = {0};
    radar_trainer *t = NULL;
    radar_extractor *ex = NULL;
    radar_buf buf = RADAR_BUF_INIT;
    size_t *ends = NULL;
    int status = EXIT_FAILED;
    for (int i = optind; i < argc; i++)
        if (read_file(&cp, argv[i], folds))
            goto done;
    if (radar_trainer_new(&t, lex) || radar_extractor_new(&ex, lex)) {
        cli_error("%s", radar_last_error());
        goto done;
    }
    for (size_t i = 0; i < cp.n; i++)
        if ((rc = radar_trainer_add(t, &cp.v[i].a, cp.v[i].gold, cp.v[i].n_gold, cp.v[i].fold))) {
            cli_error("%s:%llu: %s", cp.v[i].a.path, (unsigned long long)cp.v[i].a.line, radar_last_error());
            goto done;
        }
    radar_train_stats s;
    radar_trainer_stats(t, &s);
    if (!quiet)
        fprintf(stderr,
                "radar train: %zu articles, %zu candidate pairs, %zu pair and %zu stage examples; "
                "%zu gold pairs, %zu beyond any candidate, %zu with a club the lexicon lacks\n",
                s.articles, s.candidates, s.examples[RADAR_DECIDE_PAIR], s.examples[RADAR_DECIDE_STAGE],
                s.gold_pairs, s.gold_unreachable, s.gold_unknown_club);
    if (!(ends = calloc(2 * cp.n + 2, sizeof *ends)))
        goto done;
    if (predict_path) {
        for (int k = 0; k < folds; k++) {
            radar_model *m;
            if ((rc = radar_trainer_fit(t, &o, k, &m))) {
                cli_error("%s", radar_last_error());
                goto done;
            }
            rc = predict(ex, m, &cp, k, &buf, ends);
            radar_model_free(m);
            if (rc)
                goto done;
        }
        if (write_in_order(predict_path, &buf, ends, cp.n))
            goto done;
    }
    if (rules_path) {
        radar_buf_reset(&buf);
        if (predict(ex, NULL, &cp, -1, &buf, ends) || write_in_order(rules_path, &buf, ends, cp.n))
            goto done;
    }
    if (out_path) {
        radar_model *m;
        if ((rc = radar_trainer_fit(t, &o, -1, &m))) {
            cli_error("%s", radar_last_error());
            goto done;
        }
        radar_buf_reset(&buf);
        rc = radar_model_write(m, &buf);
        radar_model_free(m);
        FILE *f = strcmp(out_path, "-") ? fopen(out_path, "w") : stdout;
        if (rc || !f || fwrite(buf.data ? buf.data : "", 1, buf.len, f) != buf.len || (f != stdout && fclose(f))) {
            cli_error("%s: cannot write the model", out_path);
            goto done;
        }
    }
    status = EXIT_OK;
done:
    for (size_t i = 0; i < cp.n; i++)
        free_annotated(&cp.v[i]);
    free(cp.v);
    free(ends);
    radar_buf_free(&buf);
    radar_extractor_free(ex);
    radar_trainer_free(t);
    radar_lexicon_free(lex);
    return status;
}
