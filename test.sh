#!/usr/bin/env bash
# Runs the whole test suite on a machine that has only the .NET SDK: installs what the tests need
# beyond it (Debian's chromium for the browser tests), builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")"

# chromium for the browser tests; LibreOffice Calc reads exported workbooks back; libgdiplus lets ClosedXML fit widths
if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 || [ ! -e /usr/lib/libgdiplus.so ]; then
    echo "Installing Debian's chromium, libreoffice-calc-nogui and libgdiplus for the tests..."
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui libgdiplus >/dev/null
fi
# Debian's PostgreSQL server binaries and nginx: the operational-data tests start a private PostgreSQL cluster of their
# own (Ops:Provider=postgres), the fail-over test two portal nodes behind a private nginx (deploy/cluster.sh)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; }; then
    echo "Installing Debian's postgresql and nginx for the operational-data and fail-over tests..."
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql nginx >/dev/null
fi
export RA_CHROMIUM="${RA_CHROMIUM:-$(command -v chromium)}"

# the whole run goes to the console and to a log; a run that fails ends with the failed tests and their messages,
# so the last lines of a long run name what failed
log="$(mktemp -t ra-test.XXXXXX.log)"
rc=0
dotnet test RetentionAnalytics.sln --nologo -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || rc=$?
if [ "$rc" -ne 0 ]; then
    echo
    echo "==== failed tests, details below (full log: $log) ===="
    awk '/^  Failed [A-Za-z]/ { c++; if (c <= 20) print } END { if (c > 20) print "  … and " c - 20 " more" }' "$log"
    echo "==== details ===="
    awk '/^  Failed [A-Za-z]/ { on = 1; n = 0 }
         /^  (Passed|Skipped) [A-Za-z]/ { on = 0 }
         /^Test Run Failed|^Total tests:/ { on = 0 }
         on && n < 16 { print; n++ }' "$log"
    grep -E "^Total tests:|^ +(Passed|Failed): " "$log" | tail -3
fi
[ "$rc" -eq 0 ] && rm -f "$log"
exit "$rc"
