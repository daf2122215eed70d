#!/usr/bin/env bash
# The whole test suite, on a fresh machine: system packages (as root, through apt), a virtual
# environment with every extra, a throwaway PostgreSQL for the store tests, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing system packages: ${need_apt[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "warning: missing system packages (${need_apt[*]}); tests that need them are skipped" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q -U pip
fi
if [ ! -f "$VENV/.all" ] || [ pyproject.toml -nt "$VENV/.all" ]; then
  "$VENV/bin/python" -m pip install -q -e ".[all,ocr]"
  touch "$VENV/.all"
fi

PG_PID_FILE=""
if [ -z "${NIANBAO_TEST_PG_URL:-}" ] && [ -x scripts/pg_test_server.sh ]; then
  if url=$(bash scripts/pg_test_server.sh start); then
    export NIANBAO_TEST_PG_URL="$url"
    trap 'bash scripts/pg_test_server.sh stop "$NIANBAO_TEST_PG_URL" >/dev/null 2>&1 || true' EXIT
  else
    echo "warning: could not start a PostgreSQL server; PostgreSQL tests are skipped" >&2
  fi
fi

# pyflakes-class errors (undefined names, unused imports) fail the run before the tests do
"$VENV/bin/python" -m ruff check --select F,E9 --quiet nianbao tests bench scripts

set +e
"$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
  echo "no tests ran" >&2
  exit 1
fi
exit $status
