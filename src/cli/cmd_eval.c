/*
 * cmd_eval.c - `radar eval outcomes FILE.jsonl`: how well the likelihoods
 * foresee what happened.
 *
 * Each line of FILE is an article (as radar ingest reads it) that may carry
 * a label: "gold": {"player", "to_club", "outcome": "done"|"failed"}. Each
 * labelled article's story is scored as of its date, from what was published
 * up to that day and nothing later (outcome_set.c). With --folds K the
 * weights are fitted by cross-validation on the file itself, by player: each
 * fold is scored by a model fitted on the others, and the figures of a model
 * fitted on everything (in-sample) are printed beside them. Reported: ROC
 * AUC and Brier score over every snippet and over each thread's first day,
 * and predicted against observed rates by decile.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/radar.h"
#include "radar/score.h"
#include "cli.h"
#include "outcome_set.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: radar eval outcomes FILE.jsonl [--first-day] [--folds K [--seeds N]] [--model FILE] [--db PATH] [--json]\n"
               "\n"
               "Ingest the articles of FILE in date order into a scratch database (or PATH, which must not\n"
               "exist) and score each labelled article's story as of its date, from what was published up to\n"
               "that day. Labels: \"gold\": {\"player\", \"to_club\", \"outcome\": \"done\" or \"failed\"}.\n"
               "Prints the ROC AUC and the Brier score over every labelled article and over each thread's\n"
               "first day, and predicted against observed rates by decile.\n"
               "\n"
               "  --first-day      the decile table of each thread's first day (default: every article)\n"
               "  --folds K        fit the weights on FILE itself by K-fold cross-validation, by player: each\n"
               "                   fold scored by a model fitted on the others; in-sample figures beside\n"
               "  --model FILE     score with this model file (with --folds: fit starting from it)\n"
               "  --seeds N        with --folds: the cross-validation again over N deals of the folds (seeds\n"
               "                   --seed .. --seed + N - 1); prints the mean and the worst of each figure\n"
               "  --l2 X, --seed N, --calibrate first-day|all, --isotonic, --min-bin N, --without NAME[,NAME...]\n"
               "                   with --folds: how the weights are fitted (radar fit --help)\n");
}

static json_t *figures_json(const outcome_figures *f)
{
    json_t *t = json_array();
    for (int d = 0; d < f->n_deciles; d++)
        json_array_append_new(t, json_pack("{s:i, s:I, s:f, s:f, s:f, s:f, s:f}", "decile", d + 1, "n",
                                           (json_int_t)f->decile[d].n, "p_min", f->decile[d].p_min, "p_max",
                                           f->decile[d].p_max, "predicted", f->decile[d].predicted, "observed",
                                           f->decile[d].observed, "se", f->decile[d].se));
    return json_pack("{s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:o}", "n", (json_int_t)f->n, "done",
                     (json_int_t)f->done, "auc", isnan(f->auc) ? 0.0 : f->auc, "brier", f->brier, "worst_decile_gap",
                     f->worst_gap, "worst_decile_z", f->worst_z, "hosmer_lemeshow", f->hl_chi2, "hosmer_lemeshow_p",
                     isnan(f->hl_p) ? 1.0 : f->hl_p, "worst_decile_gap_if_right_median", f->null_gap_median,
                     "worst_decile_gap_if_right_p90", f->null_gap_p90, "deciles", t);
}

static void print_deciles(const outcome_figures *f)
{
    printf(" decile    n   p range        predicted  observed  std. error\n");
    for (int d = 0; d < f->n_deciles; d++)
        printf(" %6d %4zu   %.2f - %.2f    %8.3f  %8.3f  %10.3f\n", d + 1, f->decile[d].n, f->decile[d].p_min,
               f->decile[d].p_max, f->decile[d].predicted, f->decile[d].observed, f->decile[d].se);
    printf(" largest gap between predicted and observed: %.3f (%.1f standard errors)\n", f->worst_gap, f->worst_z);
    printf(" Hosmer-Lemeshow: %.1f on %d deciles; were the predictions right, one as large %.0f%% of the time\n",
           f->hl_chi2, f->n_deciles, 100 * (isnan(f->hl_p) ? 1.0 : f->hl_p));
    printf(" the largest gap were the predictions right (outcomes drawn from them): median %.3f, 90th percentile "
           "%.3f\n", f->null_gap_median, f->null_gap_p90);
}

/* The figures of the labelled set: fig[0] scored by `owned` (NULL: the
 * built-in model) or, with `folds`, held out by cross-validation from it
 * (NULL: the hand-set weights), fig[1] in-sample beside the held out. Each
 * view has every snippet [0] and each thread's first day [1]. Prints its own
 * error; returns an exit code. */
static int eval_figures(const outcome_set *set, const radar_likelihood_model *owned, const radar_fit_options *fo,
                        int calib_first, int folds, outcome_figures fig[2][2])
{
    int status = EXIT_FAILED;
    radar_likelihood_model *fitted = NULL;
    double *p = malloc((set->n ? set->n : 1) * sizeof *p), *pin = malloc((set->n ? set->n : 1) * sizeof *pin);
    int views = 1;
    if (!p || !pin) {
        cli_error("out of memory");
        goto out;
    }
    if (folds) {
        /* with --model, the fitting starts from (and is pulled towards) its weights */
        const radar_likelihood_model *start = owned ? owned : radar_likelihood_model_handset();
        if (outcome_set_crossval(set, start, fo, calib_first, folds, p) ||
            outcome_set_fit(set, start, fo, calib_first, &fitted)) {
            cli_error("%s", radar_last_error());
            goto out;
        }
        outcome_set_score(set, fitted, pin);
        views = 2;
    } else {
        outcome_set_score(set, owned ? owned : radar_likelihood_model_builtin(), p);
    }
    for (int v = 0; v < views; v++)
        if (outcome_figures_compute(set, v ? pin : p, NULL, &fig[v][0]) ||
            outcome_figures_compute(set, v ? pin : p, set->first, &fig[v][1])) {
            cli_error("%s", radar_last_error());
            goto out;
        }
    status = EXIT_OK;
out:
    free(p);
    free(pin);
    radar_likelihood_model_free(fitted);
    return status;
}

/* The held-out figures over n deals of the folds (seeds fo->seed ..
 * fo->seed + n - 1): one deal's worst decile moves by a few points from one
 * seed to the next, so a choice is judged on their mean. */
typedef struct seed_summary {
    int n;
    unsigned long first_seed;
    double auc_mean[2], auc_min[2], brier_mean[2]; /* [0] every snippet, [1] first day */
    double gap_mean, gap_max, hl_p_mean, hl_p_min; /* the first days' deciles */
} seed_summary;

static int eval_seeds(const outcome_set *set, const radar_likelihood_model *owned, const radar_fit_options *fo,
                      int calib_first, int folds, int n, seed_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sum->n = n;
    sum->first_seed = fo->seed;
    sum->auc_min[0] = sum->auc_min[1] = sum->hl_p_min = 1;
    double *p = malloc((set->n ? set->n : 1) * sizeof *p);
    if (!p) {
        cli_error("out of memory");
        return EXIT_FAILED;
    }
    const radar_likelihood_model *start = owned ? owned : radar_likelihood_model_handset();
    for (int s = 0; s < n; s++) {
        radar_fit_options o = *fo;
        o.seed = fo->seed + (unsigned long)s;
        outcome_figures f[2];
        if (outcome_set_crossval(set, start, &o, calib_first, folds, p) ||
            outcome_figures_compute(set, p, NULL, &f[0]) || outcome_figures_compute(set, p, set->first, &f[1])) {
            cli_error("%s", radar_last_error());
            free(p);
            return EXIT_FAILED;
        }
        for (int w = 0; w < 2; w++) {
            sum->auc_mean[w] += f[w].auc / n;
            sum->auc_min[w] = fmin(sum->auc_min[w], f[w].auc);
            sum->brier_mean[w] += f[w].brier / n;
        }
        sum->gap_mean += f[1].worst_gap / n;
        sum->gap_max = fmax(sum->gap_max, f[1].worst_gap);
        sum->hl_p_mean += f[1].hl_p / n;
        sum->hl_p_min = fmin(sum->hl_p_min, f[1].hl_p);
    }
    free(p);
    return EXIT_OK;
}

static json_t *seeds_json(const seed_summary *s)
{
    return json_pack("{s:i, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "deals", s->n, "seed_from",
                     (json_int_t)s->first_seed, "seed_to", (json_int_t)(s->first_seed + (unsigned long)s->n - 1),
                     "auc_mean", s->auc_mean[0], "auc_min", s->auc_min[0], "auc_first_day_mean", s->auc_mean[1],
                     "auc_first_day_min", s->auc_min[1], "brier_mean", s->brier_mean[0], "brier_first_day_mean",
                     s->brier_mean[1], "worst_decile_gap_mean", s->gap_mean, "worst_decile_gap_max", s->gap_max,
                     "hosmer_lemeshow_p_mean", s->hl_p_mean, "hosmer_lemeshow_p_min", s->hl_p_min);
}

static void print_seeds(const seed_summary *s)
{
    printf("\nheld out over %d deals of the folds (seeds %lu-%lu):\n", s->n, s->first_seed,
           s->first_seed + (unsigned long)s->n - 1);
    printf("                                 mean    worst\n");
    static const char *const names[2] = {"every snippet", "first day"};
    for (int w = 0; w < 2; w++)
        printf("ROC AUC, %-18s     %6.4f   %6.4f\n", names[w], s->auc_mean[w], s->auc_min[w]);
    for (int w = 0; w < 2; w++)
        printf("Brier,   %-18s     %6.4f\n", names[w], s->brier_mean[w]);
    printf("largest first-day decile gap    %6.3f    %6.3f\n", s->gap_mean, s->gap_max);
    printf("Hosmer-Lemeshow chance          %6.2f    %6.2f\n", s->hl_p_mean, s->hl_p_min);
}

static void print_eval_json(const char *file, const outcome_set *set, const char *how, outcome_figures fig[2][2],
                            int folds, int first_day, const seed_summary *seeds)
{
    json_t *res = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s, s:f, s:f, s:o, s:o}", "file", file, "labelled",
                            (json_int_t)set->n, "done", (json_int_t)set->done, "threads", (json_int_t)set->threads,
                            "story_found", (json_int_t)set->found, "scored_by", how, "auc",
                            isnan(fig[0][0].auc) ? 0.0 : fig[0][0].auc, "auc_first_day",
                            isnan(fig[0][1].auc) ? 0.0 : fig[0][1].auc, "every_snippet", figures_json(&fig[0][0]),
                            "first_day", figures_json(&fig[0][1]));
    /* the table of the view asked for, where it has always been */
    json_object_set(res, "deciles", json_object_get(json_object_get(res, first_day ? "first_day" : "every_snippet"),
                                                    "deciles"));
    if (folds)
        json_object_set_new(res, "in_sample", json_pack("{s:o, s:o}", "every_snippet", figures_json(&fig[1][0]),
                                                        "first_day", figures_json(&fig[1][1])));
    if (seeds)
        json_object_set_new(res, "seeds", seeds_json(seeds));
    char *s = json_dumps(res, JSON_INDENT(2) | CLI_JSON_REAL);
    if (s)
        puts(s);
    free(s);
    json_decref(res);
}

static void print_eval_text(const char *file, const outcome_set *set, const char *how, outcome_figures fig[2][2],
                            int folds, int first_day)
{
    printf("%s: %zu labelled articles (%zu done, %zu failed) in %zu threads; story found for %zu\n", file, set->n,
           set->done, set->n - set->done, set->threads, set->found);
    printf("scored by %s\n\n", how);
    printf("                          %s%s\n", folds ? "held out" : "   score", folds ? "  in-sample" : "");
    static const char *const names[2] = {"every snippet", "first day"};
    for (int w = 0; w < 2; w++) {
        printf("ROC AUC, %-14s   %6.3f", names[w], fig[0][w].auc);
        if (folds)
            printf("     %6.3f", fig[1][w].auc);
        printf("\n");
    }
    for (int w = 0; w < 2; w++) {
        printf("Brier,   %-14s   %6.3f", names[w], fig[0][w].brier);
        if (folds)
            printf("     %6.3f", fig[1][w].brier);
        printf("\n");
    }
    printf("\n%s (%zu), %s:\n", first_day ? "each thread's first day" : "every snippet", fig[0][first_day].n,
           folds ? "held out" : "as scored");
    print_deciles(&fig[0][first_day]);
}

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"first-day", no_argument, NULL, 'f'},
                                         {"folds", required_argument, NULL, 'k'},
                                         {"model", required_argument, NULL, 'm'},
                                         {"l2", required_argument, NULL, 'L'},
                                         {"seed", required_argument, NULL, 'S'},
                                         {"calibrate", required_argument, NULL, 'C'},
                                         {"isotonic", no_argument, NULL, 'I'},
                                         {"min-bin", required_argument, NULL, 'B'},
                                         {"without", required_argument, NULL, 'W'},
                                         {"seeds", required_argument, NULL, 'N'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *model_path = NULL;
    int json = 0, first_day = 0, folds = 0, seeds = 0, c;
    char *end;
    radar_fit_options fo = RADAR_FIT_OPTIONS_INIT;
    int calib_first = 1; /* calibrated for the day a story is first reported */
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'j': json = 1; break;
        case 'f': first_day = 1; break;
        case 'm': model_path = optarg; break;
        case 'N':
            seeds = (int)strtol(optarg, &end, 10);
            if (*end || seeds < 1 || seeds > 1000) {
                cli_error("--seeds: a number from 1 to 1000, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
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
    if (argc - optind != 2 || strcmp(argv[optind], "outcomes")) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (seeds && !folds) {
        cli_error("--seeds: deals of the folds of --folds K");
        return EXIT_USAGE;
    }
    const char *file = argv[optind + 1];
    radar_likelihood_model *owned = NULL;
    if (model_path && radar_likelihood_model_load(&owned, model_path)) {
        cli_error("%s", radar_last_error());
        return EXIT_FAILED;
    }
    outcome_set set;
    int status = outcome_set_from_labels(file, db, &set);
    if (status != EXIT_OK) {
        radar_likelihood_model_free(owned);
        return status;
    }
    outcome_figures fig[2][2];
    status = eval_figures(&set, owned, &fo, calib_first, folds, fig);
    seed_summary sum;
    if (status == EXIT_OK && seeds)
        status = eval_seeds(&set, owned, &fo, calib_first, folds, seeds, &sum);
    if (status == EXIT_OK) {
        char how[1024], without[512];
        outcome_without_text(&fo, without, sizeof without);
        if (folds)
            snprintf(how, sizeof how,
                     "held out: weights fitted on the other %d of %d folds by player (seed %lu, l2 %g%s%s)", folds - 1,
                     folds, fo.seed, fo.l2, without[0] ? "; without " : "", without);
        else
            snprintf(how, sizeof how, "%s", model_path ? model_path : "the built-in model");
        if (json)
            print_eval_json(file, &set, how, fig, folds, first_day, seeds ? &sum : NULL);
        else {
            print_eval_text(file, &set, how, fig, folds, first_day);
            if (seeds)
                print_seeds(&sum);
        }
    }
    outcome_set_free(&set);
    radar_likelihood_model_free(owned);
    return status;
}
