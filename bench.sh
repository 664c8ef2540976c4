#!/usr/bin/env bash
# The benchmarks of issue 9 in one command (under ten minutes on two cores): a throwaway PostgreSQL (or the server in
# ROTATIONS_BENCH_DB), a Release build of the app published as run.sh publishes it, then
#   1. the programme benchmark: a generated programme (2,000 leaders by default; --leaders up to 20,000; --seed) loaded
#      with binary COPY, the app started on it, reads under load beside a raw-SQL baseline, booking, the planner, the
#      CSV import, the app's peak working set;
#   2. the reminder sweep over 10,000 stints (bench/reminders.sh's benchmark).
# Prints figures, never pass/fail on speed; exits 1 only when a result is wrong (a correctness check failed).
# Arguments go to the programme benchmark: --leaders 2000 --seed 1 --concurrency 16 --seconds 5 --bookings 400 --import 10000.
# --markdown rewrites the Programme and Reminders sections of docs/benchmarks.md with the figures.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source tools/postgres.sh

log() { printf 'bench: %s\n' "$*" >&2; }
command -v dotnet >/dev/null || { log "the .NET SDK is required (dotnet not found on PATH)"; exit 1; }

markdown=()
args=()
for a in "$@"; do
  if [ "$a" = "--markdown" ]; then markdown=(--markdown); else args+=("$a"); fi
done

pg_throwaway_cluster ROTATIONS_BENCH_DB bench

started=$(date +%s)
log "building (Release): the app, published as run.sh publishes it, and the benchmark"
dotnet publish src/Rotations.Web -c Release -o "$root/.bench/app" -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/Rotations.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
bench_dll=bench/Rotations.Bench/bin/Release/net10.0/Rotations.Bench.dll

ROTATIONS_BENCH_APP="$root/.bench/app" dotnet "$bench_dll" programme ${args[@]+"${args[@]}"} ${markdown[@]+"${markdown[@]}"}
log "the reminder sweep over 10,000 stints"
dotnet "$bench_dll" reminders --stints 10000 --inbox 200 --emails 200 ${markdown[@]+"${markdown[@]}"}
log "done in $(( $(date +%s) - started )) s"
