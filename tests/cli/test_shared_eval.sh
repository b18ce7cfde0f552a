#!/usr/bin/env bash
# The shared seed articles (../shared/seeds) must score F1 1.000 against their
# gold rumours, and the 2021 seed must keep its fee and its rival suitors;
# the likelihoods must reach ROC AUC 0.80 on the tm-dev outcomes.
# Skipped (exit 77) when the shared data is not there; fails without python3.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
SHARED=${RADAR_SHARED:-}

if [ -z "$SHARED" ] || [ ! -f "$SHARED/eval/score.py" ] || [ ! -d "$SHARED/seeds" ] ||
    [ ! -f "$SHARED/eval/seeds.gold.jsonl" ]; then
    echo "SKIP: ../shared not found"
    exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL: python3 not found (scripts/install-deps installs it)"
    exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-eval.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
check() {
    if [ "$2" = 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $1"
    fi
}

"$RADAR" extract --format json "$SHARED/seeds" >"$TMP/out.jsonl" 2>"$TMP/err"
check "radar extract on the seeds exits 0" $?
[ -s "$TMP/out.jsonl" ]
check "radar extract on the seeds writes output" $?

python3 "$SHARED/eval/score.py" "$SHARED/eval/seeds.gold.jsonl" "$TMP/out.jsonl" >"$TMP/score" 2>&1
check "score.py runs" $?
cat "$TMP/score"
tail -n 1 "$TMP/score" | grep -q "F1 1\.000"
check "the last line of the score says F1 1.000" $?

# the 2021 seed: Bastoni to Liverpool for a 50m euro fee, with Bayern Munich
# and Barcelona as rival suitors
grep '"date": "2021-' "$TMP/out.jsonl" >"$TMP/seed2021"
[ "$(wc -l <"$TMP/seed2021")" -eq 1 ]
check "exactly one 2021 seed article" $?
grep -qE '\{"player": "[^"]*Bastoni", "from_club": "[^"]*", "to_club": "Liverpool", "stage": "[a-z]+", "fee": \{"amount": 50000000, ("amount_max": [0-9]+, )?"currency": "EUR"' "$TMP/seed2021"
check "2021 seed: Bastoni -> Liverpool with a fee of 50000000 EUR" $?
# the Liverpool rumour's suitors_also list
grep -oE '"to_club": "Liverpool", "stage": "[a-z]+", "fee": (null|\{[^}]*\}), "suitors_also": \[[^]]*\]' \
    "$TMP/seed2021" >"$TMP/liverpool"
for club in "Bayern Munich" "Barcelona"; do
    grep -qE "\"player\": \"[^\"]*Bastoni\", \"from_club\": \"[^\"]*\", \"to_club\": \"$club\"" "$TMP/seed2021"
    check "2021 seed: a rumour of Bastoni to $club" $?
    grep -qF "\"$club\"" "$TMP/liverpool"
    check "2021 seed: $club among the suitors_also of Bastoni -> Liverpool" $?
done

# likelihoods against what really happened (tm-dev: Transfermarkt rumour
# threads labelled done or failed), each snippet scored as of its own date
TM="$SHARED/eval/tm-dev.jsonl"
if [ -f "$TM" ]; then
    "$RADAR" eval outcomes "$TM" --json >"$TMP/tm-eval" 2>"$TMP/tm-eval.err"
    check "radar eval outcomes tm-dev" $?
    auc=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["auc"])' "$TMP/tm-eval" 2>/dev/null)
    echo "tm-dev ROC AUC: ${auc:-none}"
    python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["auc"] >= 0.80 else 1)' "$TMP/tm-eval"
    check "tm-dev: ROC AUC >= 0.80 (got ${auc:-none})" $?
    # weights fitted on tm-dev itself by 5-fold cross-validation by player:
    # the held-out figures (docs/scoring.md) must not slip
    # (the recipe of the shipped model: docs/scoring.md, Fitting)
    "$RADAR" eval outcomes "$TM" --first-day --folds 5 --without first_source,suitors --json >"$TMP/tm-cv" \
        2>"$TMP/tm-cv.err"
    check "radar eval outcomes --first-day --folds 5 --without first_source,suitors tm-dev" $?
    python3 - "$TMP/tm-cv" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print("tm-dev held out: first-day AUC %.3f, every-snippet AUC %.3f, first-day Brier %.3f, worst first-day decile gap %.3f"
      % (j["auc_first_day"], j["auc"], j["first_day"]["brier"], j["first_day"]["worst_decile_gap"]))
print("tm-dev in-sample: first-day AUC %.3f, every-snippet AUC %.3f"
      % (j["in_sample"]["first_day"]["auc"], j["in_sample"]["every_snippet"]["auc"]))
f = j["first_day"]
print("tm-dev held out, first days: worst decile %.1f standard errors off; Hosmer-Lemeshow %.1f, chance %.2f; "
      "right predictions' worst gap: median %.3f" % (f["worst_decile_z"], f["hosmer_lemeshow"],
                                                     f["hosmer_lemeshow_p"], f["worst_decile_gap_if_right_median"]))
PY
    # the ranking bounds are the figures reached (0.783, 0.863; over ten deals of the folds 0.774 and 0.862,
    # worst 0.765 and 0.859), less about 0.01; a decile holds about
    # 36 threads: one standard error of its observed rate is about 0.07, and the worst of ten deciles
    # moves by 0.05 with the deal of the folds or a retrained extractor (reached: 0.111; over ten deals
    # 0.108 on average, 0.136 at worst), so the bound is 0.14
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["auc_first_day"] >= 0.765 and j["auc"] >= 0.855 and j["first_day"]["worst_decile_gap"] <= 0.14 else 1)' "$TMP/tm-cv"
    check "tm-dev held out: first-day AUC >= 0.765, every-snippet AUC >= 0.855, first-day deciles within 0.14" $?
    # calibration judged against chance: the first days' deciles must be as close to their predictions
    # as right predictions would often be (Hosmer-Lemeshow chance reached: 0.39, 0.58 on average over ten
    # deals of the folds; 0.05 is the usual line)
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["first_day"]["hosmer_lemeshow_p"] >= 0.05 else 1)' "$TMP/tm-cv"
    check "tm-dev held out: first-day deciles no further off than chance (Hosmer-Lemeshow chance >= 0.05)" $?
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
