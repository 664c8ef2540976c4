# Shared by run.sh and test.sh: find or install PostgreSQL, and run a private cluster in a folder.
# Source it; it defines functions only.

pg_log() { printf 'rotations: %s\n' "$*" >&2; }

# Runs a command as the postgres user when we are root (the server refuses to run as root).
pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Sets PG_BIN to a folder holding initdb, pg_ctl and postgres; installs PostgreSQL when missing.
pg_find_or_install() {
  local candidate
  for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
                   "$(pg_config --bindir 2>/dev/null)" \
                   $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -n "$candidate" ] && [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/initdb" ]; then
      PG_BIN=$candidate; return 0
    fi
  done
  pg_log "PostgreSQL server programs not found: installing the postgresql package with apt-get"
  local sudo=""; [ "$(id -u)" = "0" ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2 || {
      pg_log "apt-get could not install postgresql; install PostgreSQL 15+ or set the database variable"; return 1; }
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -rV | head -n1)
}

# pg_cluster_start DIR PORT PASSWORD: creates the cluster in DIR if needed, starts it on 127.0.0.1:PORT.
pg_cluster_start() {
  local dir=$1 port=$2 password=$3
  mkdir -p "$dir"
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$dir"
    if ! runuser -u postgres -- test -x "$dir"; then
      pg_log "the postgres user cannot reach $dir (a parent folder is private); move the checkout or open its parents"; return 1
    fi
  fi
  chmod 700 "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    local pwfile; pwfile=$(mktemp); printf '%s\n' "$password" > "$pwfile"; chmod 644 "$pwfile"
    pg_as_owner "$PG_BIN/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 || {
        rm -f "$pwfile"; pg_log "initdb failed: see $dir.initdb.log"; return 1; }
    rm -f "$pwfile"
  fi
  if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    pg_log "PostgreSQL already running in $dir"; return 0
  fi
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300" \
    start >/dev/null || { pg_log "PostgreSQL did not start: see $dir/server.log"; return 1; }
}

pg_cluster_stop() {
  local dir=$1
  [ -f "$dir/postmaster.pid" ] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# Creates database NAME on the cluster unless it exists.
pg_create_database() {
  local port=$1 password=$2 name=$3
  local exists
  exists=$(PGPASSWORD=$password psql_cmd -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "select 1 from pg_database where datname = '$name'") || return 1
  [ "$exists" = "1" ] || PGPASSWORD=$password psql_cmd -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc \
    "create database \"$name\"" || return 1
}

psql_cmd() {
  if [ -x "$PG_BIN/psql" ]; then "$PG_BIN/psql" "$@"; else psql "$@"; fi
}

# A free TCP port on 127.0.0.1.
pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A throwaway cluster for the calling script's lifetime, unless the variable named $1 already holds a
# connection string: starts one in /tmp on a free port, exports $1 as its administrative connection
# string, and stops and removes it when the script exits. $2 names it (test, bench).
pg_throwaway_cluster() {
  local var="$1" label="$2" port password
  [ -n "${!var:-}" ] && return 0
  pg_find_or_install
  PG_THROWAWAY=$(mktemp -d "/tmp/rotations-$label-pg.XXXXXX")
  chmod 755 "$PG_THROWAWAY"
  trap pg_throwaway_cleanup EXIT
  port=$(pg_free_port)
  password="$label-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  pg_cluster_start "$PG_THROWAWAY/data" "$port" "$password"
  export "$var=Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
  pg_log "throwaway PostgreSQL on 127.0.0.1:$port"
}

pg_throwaway_cleanup() {
  if [ -n "${PG_THROWAWAY:-}" ]; then
    pg_cluster_stop "$PG_THROWAWAY/data"
    rm -rf "$PG_THROWAWAY"
  fi
}
