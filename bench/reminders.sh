#!/usr/bin/env bash
# The reminder benchmark, end to end: a throwaway PostgreSQL (or the server in ROTATIONS_BENCH_DB), a Release
# build, the run, the cluster stopped. Prints figures, not pass/fail on speed; exits 1 only when a result is wrong.
# Arguments go to the benchmark: --stints 1000,10000,50000  --inbox 1000  --emails 1000  --markdown (update docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/postgres.sh

log() { printf 'bench: %s\n' "$*" >&2; }
command -v dotnet >/dev/null || { log "the .NET SDK is required (dotnet not found on PATH)"; exit 1; }

pg_throwaway_cluster ROTATIONS_BENCH_DB bench

log "building (Release)"
dotnet build bench/Rotations.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/Rotations.Bench/bin/Release/net10.0/Rotations.Bench.dll reminders "$@"
