#!/usr/bin/env bash
# Time from `kill -9` of a portal node to the first successful request through nginx (docs/benchmarks.md), on a
# cluster started by deploy/cluster.sh (same RA_CLUSTER_* environment). Each run signs in four clients (each its own
# cookies, so nginx spreads them over the nodes), kills one node (odd runs the writer, even runs the other), and times every client's first successful report
# read after the kill; the slowest client is the figure. The writer lease's move is timed as well (only when the
# writer was killed). The node is brought back before the next run.
#
#   deploy/failover-bench.sh [RUNS=5] [USER=leader] [PASSWORD_FILE]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNS=${1:-5}
USER_NAME=${2:-leader}
PASSWORD=$(cat "${3:-/dev/stdin}" 2>/dev/null || true)
[[ -n $PASSWORD ]] || { echo "usage: $0 RUNS USER PASSWORD_FILE" >&2; exit 2; }
DIR=${RA_CLUSTER_DIR:-/tmp/ra-cluster}
PG_PORT=${RA_CLUSTER_PG_PORT:-5345}
LB="http://127.0.0.1:${RA_CLUSTER_LB_PORT:-5340}"
PATH_READ=${RA_BENCH_PATH:-api/reports/alerts_by_scenario}
JARS=$(mktemp -d)
trap 'rm -rf "$JARS"' EXIT

now() { date +%s.%N; }
holder() { psql -h 127.0.0.1 -p "$PG_PORT" -U ra -d retention -tAc "select holder from ops.writer_lease"; }

sign_in() {
    local jar=$1 token
    token=$(curl -fsS -c "$jar" -b "$jar" "$LB/account/signin" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
    curl -fsS -o /dev/null -c "$jar" -b "$jar" "$LB/account/signin" \
        --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "Username=$USER_NAME" \
        --data-urlencode "Password=$PASSWORD" --data-urlencode "ReturnUrl=/"
    curl -fsS -o /dev/null -b "$jar" "$LB/$PATH_READ"
}

echo "| run | killed | writer before | all four clients served again after kill -9 (s) | writer lease moved after (s) |"
echo "|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
    for c in 1 2 3 4; do sign_in "$JARS/$c"; done
    # odd runs kill the writer, even runs the other node
    writer=$(holder)
    other=$([[ $writer == node1 ]] && echo node2 || echo node1)
    victim=$([[ $((run % 2)) == 1 ]] && echo "$writer" || echo "$other")
    pid=$(cat "$DIR/run/$victim.pid")
    kill -9 "$pid"
    killed=$(now)
    slowest=0
    for c in 1 2 3 4; do
        until curl -fs -o /dev/null -m 5 -b "$JARS/$c" "$LB/$PATH_READ"; do sleep 0.02; done
        slowest=$(echo "$(now) - $killed" | bc)
    done
    moved="-"
    if [[ $writer == "$victim" ]]; then
        until [[ $(holder) != "$victim" ]]; do sleep 0.1; done
        moved=$(printf '%.2f' "$(echo "$(now) - $killed" | bc)")
    fi
    printf '| %s | %s | %s | %.2f | %s |\n' "$run" "$victim" "$writer" "$slowest" "$moved"
    "$HERE/cluster.sh" up >"$JARS/up.log" 2>&1 || { cat "$JARS/up.log" >&2; exit 1; }
done
