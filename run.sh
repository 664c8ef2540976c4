#!/usr/bin/env bash
# Rotations on this machine, in one command: a local PostgreSQL under .data/ (unless ROTATIONS_DB is set),
# the migrations, the demo people, then the app on http://127.0.0.1:5080 (or ROTATIONS_URL).
# Ctrl-C stops the app and the local database; the next ./run.sh finds the data again.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source tools/postgres.sh

log() { printf 'run.sh: %s\n' "$*" >&2; }
command -v dotnet >/dev/null || { log "the .NET SDK is required (dotnet not found on PATH)"; exit 1; }

data="$root/.data"
mkdir -p "$data"
chmod 755 "$data"
url=${ROTATIONS_URL:-http://127.0.0.1:5080}

secret() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

# Demo password: yours, or one generated on the first run and kept in .data/ for the next.
if [ -z "${ROTATIONS_DEMO_PASSWORD:-}" ]; then
  [ -s "$data/demo-password" ] || { secret > "$data/demo-password"; chmod 600 "$data/demo-password"; }
  ROTATIONS_DEMO_PASSWORD=$(cat "$data/demo-password")
fi
export ROTATIONS_DEMO_PASSWORD
export ROTATIONS_ADMIN_EMAIL=${ROTATIONS_ADMIN_EMAIL:-admin@example.com}
export ROTATIONS_ADMIN_PASSWORD=${ROTATIONS_ADMIN_PASSWORD:-$ROTATIONS_DEMO_PASSWORD}

local_pg=""
stop_database() {
  # The terminal may be gone (a pipe into tee dies with Ctrl-C too): stop first, then try to say so.
  trap '' PIPE
  if [ -n "$local_pg" ]; then
    pg_cluster_stop "$local_pg"
    log "stopped the local PostgreSQL" || true
  fi
}
trap stop_database EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${ROTATIONS_DB:-}" ]; then
  pg_find_or_install
  port=${ROTATIONS_PG_PORT:-55432}
  [ -s "$data/postgres-password" ] || { secret > "$data/postgres-password"; chmod 600 "$data/postgres-password"; }
  pg_password=$(cat "$data/postgres-password")
  local_pg="$data/postgres"
  pg_cluster_start "$local_pg" "$port" "$pg_password"
  pg_create_database "$port" "$pg_password" rotations
  export ROTATIONS_DB="Host=127.0.0.1;Port=$port;Database=rotations;Username=postgres;Password=$pg_password"
  db_where="local PostgreSQL in .data/postgres on 127.0.0.1:$port (stopped by Ctrl-C)"
else
  db_where="the database named by ROTATIONS_DB"
fi

# Mail: an SMTP server when ROTATIONS_SMTP_HOST is set, otherwise .eml files in .data/mail of the repository
# (the app runs from .data/app, so the folder is passed as an absolute path).
if [ -z "${ROTATIONS_SMTP_HOST:-}" ]; then
  export ROTATIONS_MAIL_DIR=${ROTATIONS_MAIL_DIR:-$data/mail}
  mkdir -p "$ROTATIONS_MAIL_DIR"
  mail_where="no SMTP configured; emails are written as .eml files to $ROTATIONS_MAIL_DIR"
else
  mail_where="SMTP via $ROTATIONS_SMTP_HOST:${ROTATIONS_SMTP_PORT:-587}"
fi
export ROTATIONS_PUBLIC_URL=${ROTATIONS_PUBLIC_URL:-$url}

log "building"
dotnet publish src/Rotations.Web -c Release -o "$data/app" -nologo -v quiet -clp:ErrorsOnly
cd "$data/app"
export Logging__Console__FormatterName=${Logging__Console__FormatterName:-simple}

dotnet Rotations.Web.dll migrate
dotnet Rotations.Web.dll seed

cat <<BANNER

  Rotations is starting on $url
  Database: $db_where

  Sign in as (password: $ROTATIONS_DEMO_PASSWORD)
    admin@example.com     Admin (from ROTATIONS_ADMIN_EMAIL)
    hr@example.com        Hannah Reyes, HR coordinator
    manager@example.com   Marcus Okafor, manager and host
    host@example.com      Priya Shah, host
    leader@example.com    Lena Fischer, leader
    leader2@example.com   Tom Nguyen, leader
    host2@example.com     Grace Liu, host
    amara@ diego@ sofia@ kenji@example.com   four more leaders
  (people created by an earlier run keep the password they were given then: see .data/demo-password)

  Mail: $mail_where
  Ctrl-C stops the app and the local database.

BANNER

export ASPNETCORE_URLS=$url
# In the foreground, so that Ctrl-C reaches the app; the EXIT trap then stops PostgreSQL.
dotnet Rotations.Web.dll serve
