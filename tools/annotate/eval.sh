#!/usr/bin/env bash
# make eval: the learned decisions measured on text they were not fitted to.
#   1. 5-fold cross-validation on the training corpus (data/train/labels.jsonl joined with the texts in
#      SHARED/corpus), beside the rule passes alone on the same corpus;
#   2. the built-in model on the shared dev sets and the seeds (never trained on).
# usage: bash tools/annotate/eval.sh PATH/TO/radar [SHARED]   (skips, exit 0, when SHARED is absent)
set -euo pipefail
radar=$1
shared=${2:-../shared}
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$shared/eval/score.py" ] || [ ! -d "$shared/corpus" ]; then
    echo "eval: $shared (the shared corpus and scorer) not found; nothing to measure"
    exit 0
fi
tmp=${EVAL_TMP:-$(mktemp -d)}
[ -n "${EVAL_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
python3 "$here/tools/annotate/join.py" "$shared" "$here/data/train/labels.jsonl" "$tmp/train.jsonl"
"$radar" train --folds 5 --predict "$tmp/cv.jsonl" --rules "$tmp/rules.jsonl" "$tmp/train.jsonl"
echo "== training corpus: the rule passes alone, then the model cross-validated (5 folds)"
python3 "$here/tools/annotate/report.py" "$shared" "$here/data/train/labels.jsonl" "$tmp/rules.jsonl" rules
python3 "$here/tools/annotate/report.py" "$shared" "$here/data/train/labels.jsonl" "$tmp/cv.jsonl" cv
echo "== shared dev sets (not trained on): the built-in model"
for set in gossip-dev bbcsport-dev; do
    "$radar" extract --format json "$shared/eval/$set.jsonl" >"$tmp/$set.jsonl"
    printf '%-14s %s\n' "$set" "$(python3 "$shared/eval/score.py" "$shared/eval/$set.gold.jsonl" "$tmp/$set.jsonl" | tail -1)"
done
"$radar" extract --format json "$shared/seeds" >"$tmp/seeds.jsonl"
printf '%-14s %s\n' seeds "$(python3 "$shared/eval/score.py" "$shared/eval/seeds.gold.jsonl" "$tmp/seeds.jsonl" | tail -1)"
"$radar" extract --format json "$shared/eval/tm-dev.jsonl" >"$tmp/tm.jsonl"
printf '%-14s %s\n' tm-dev "$(python3 "$shared/eval/score.py" "$shared/eval/tm-dev.jsonl" "$tmp/tm.jsonl" | tail -1)"
