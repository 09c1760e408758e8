#!/usr/bin/env bash
# Several portal nodes on this machine, loopback only (docs/deploy.md): a private PostgreSQL cluster for the
# operational data and the writer lease, two portal nodes with their own warehouse files following the published
# snapshots, and nginx in front with sticky sessions for the Blazor circuits.
#
#   deploy/cluster.sh up       start what is not running (installs postgresql and nginx when missing); last line: the URL
#   deploy/cluster.sh status   one line per running process: NAME PID URL, and for a node its role as /healthz
#                              reports it (writer, standby, reader; unknown when it does not answer); exit 3 when one
#                              is not running
#   deploy/cluster.sh down     stop everything; the data stays in the folder for the next `up`
#
# Environment (defaults in brackets):
#   RA_CLUSTER_DIR [/tmp/ra-cluster]   folder of everything: pg/, node1/, node2/, snapshots/, inbox/, nginx/, run/
#   RA_CLUSTER_LB_PORT [5340]  RA_CLUSTER_NODE1_PORT [5331]  RA_CLUSTER_NODE2_PORT [5332]  RA_CLUSTER_PG_PORT [5345]
#   RA_CLUSTER_SINGLE_PORT [5341]  the same nginx in front of node1 alone (the reference of `ra benchmark http`)
#   RA_CLUSTER_APP []          a built portal folder (with RetentionAnalytics.Portal.dll); empty: a Release build is
#                              published into RA_CLUSTER_DIR/app on the first `up`
#   RA_CLUSTER_SEED [<repo>/data-samples/province]   the province the first writer loads
#   RA_CLUSTER_DEMO_MONTHS [0]  months of simulated demo campaigns made by the seed (docs/demo.md)
#   RA_CLUSTER_WAIT [600]      seconds `up` waits for the nodes and the first snapshot
#   RA_CLUSTER_INBOX_POLL [60]  seconds between two looks at the inbox (RA_CLUSTER_DIR/inbox) on the writer
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=$(mkdir -p "${RA_CLUSTER_DIR:-/tmp/ra-cluster}" && cd "${RA_CLUSTER_DIR:-/tmp/ra-cluster}" && pwd)
LB_PORT=${RA_CLUSTER_LB_PORT:-5340}
SINGLE_PORT=${RA_CLUSTER_SINGLE_PORT:-5341}
PG_PORT=${RA_CLUSTER_PG_PORT:-5345}
declare -A NODE_PORT=([node1]=${RA_CLUSTER_NODE1_PORT:-5331} [node2]=${RA_CLUSTER_NODE2_PORT:-5332})
NODES=(node1 node2)
APP=${RA_CLUSTER_APP:-$DIR/app}
SEED=${RA_CLUSTER_SEED:-$REPO/data-samples/province}
WAIT=${RA_CLUSTER_WAIT:-600}
RUN=$DIR/run
PG_DATA=$DIR/pg/data
PG_USER=ra
DATABASE=retention

say() { echo "cluster: $*" >&2; }
die() { say "$*"; exit 1; }
# a process killed a moment ago may linger as a zombie until it is reaped: that is not running
alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null && ! grep -qE '^[0-9]+ \(.*\) [ZX] ' "/proc/$1/stat" 2>/dev/null; }
pid_of() { [[ -f $RUN/$1.pid ]] && cat "$RUN/$1.pid" || true; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_pid() { [[ -f $PG_DATA/postmaster.pid ]] && head -1 "$PG_DATA/postmaster.pid" || true; }

install_missing() {
    local missing=()
    [[ -x $(pg_bin)/initdb ]] || missing+=(postgresql)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v curl >/dev/null || missing+=(curl)
    command -v dotnet >/dev/null || die "dotnet is not installed (the portal needs the .NET 10 runtime)"
    if ((${#missing[@]})); then
        [[ $(id -u) == 0 ]] || die "missing ${missing[*]}; install them as root (apt-get install ${missing[*]})"
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
}

start_postgres() {
    if alive "$(pg_pid)"; then return; fi
    local bin; bin=$(pg_bin)
    mkdir -p "$DIR/pg"
    if [[ $(id -u) == 0 ]]; then
        # postgres refuses to run as root: the cluster belongs to Debian's postgres account, which must reach its folder
        chmod a+x "$DIR"
        chown postgres "$DIR/pg"
    fi
    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        say "initdb $PG_DATA"
        as_pg "$bin/initdb" -D "$PG_DATA" -A trust -U "$PG_USER" -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    say "postgresql on 127.0.0.1:$PG_PORT"
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$DIR/pg/server.log" -w -t 60 start \
        -o "-p $PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1" >/dev/null
    if [[ -z $("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname = '$DATABASE'") ]]; then
        "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "create database $DATABASE" >/dev/null
    fi
}

publish_app() {
    [[ -f $APP/RetentionAnalytics.Portal.dll ]] && return
    [[ -n ${RA_CLUSTER_APP:-} ]] && die "RA_CLUSTER_APP=$APP holds no RetentionAnalytics.Portal.dll"
    say "publishing the portal (Release) into $APP"
    dotnet publish "$REPO/src/RetentionAnalytics.Portal" -c Release -o "$APP" --nologo -v q >&2
}

start_node() {
    local name=$1 port=${NODE_PORT[$1]}
    if alive "$(pid_of "$name")"; then return; fi
    mkdir -p "$DIR/$name" "$DIR/inbox" "$DIR/snapshots" "$RUN"
    say "$name on 127.0.0.1:$port"
    (
        cd "$APP"
        export RA_DB=$DIR/$name/warehouse.duckdb
        export Ops__Provider=postgres
        export Ops__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Database=$DATABASE;Username=$PG_USER"
        export Cluster__Node=$name Cluster__SnapshotFolder=$DIR/snapshots
        export Etl__Inbox=$DIR/inbox Etl__SeedFolder=$SEED Logs__Folder=$DIR/$name/logs
        export Demo__HistoryMonths=${RA_CLUSTER_DEMO_MONTHS:-0} Etl__InboxPollSeconds=${RA_CLUSTER_INBOX_POLL:-60}
        # two nodes share this machine: a third of its memory each (a node on its own machine takes half by default)
        export Warehouse__MemoryLimit=${RA_CLUSTER_NODE_MEMORY:-33%}
        # nginx on this machine is the only proxy whose X-Forwarded-For is believed
        export Network__TrustedProxies__0=127.0.0.1/32
        export ASPNETCORE_ENVIRONMENT=Production
        exec nohup dotnet RetentionAnalytics.Portal.dll --urls "http://127.0.0.1:$port" >"$DIR/$name/portal.out" 2>&1 </dev/null
    ) &
    echo $! >"$RUN/$name.pid"
}

write_nginx_conf() {
    mkdir -p "$DIR/nginx/tmp"
    local user_line=""
    [[ $(id -u) == 0 ]] && user_line="user root;"
    local servers=""
    for name in "${NODES[@]}"; do
        servers+="        server 127.0.0.1:${NODE_PORT[$name]} max_fails=0;"$'\n'
    done
    cat >"$DIR/nginx/proxy.conf" <<EOF
proxy_http_version 1.1;
proxy_set_header Host \$http_host;
proxy_set_header Upgrade \$http_upgrade;
proxy_set_header Connection \$connection_upgrade;
proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto \$scheme;
# a node that is down is skipped at once (its port refuses); a request it never received is sent to the other. A node
# on standby answers 503 before it does any work (docs/deploy.md), so even a POST is safe to pass on to the writer.
# max_fails=0: the standby's 503 to an agent must not mark it failed, or the readers it serves would be sent to the
# writer for a while and their Blazor circuits could be split between the nodes
proxy_connect_timeout 2s;
proxy_next_upstream error timeout http_503 non_idempotent;
# the Blazor circuits are long-lived WebSockets
proxy_read_timeout 1h;
proxy_buffering off;
add_header Set-Cookie \$ra_node_cookie;
EOF
    cat >"$DIR/nginx/nginx.conf" <<EOF
# written by deploy/cluster.sh
$user_line
worker_processes 2;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $DIR/nginx/tmp/body;
    proxy_temp_path $DIR/nginx/tmp/proxy;
    fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
    scgi_temp_path $DIR/nginx/tmp/scgi;

    # WebSocket upgrade for the Blazor circuits; an empty Connection keeps upstream connections alive otherwise
    map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
    # sticky sessions: a browser keeps its node through the ra_node cookie (set on its first answer); a cookie hash
    # rather than ip_hash, which would send everybody behind one address (a NAT, this loopback) to one node
    map \$cookie_ra_node \$ra_node { '' \$request_id; default \$cookie_ra_node; }
    map \$cookie_ra_node \$ra_node_cookie { '' "ra_node=\$request_id; Path=/; HttpOnly; SameSite=Lax"; default ''; }

    # zone: every worker process sees the same state of the nodes (without it each worker keeps its own, and one
    # that still counts the new writer as failed from its 503s as a standby answers 502 while another serves)
    upstream portal {
        zone portal 64k;
        hash \$ra_node consistent;
$servers        keepalive 32;
    }
    upstream portal_node1 {
        zone portal_node1 64k;
        server 127.0.0.1:${NODE_PORT[node1]};
        keepalive 32;
    }

    server {
        listen 127.0.0.1:$LB_PORT;
        location / {
            proxy_pass http://portal;
            include $DIR/nginx/proxy.conf;
        }
    }
    # node1 alone through the same nginx: the reference of the two-node throughput (docs/benchmarks.md)
    server {
        listen 127.0.0.1:$SINGLE_PORT;
        location / {
            proxy_pass http://portal_node1;
            include $DIR/nginx/proxy.conf;
        }
    }
}
EOF
}

start_nginx() {
    if alive "$(cat "$DIR/nginx/nginx.pid" 2>/dev/null)"; then return; fi
    write_nginx_conf
    say "nginx on 127.0.0.1:$LB_PORT"
    nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -t -q
    nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
}

# a node is ready when it answers and its file holds the newest published build
node_ready() {
    local name=$1 current
    alive "$(pid_of "$name")" || die "$name exited; see $DIR/$name/portal.out"
    curl -fsS -o /dev/null "http://127.0.0.1:${NODE_PORT[$name]}/healthz" 2>/dev/null || return 1
    [[ -f $DIR/snapshots/current ]] || return 1
    current=$(cat "$DIR/snapshots/current")
    [[ -f $DIR/$name/warehouse.duckdb.build && $(cat "$DIR/$name/warehouse.duckdb.build") == "$current" ]]
}

wait_ready() {
    local until=$((SECONDS + WAIT))
    for name in "$@"; do
        until node_ready "$name"; do
            ((SECONDS < until)) || die "$name not ready after ${WAIT}s; see $DIR/$name/portal.out and $DIR/$name/logs"
            sleep 1
        done
    done
}

wait_balancer() {
    local until=$((SECONDS + 60))
    until curl -fsS -o /dev/null "http://127.0.0.1:$LB_PORT/healthz" 2>/dev/null; do
        ((SECONDS < until)) || die "nginx does not answer on $LB_PORT; see $DIR/nginx/error.log"
        sleep 0.5
    done
}

up() {
    install_missing
    start_postgres
    publish_app
    # the first node starts alone, so that it takes the writer lease and loads the sample province; the others start
    # on the snapshot it publishes
    local first=${NODES[0]}
    start_node "$first"
    wait_ready "$first"
    for name in "${NODES[@]:1}"; do
        start_node "$name"
    done
    wait_ready "${NODES[@]}"
    start_nginx
    wait_balancer
    echo "http://127.0.0.1:$LB_PORT/"
}

# the node's role as its health endpoint reports it
role_of() {
    local role
    role=$(curl -fsS -m 5 "http://127.0.0.1:${NODE_PORT[$1]}/healthz" 2>/dev/null | grep -o '"role":"[a-z]*"' | cut -d'"' -f4 || true)
    echo "${role:-unknown}"
}

status() {
    local missing=0 pid
    pid=$(pg_pid)
    if alive "$pid"; then echo "postgres $pid postgresql://127.0.0.1:$PG_PORT/$DATABASE"; else say "postgres not running"; missing=1; fi
    for name in "${NODES[@]}"; do
        pid=$(pid_of "$name")
        if alive "$pid"; then echo "$name $pid http://127.0.0.1:${NODE_PORT[$name]} $(role_of "$name")"; else say "$name not running"; missing=1; fi
    done
    pid=$(cat "$DIR/nginx/nginx.pid" 2>/dev/null || true)
    if alive "$pid"; then echo "nginx $pid http://127.0.0.1:$LB_PORT"; else say "nginx not running"; missing=1; fi
    return $((missing * 3))
}

stop_pid() {
    local pid=$1 i
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do alive "$pid" || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
}

down() {
    local pid
    pid=$(cat "$DIR/nginx/nginx.pid" 2>/dev/null || true)
    if alive "$pid"; then nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s quit 2>/dev/null || true; stop_pid "$pid"; fi
    for name in "${NODES[@]}"; do
        stop_pid "$(pid_of "$name")"
        rm -f "$RUN/$name.pid"
    done
    if alive "$(pg_pid)"; then
        as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
    say "stopped; data kept in $DIR"
}

case ${1:-} in
    up) up ;;
    status) status ;;
    down) down ;;
    *) echo "usage: $0 up | down | status" >&2; exit 2 ;;
esac
