#!/usr/bin/env bash
# Builds every kind of output the default workbook can make into FOLDER, with SOURCE_DATE_EPOCH
# set and no cache, and writes FOLDER/SHA256SUMS. Run it before and after a change that must not
# change any output, then compare the two lists:
#
#   scripts/snapshot-outputs.sh /tmp/before      (on the old commit)
#   scripts/snapshot-outputs.sh /tmp/after       (on the new one)
#   diff /tmp/before/SHA256SUMS /tmp/after/SHA256SUMS && echo "byte-identical"
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:?usage: scripts/snapshot-outputs.sh FOLDER}")
wb=${WORKBOOK:-.venv/bin/workbook}
rm -rf "$out"
mkdir -p "$out"
export SOURCE_DATE_EPOCH=1767225600  # 2026-01-01
export WORKBOOK_CACHE_DIR="$out/.cache"

printf 'name,parts\nSam Lee,welcome signs-checklist\nAna Ruiz,\nJo Park,rupture-repair-log\n' \
  >"$out/.clients.csv"
printf 'practice = "Harbour Counselling"\nclinician = "Dr Ana Ruiz"\nphone = "020 7946 0000"\n' \
  >"$out/.brand.toml"

variant() {  # NAME ARGS...: one command's files in their own folder
  local name=$1
  shift
  "$wb" "$@" -o "$out/$name" --quiet --no-cache
}
variant default build
variant a4-large build --paper a4 --large-print
variant a5 build --paper a5
variant booklet build --booklet
variant booklet-a4-low-ink build --edition print --booklet --paper a4 --low-ink
variant low-ink build --low-ink
variant discreet build --discreet
variant region-uk build --region uk --only welcome,support-and-crisis-resources,signs-checklist
variant client build --client "Sam Lee" --brand "$out/.brand.toml"
variant batch build --clients "$out/.clients.csv" --name-files
variant batch-discreet build --clients "$out/.clients.csv" --discreet --edition print
variant handout handout signs-checklist rupture-repair-log --copies 3
variant handout-fillable handout therapist-fit-questions --fillable --paper a4 --large-print

rm -rf "$out/.cache" "$out/.clients.csv" "$out/.brand.toml"
(cd "$out" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum >SHA256SUMS)
echo "$(grep -c . "$out/SHA256SUMS") files; their sums in $out/SHA256SUMS"
