#!/usr/bin/env bash
# The benchmarks of bench/ (what each times: its docstring and bench/README.md), one after another,
# each one's output kept in a results folder. `make bench` calls it.
#
#   bash scripts/bench.sh                    # every benchmark, quick sizes (~10-20 min on 2 cores)
#   bash scripts/bench.sh parse ingest       # only these (names below)
#   BENCH_SIZE=smoke bash scripts/bench.sh   # tiny sizes: that each one runs (~1 min)
#   BENCH_SIZE=full bash scripts/bench.sh    # the README's sizes (10^5 reports: hours, tens of GB)
#   BENCH_OUT=DIR bash scripts/bench.sh      # results there (default out/bench/<UTC time>/)
#
# Names: accuracy parse pdf render robust ingest hostile corpus web queries export.
# Each benchmark writes its figures (one JSON object, or a table) to DIR/<name>.out and its log to
# DIR/<name>.err; a line per benchmark says how it ended, and the exit status is 1 if any failed.
# The databases they build go to a temporary folder, removed at the end. Timings depend on the
# load of the machine (printed by most benchmarks): run it on a quiet one.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
SIZE=${BENCH_SIZE:-quick}
OUT=${BENCH_OUT:-out/bench/$(date -u +%Y%m%dT%H%M%SZ)}
ALL=(accuracy parse pdf render robust ingest hostile corpus web queries export)

case "$SIZE" in
  smoke|quick|full) ;;
  *) echo "BENCH_SIZE=$SIZE: use smoke, quick or full" >&2; exit 2 ;;
esac
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${ALL[@]}")
for n in "${names[@]}"; do
  case " ${ALL[*]} " in
    *" $n "*) ;;
    *) echo "unknown benchmark: $n (one of: ${ALL[*]})" >&2; exit 2 ;;
  esac
done

# the same environment as the tests (scripts/test.sh): every extra installed
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV" && "$VENV/bin/python" -m pip install -q -U pip || exit 1
fi
if [ ! -f "$VENV/.all" ] || [ pyproject.toml -nt "$VENV/.all" ]; then
  "$VENV/bin/python" -m pip install -q -e ".[all,ocr]" && touch "$VENV/.all" || exit 1
fi
PY="$VENV/bin/python"
export PATH="$PWD/$VENV/bin:$PATH"  # the benchmarks run `nianbao` and `python -m nianbao`

mkdir -p "$OUT" || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-bench.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
office=()
command -v soffice >/dev/null 2>&1 || office=(--no-office)  # bench_robust: LibreOffice cases skipped

# the arguments of each benchmark at each size (quick: the script's defaults, except the corpus
# ones, whose defaults are the README's 10^5 reports)
args() {
  case "$1:$SIZE" in
    parse:smoke) echo "--n 60 --warmup 5" ;;
    parse:*) echo "" ;;
    pdf:smoke) echo "--repeat 1" ;;
    pdf:*) echo "--repeat 5" ;;
    render:smoke) echo "--n 3 --formats html,md" ;;
    render:*) echo "--n 50" ;;
    robust:smoke) echo "--only utf16 crlf --no-office" ;;
    robust:*) echo "${office[*]}" ;;
    ingest:smoke) echo "--n 40" ;;
    ingest:quick) echo "--n 600" ;;
    ingest:full) echo "--n 600 --write 100000" ;;
    hostile:smoke) echo "--only span-bomb.html deep-divs.html ratio-bomb.zip" ;;
    hostile:*) echo "" ;;
    corpus:smoke) echo "100 --db $TMP/corpus.db" ;;
    corpus:quick) echo "2000 --db $TMP/corpus.db" ;;
    corpus:full) echo "100000 --db $TMP/corpus.db" ;;
    web:smoke) echo "300 --base 100 --repeat 1 --db $TMP/web.db" ;;
    web:quick) echo "10000 --base 2000 --db $TMP/web.db" ;;
    web:full) echo "100000 --base 5000 --db $TMP/web.db" ;;
    queries:smoke) echo "$TMP/web.db --repeat 1" ;;
    queries:*) echo "$TMP/web.db --repeat 3" ;;
    *) echo "" ;;
  esac
}

failed=()
run() {  # run NAME COMMAND...: stdout to NAME.out, stderr to NAME.err
  local name=$1 start=$SECONDS status
  shift
  echo "== $name: $*" >&2
  "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  status=$?
  if [ $status -eq 0 ]; then
    echo "   done in $((SECONDS - start)) s: $OUT/$name.out" >&2
  else
    echo "   FAILED (exit $status) after $((SECONDS - start)) s: see $OUT/$name.err" >&2
    failed+=("$name")
  fi
  return $status
}

for n in "${names[@]}"; do
  # shellcheck disable=SC2046  # the arguments are words without spaces
  case "$n" in
    queries)
      if [ ! -f "$TMP/web.db" ]; then  # on the web benchmark's corpus
        run web-build "$PY" bench/bench_web.py $(args web) --build-only
      fi
      run queries "$PY" bench/bench_queries.py $(args queries) ;;
    export)
      case "$SIZE" in
        smoke) build=(--write 100 --copies 2) ;;
        quick) build=(--write 2000 --copies 2) ;;
        full) build=() ;;
      esac
      run export-build "$PY" bench/bench_export.py --build "$TMP/export.db" "${build[@]}" &&
        run export "$PY" bench/bench_export.py "$TMP/export.db" --runs long_parquet,long_csv,wide_csv,wide_parquet ;;
    *)
      run "$n" "$PY" "bench/bench_$n.py" $(args "$n") ;;
  esac
done

echo "results: $OUT" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
