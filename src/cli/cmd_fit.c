/*
 * cmd_fit.c - `radar fit`: fit the likelihood's weights and calibration to
 * what really happened, and make the store use them.
 *
 * From a store: its stories settled by an imported outcome or by a report
 * that the move was completed (or that the player signed elsewhere, or the
 * move collapsed), each scored on every day it was reported before it was
 * settled, from what was published up to that day. From a labelled file
 * (--labels, radar eval outcomes' format): each labelled article scored on
 * its day. The fitted model is cross-validated by player (the figures go in
 * the model file's head), written to --out, and set in the store.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/radar.h"
#include "radar/buf.h"
#include "radar/score.h"
#include "radar/store.h"
#include "cli.h"
#include "outcome_set.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radar fit [--db PATH] [--out FILE] [--labels FILE.jsonl] [--folds K] [--l2 X] [--seed N]\n"
            "                 [--calibrate first-day|all] [--isotonic] [--min-bin N] [--without NAME[,NAME...]]\n"
            "       radar fit --install FILE|builtin [--db PATH]\n"
            "\n"
            "Fit the likelihood's weights (logistic regression, L2 penalty towards the hand-set weights) and\n"
            "its calibration (Platt scaling) to the stories of the store an outcome or a report settled, each\n"
            "scored on the days it was reported before, from what was published up to each day; print the\n"
            "weights and the cross-validated figures, write the model to FILE and make the store use it.\n"
            "\n"
            "  --labels FILE    fit to the labelled articles of FILE instead (radar eval outcomes --help);\n"
            "                   the store is left alone unless --db is given\n"
            "  --out FILE       write the model file there ('-': standard output)\n"
            "  --folds K        folds of the cross-validation by player (default 5)\n"
            "  --l2 X           the penalty on each weight's squared distance from its hand-set value\n"
            "                   (default %g)\n"
            "  --seed N         the seed that deals players into folds (default %lu)\n"
            "  --calibrate first-day|all  the examples the calibration is fitted on: each story's first day\n"
            "                   (default: what the likelihood says when a story is new) or every example\n"
            "  --isotonic       calibrate by isotonic regression instead of Platt scaling\n"
            "  --min-bin N      isotonic, smoothed: no step rests on fewer than N examples\n"
            "  --without NAME[,NAME...]  leave these features out (weight 0, fixed): factors the outcomes do\n"
            "                   not support\n"
            "  --install FILE   make the store use the model in FILE ('builtin': the shipped one)\n",
            ((radar_fit_options)RADAR_FIT_OPTIONS_INIT).l2, ((radar_fit_options)RADAR_FIT_OPTIONS_INIT).seed);
}

static char *slurp(const char *path, size_t *len)
{
    radar_likelihood_model *m;
    if (radar_likelihood_model_load(&m, path)) { /* says what is wrong, with the line */
        cli_error("%s", radar_last_error());
        return NULL;
    }
    radar_likelihood_model_free(m);
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f || fseek(f, 0, SEEK_END) || (cap = (size_t)ftell(f), fseek(f, 0, SEEK_SET)) || !(buf = malloc(cap + 1)) ||
        fread(buf, 1, cap, f) != cap) {
        cli_error("%s: %s", path, strerror(errno));
        free(buf);
        buf = NULL;
    } else {
        buf[cap] = '\0';
        *len = cap;
    }
    if (f)
        fclose(f);
    return buf;
}

static int install(const char *db, const char *path)
{
    radar_store *st = NULL;
    size_t len = 0;
    char *text = strcmp(path, "builtin") ? slurp(path, &len) : NULL;
    if (strcmp(path, "builtin") && !text)
        return EXIT_FAILED;
    int status = EXIT_FAILED;
    if ((status = cli_store_open(db, 0, NULL, &st)) != EXIT_OK) {
        free(text);
        return status;
    }
    status = EXIT_FAILED;
    if (radar_store_set_likelihood_model(st, path, text, len) || radar_store_rescore(st))
        cli_error("%s", radar_last_error());
    else {
        printf("the store now uses %s; every story rescored\n", text ? path : "the built-in likelihood model");
        status = EXIT_OK;
    }
    radar_store_close(st);
    free(text);
    return status;
}

/* The model fitted on every example of set (*m, the caller frees it) and its
 * figures: f[0] held out by cross-validation, f[1] in-sample; each over
 * every example [0] and each thread's first day [1]. Prints its own error;
 * returns an exit code. */
static int fit_figures(const outcome_set *set, const radar_fit_options *fo, int calib_first, int folds,
                       radar_likelihood_model **m, outcome_figures f[2][2])
{
    int status = EXIT_FAILED;
    double *p = malloc(set->n * sizeof *p), *pin = malloc(set->n * sizeof *pin);
    if (!p || !pin || outcome_set_crossval(set, NULL, fo, calib_first, folds, p) ||
        outcome_set_fit(set, NULL, fo, calib_first, m)) {
        cli_error("%s", p && pin ? radar_last_error() : "out of memory");
        goto out;
    }
    outcome_set_score(set, *m, pin);
    for (int v = 0; v < 2; v++)
        if (outcome_figures_compute(set, v ? pin : p, NULL, &f[v][0]) ||
            outcome_figures_compute(set, v ? pin : p, set->first, &f[v][1])) {
            cli_error("%s", radar_last_error());
            goto out;
        }
    status = EXIT_OK;
out:
    free(p);
    free(pin);
    return status;
}

/* The model file's head: what it was fitted on, how, and how well. */
static void fit_note(char *note, size_t cap, const char *labels, const outcome_set *set, const radar_fit_options *fo,
                     int calib_first, int folds, outcome_figures f[2][2])
{
    const char *what = labels ? labels : "the store's settled stories";
    char without[512], left_out[600] = "", how[64];
    if (fo->platt)
        snprintf(how, sizeof how, "Platt scaling");
    else if (fo->min_bin > 0)
        snprintf(how, sizeof how, "isotonic, steps of %g examples or more", fo->min_bin);
    else
        snprintf(how, sizeof how, "isotonic");
    outcome_without_text(fo, without, sizeof without);
    if (without[0])
        snprintf(left_out, sizeof left_out, "Left out (weight 0): %s.\n", without);
    snprintf(note, cap,
             "Fitted by radar fit on %s: %zu examples (%zu done) in %zu %s.\n"
             "L2 %g towards the hand-set weights; calibration %s on %d-fold out-of-fold log-odds of %s.\n%s"
             "ROC AUC held out (%d folds by player, seed %lu): every example %.3f, first day %.3f;\n"
             "in-sample: every example %.3f, first day %.3f.\n"
             "Brier held out: every example %.3f, first day %.3f; largest decile gap held out: %.3f, first "
             "day %.3f.",
             what, set->n, set->done, set->threads, labels ? "threads" : "stories", fo->l2,
             how, fo->calibration_folds,
             calib_first ? "first days" : "every example", left_out, folds, fo->seed, f[0][0].auc, f[0][1].auc, f[1][0].auc,
             f[1][1].auc, f[0][0].brier, f[0][1].brier, f[0][0].worst_gap, f[0][1].worst_gap);
}

/* The model m, with its note, written to out_path ('-': standard output;
 * NULL: nowhere) and set in st (NULL: no store), which is rescored. Prints
 * its own error; returns an exit code. */
static int fit_save(radar_likelihood_model *m, const char *note, const char *out_path, radar_store *st)
{
    radar_buf text = RADAR_BUF_INIT;
    int status = EXIT_FAILED;
    if (radar_likelihood_model_set_note(m, note) || radar_likelihood_model_write(m, &text)) {
        cli_error("%s", radar_last_error());
        goto out;
    }
    FILE *o = out_path ? (strcmp(out_path, "-") ? fopen(out_path, "w") : stdout) : NULL;
    if (out_path && (!o || fwrite(text.data, 1, text.len, o) != text.len || (o != stdout && fclose(o)))) {
        cli_error("%s: %s", out_path, strerror(errno));
        goto out;
    }
    if (st && (radar_store_set_likelihood_model(st, out_path ? out_path : "radar fit", text.data, text.len) ||
               radar_store_rescore(st))) {
        cli_error("%s", radar_last_error());
        goto out;
    }
    status = EXIT_OK;
out:
    radar_buf_free(&text);
    return status;
}

static void print_weights(FILE *say, const radar_likelihood_model *m)
{
    fprintf(say, "%-18s %8s   %s\n", "feature", "weight", "");
    for (size_t i = 0; i < radar_feature_count(); i++) {
        int fixed;
        double w = radar_likelihood_model_weight(m, i, &fixed);
        fprintf(say, "%-18s %+8.3f%s  %s\n", radar_feature_get(i)->name, w, fixed ? " (fixed)" : "        ",
                radar_feature_get(i)->meaning);
    }
}

int cmd_fit(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"labels", required_argument, NULL, 'b'},
                                         {"folds", required_argument, NULL, 'k'},
                                         {"l2", required_argument, NULL, 'L'},
                                         {"seed", required_argument, NULL, 'S'},
                                         {"calibrate", required_argument, NULL, 'C'},
                                         {"isotonic", no_argument, NULL, 'I'},
                                         {"min-bin", required_argument, NULL, 'B'},
                                         {"without", required_argument, NULL, 'W'},
                                         {"install", required_argument, NULL, 'i'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *out_path = NULL, *labels = NULL, *install_path = NULL;
    int folds = 5, c;
    radar_fit_options fo = RADAR_FIT_OPTIONS_INIT;
    int calib_first = 1; /* calibrated for the day a story is first reported */
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'o': out_path = optarg; break;
        case 'b': labels = optarg; break;
        case 'i': install_path = optarg; break;
        case 'k':
        case 'L':
        case 'S':
        case 'C':
        case 'I':
        case 'B':
        case 'W':
            if (outcome_fit_option(c, optarg, &fo, &calib_first, &folds))
                return EXIT_USAGE;
            break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (install_path)
        return install(db, install_path);
    outcome_set set = {0};
    radar_store *st = NULL;
    radar_likelihood_model *m = NULL;
    /* with --labels, the store is opened only when named */
    int status = !labels || db ? cli_store_open(db, 0, NULL, &st) : EXIT_OK;
    if (status == EXIT_OK)
        status = labels ? outcome_set_from_labels(labels, NULL, &set) : outcome_set_from_store(st, &set);
    if (status != EXIT_OK)
        goto out;
    status = EXIT_FAILED;
    if (set.done == 0 || set.done == set.n) {
        cli_error("%zu examples, %zu of them done: fitting needs stories that happened and stories that did not "
                  "(import outcomes: radar outcomes import)", set.n, set.done);
        goto out;
    }
    outcome_figures f[2][2];
    char note[2048];
    if ((status = fit_figures(&set, &fo, calib_first, folds, &m, f)) != EXIT_OK)
        goto out;
    fit_note(note, sizeof note, labels, &set, &fo, calib_first, folds, f);
    if ((status = fit_save(m, note, out_path, st)) != EXIT_OK)
        goto out;
    FILE *say = out_path && !strcmp(out_path, "-") ? stderr : stdout;
    fprintf(say, "%s\n\n", note);
    print_weights(say, m);
    if (st)
        fprintf(say, "\nthe store now uses this model; every story rescored\n");
out:
    radar_likelihood_model_free(m);
    outcome_set_free(&set);
    radar_store_close(st);
    return status;
}
