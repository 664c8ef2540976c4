#!/usr/bin/env bash
# The auto-planner benchmark: a Release build of the engine alone (no database), planned for generated cohorts of
# 50 to 5,000 leaders. Prints figures, not pass/fail on speed; exits 1 only when a proposal breaks a rule.
# Arguments go to the benchmark: --leaders 50,100,500  --seed 1  --markdown (update docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf 'bench: %s\n' "$*" >&2; }
command -v dotnet >/dev/null || { log "the .NET SDK is required (dotnet not found on PATH)"; exit 1; }
log "building (Release)"
dotnet build bench/Rotations.PlannerBench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/Rotations.PlannerBench/bin/Release/net10.0/Rotations.PlannerBench.dll "$@"
