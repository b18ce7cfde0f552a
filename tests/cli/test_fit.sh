#!/usr/bin/env bash
# radar fit and radar eval outcomes on worlds written here: a store whose
# settled stories follow a known rule (an agreed fee comes true, mere interest
# does not, with a few exceptions) must give a fitted model that learnt the
# rule; the store then scores with it; model files are checked line by line;
# eval reports the first-day and every-snippet figures.
# Needs RADAR and SRC; uses bash, coreutils, grep and python3.
set -u
KEEP=${KEEP:-}
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source tree}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-fit.XXXXXX")
[ -n "$KEEP" ] || trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB="$TMP/fit.db"

# forty stories, one a week from January 2023; each settled three weeks
# after its report. Agreed fees come true, interest does not: two of each
# twenty go the other way.
python3 - "$TMP" <<'PY'
import datetime, json, sys
out = sys.argv[1]
first = ["Tomas", "Callum", "Rui", "Joris", "Sem", "Hugo", "Daan", "Ewan", "Pablo", "Diogo"]
last = ["Verhaegen", "Strachan", "Almeida", "Bakker", "Dewit", "Lambert", "Visser", "Mcleod", "Ortega", "Santos"]
buyers = ["Brentford", "Fulham", "Everton", "Burnley", "Brighton", "Bournemouth", "Wolves", "Crystal Palace"]
sellers = ["Lyon", "Porto", "Celtic", "Ajax", "Benfica", "Sevilla"]
day0 = datetime.date(2023, 1, 2)
arts, rows = [], ["player,to_club,date,outcome"]
for i in range(40):
    name = "%s %s" % (first[i % 10], last[(i * 3 + i // 10) % 10])
    buyer, seller = buyers[i % 7], sellers[i % 5]
    agreed = i % 2 == 0
    done = agreed != (i in (4, 22, 13, 31))
    d = day0 + datetime.timedelta(days=7 * i)
    if agreed:
        text = "%s have agreed a fee with %s for midfielder %s, 24. Personal terms are close." % (buyer, seller, name)
    else:
        text = "%s are keen on %s defender %s. Scouts watched him twice in December." % (buyer, seller, name)
    arts.append({"id": "w%d" % i, "date": d.isoformat(), "source": "Harbour Gazette", "title": "", "text": text})
    rows.append("%s,%s,%s,%s" % (name, buyer, (d + datetime.timedelta(days=21)).isoformat(), "done" if done else "failed"))
with open(out + "/articles.jsonl", "w") as f:
    for a in arts:
        f.write(json.dumps(a) + "\n")
with open(out + "/outcomes.csv", "w") as f:
    f.write("\n".join(rows) + "\n")
PY

run ingest --db "$DB" --quiet "$TMP/articles.jsonl"
expect_rc "ingest the world" 0
run fit --db "$DB"
expect_rc "nothing settled: nothing to fit" 1
expect_err "says why" "fitting needs stories that happened and stories that did not"
run outcomes import "$TMP/outcomes.csv" --db "$DB" --quiet
expect_rc "import the outcomes" 0

run fit --db "$DB" --l2 0.1 --out "$TMP/world.model"
expect_rc "radar fit" 0
# every story's report is an example, the ones whose window closed before they were settled too
expect_out_re "fitted on the store" "^Fitted by radar fit on the store.s settled stories: 40 examples \\(20 done\\) in 40 stories"
expect_out_re "the figures, held out and in-sample" "^ROC AUC held out \(5 folds by player, seed 16\): every example"
expect_out "the store uses it" "the store now uses this model; every story rescored"
weight() { sed -n "s/^weight $1 \([-0-9.e]*\).*/\1/p" "$TMP/world.model"; }
agreement=$(weight stage.agreement)
base=$(weight base)
hedged=$(weight hedged)
check "an agreed fee weighs for the move (got $agreement)" python3 -c "import sys; sys.exit(0 if $agreement > 2.5 else 1)"
# "are keen on": the base and one hedge
check "a rumour alone weighs against it (base $base, hedged $hedged)" \
    python3 -c "import sys; sys.exit(0 if $base + $hedged < -1 else 1)"
check "the fixed weights are kept" grep -qx "weight window -1.5 fixed" "$TMP/world.model"
check "a calibration" grep -qx "calibration 40" "$TMP/world.model"

# the store scores with the model it was given: a new story explained by it
cat >"$TMP/new.jsonl" <<'JSON'
{"id": "n1", "date": "2023-12-01", "source": "Harbour Gazette", "title": "", "text": "Everton have agreed a fee with Porto for midfielder Marco Vieira, 22. Personal terms are close."}
JSON
run ingest --db "$DB" --quiet "$TMP/new.jsonl"
run stories --db "$DB" --json --player "Marco Vieira"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stories"][0]["id"])' "$OUT" 2>/dev/null)
run story "$id" --db "$DB" --explain
expect_out_re "the calibration line" "^ +[-+][0-9.]+ +calibration +log-odds [-+][0-9.]+ are [0-9]+% in the outcomes the model was fitted on$"
expect_out_re "the stage line, with its weight" "^ +\+[0-9.]+ +stage +furthest stage reached: agreement  \[1 x \+[0-9.]+\]$"
run story "$id" --db "$DB" --json
expect_json "the lines add up to the likelihood" \
    "abs(sum(f['contribution'] for f in j['likelihood']['factors']) - __import__('math').log(j['likelihood']['p']/(1-j['likelihood']['p']))) < 0.01" True
expect_json "an agreed fee is likely" "j['likelihood']['p'] > 0.7" True
expect_json "each weighed line: its value times its weight" \
    "all(abs(f['value'] * f['weight'] - f['contribution']) < 0.01 for f in j['likelihood']['factors'] if f['weight'] is not None)" True
expect_json "the calibration line has no weight" \
    "[f['weight'] for f in j['likelihood']['factors'] if f['name'] == 'calibration']" "[None]"

# the store keeps the model's text: removing the file changes nothing
rm "$TMP/world.model"
run story "$id" --db "$DB" --json
expect_json "the model lives in the store" "j['likelihood']['p'] > 0.7" True
run fit --install builtin --db "$DB"
expect_rc "back to the built-in model" 0
expect_out "says so" "the store now uses the built-in likelihood model; every story rescored"

# a model file with a mistake is refused, with its file and line
printf '# mine\nradar-likelihood 1\nweight base -1\nweight shoe_size 2\n' >"$TMP/bad.model"
run fit --install "$TMP/bad.model" --db "$DB"
expect_rc "a bad model file" 1
expect_err "file and line" "$TMP/bad.model:4: unknown feature in 'weight shoe_size 2'"
printf 'weight base -1\n' >"$TMP/nohead.model"
run fit --install "$TMP/nohead.model" --db "$DB"
expect_err "not a model file" "$TMP/nohead.model:1: not a likelihood model (expected 'radar-likelihood 1' first), found 'weight base -1'"
run fit --install "$TMP/none.model" --db "$DB"
expect_rc "no such file" 1
expect_err_re "no such file: says which" "none.model: No such file"

# eval: labelled articles, figures over every snippet and each thread's first day
python3 - "$TMP" <<'PY'
import json, sys
out = sys.argv[1]
with open(out + "/articles.jsonl") as f, open(out + "/labelled.jsonl", "w") as g:
    rows = [l.strip().split(",") for l in open(out + "/outcomes.csv")][1:]
    for line, row in zip(f, rows):
        a = json.loads(line)
        a["gold"] = {"player": row[0], "to_club": row[1], "outcome": row[3]}
        g.write(json.dumps(a) + "\n")
PY
run eval outcomes "$TMP/labelled.jsonl" --first-day --json
expect_rc "eval --first-day" 0
expect_json "40 labelled, 40 threads" "(j['labelled'], j['threads'])" "(40, 40)"
expect_json "first day: one a thread" "j['first_day']['n']" 40
expect_json "a Brier score" "0 < j['first_day']['brier'] < 0.25" True
expect_json "the deciles of the first days" "sum(d['n'] for d in j['deciles'])" 40
expect_json "agreed fees rank above interest" "j['auc_first_day'] > 0.8" True
run eval outcomes "$TMP/labelled.jsonl" --folds 4
expect_rc "eval --folds" 0
expect_out_re "held out beside in-sample" "^ +held out  in-sample$"
expect_out_re "first-day AUC line" "^ROC AUC, first day +[0-9.]+ +[0-9.]+$"
run eval outcomes "$TMP/labelled.jsonl" --folds 1
expect_rc "one fold is no cross-validation" 2

# each decile's standard error (were its predictions right) and the
# Hosmer-Lemeshow chance; the worst gap right predictions would show
run eval outcomes "$TMP/labelled.jsonl" --first-day --folds 4 --json
expect_rc "eval --folds --json" 0
expect_json "a standard error a decile: sqrt(sum p(1-p)) / n is at most 0.5 / sqrt(n)" \
    "all(0 < d['se'] <= 0.5 / d['n'] ** 0.5 + 1e-9 for d in j['deciles'])" True
expect_json "the worst gap in standard errors" \
    "abs(j['first_day']['worst_decile_z'] - max(abs(d['observed'] - d['predicted']) / d['se'] for d in j['deciles'])) < 1e-3" True
expect_json "a chance within 0 .. 1" "0 <= j['first_day']['hosmer_lemeshow_p'] <= 1" True
expect_json "the worst gap of right predictions: median below the 90th percentile" \
    "0 < j['first_day']['worst_decile_gap_if_right_median'] <= j['first_day']['worst_decile_gap_if_right_p90']" True
HELD=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["auc_first_day"], j["auc"])' "$OUT")
run eval outcomes "$TMP/labelled.jsonl" --first-day --folds 4 --json --seeds 1
expect_json "one deal of the folds: the held-out figures" \
    "'%s %s' % (j['seeds']['auc_first_day_mean'], j['seeds']['auc_mean'])" "$HELD"
run eval outcomes "$TMP/labelled.jsonl" --first-day --folds 4 --json --seeds 3 --seed 5
expect_rc "eval --seeds 3" 0
expect_json "three deals, seeds 5 to 7" "(j['seeds']['deals'], j['seeds']['seed_from'], j['seeds']['seed_to'])" "(3, 5, 7)"
expect_json "the worst of the deals is no better than their mean" \
    "j['seeds']['auc_first_day_min'] <= j['seeds']['auc_first_day_mean'] and j['seeds']['worst_decile_gap_max'] >= j['seeds']['worst_decile_gap_mean']" True
run eval outcomes "$TMP/labelled.jsonl" --folds 4 --seeds 3
expect_rc "eval --seeds, text" 0
expect_out_re "the deals' line" "^held out over 3 deals of the folds \\(seeds 16-18\\):$"
run eval outcomes "$TMP/labelled.jsonl" --seeds 3
expect_rc "--seeds without --folds" 2
expect_err "says why" "--seeds: deals of the folds of --folds K"

# a smoothed isotonic calibration: no step on fewer than --min-bin examples
# (the calibration is fitted on the 40 first days: 10 a step, 4 at most)
run fit --labels "$TMP/labelled.jsonl" --min-bin 10 --out "$TMP/smooth.model"
expect_rc "fit --min-bin" 0
knots=$(grep -c '^knot ' "$TMP/smooth.model")
[ "$knots" -ge 1 ] && [ "$knots" -le 4 ] && ok || bad "--min-bin 10 on 40 first days: $knots knots (1 to 4)"
grep -q "calibration isotonic, steps of 10 examples or more" "$TMP/smooth.model" && ok ||
    bad "the model file's head names the calibration"
run fit --labels "$TMP/labelled.jsonl" --min-bin 0 --out "$TMP/smooth.model"
expect_rc "--min-bin 0" 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
