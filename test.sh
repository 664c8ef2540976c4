#!/usr/bin/env bash
# Builds and runs every test project against a throwaway PostgreSQL (or ROTATIONS_TEST_DB when set).
# Installs what is missing (PostgreSQL, Chromium, python3-icalendar, python3-aiosmtpd). Ends with one line: "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source tools/postgres.sh

log() { printf 'test.sh: %s\n' "$*" >&2; }

command -v dotnet >/dev/null || { log "the .NET SDK is required (dotnet not found on PATH)"; exit 1; }

apt_install() {
  local sudo=""; [ "$(id -u)" = "0" ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

# Chromium for the browser tests (Debian's build; Playwright's own download does not work here).
if ! command -v chromium >/dev/null; then
  log "installing Chromium with apt-get"
  apt_install chromium || { log "could not install chromium"; exit 1; }
fi
export ROTATIONS_CHROMIUM=${ROTATIONS_CHROMIUM:-$(command -v chromium)}

# Debian's python3-icalendar: the calendar tests read the feeds with a real iCalendar parser.
# Debian's own interpreter, not whatever python3 comes first on PATH (a pyenv one would not see the package).
export ROTATIONS_PYTHON=${ROTATIONS_PYTHON:-/usr/bin/python3}
if ! "$ROTATIONS_PYTHON" -c "import icalendar" 2>/dev/null; then
  log "installing python3-icalendar with apt-get"
  apt_install python3-icalendar || { log "could not install python3-icalendar"; exit 1; }
fi
# Debian's python3-aiosmtpd: the email tests send to a real SMTP server that the tests start.
if ! "$ROTATIONS_PYTHON" -c "import aiosmtpd" 2>/dev/null; then
  log "installing python3-aiosmtpd with apt-get"
  apt_install python3-aiosmtpd || { log "could not install python3-aiosmtpd"; exit 1; }
fi

pg_throwaway_cluster ROTATIONS_TEST_DB test

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"
export ROTATIONS_SCREENSHOTS="$results/screenshots"

log "building"
dotnet build Rotations.sln -c Release -nologo -v quiet -clp:ErrorsOnly

status=0
dotnet test Rotations.sln -c Release --no-build -nologo -v quiet \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

# The summary CI reads, computed from the test results files.
summary=$(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    root = ET.parse(f).getroot()
    for r in root.iterfind(".//t:UnitTestResult", ns):
        outcome = r.get("outcome")
        if outcome == "Passed": passed += 1
        elif outcome == "NotExecuted":
            skipped += 1
            msg = r.find(".//t:Output/t:ErrorInfo/t:Message", ns)
            reason = msg.text.strip() if msg is not None and msg.text else "no reason given"
            print(f"skipped: {r.get('testName')}: {reason}", file=sys.stderr)
        else:
            failed += 1
            print(f"failed: {r.get('testName')}", file=sys.stderr)
            # The reason too (its first lines), so a failure in a CI log that keeps only the tail can be read.
            msg = r.find(".//t:Output/t:ErrorInfo/t:Message", ns)
            for text in (msg.text or "").strip().splitlines()[:25] if msg is not None else []:
                print(f"    {text}", file=sys.stderr)
if not files:
    print("no test results were written", file=sys.stderr)
    failed += 1
line = f"{passed} passed, {failed} failed"
if skipped: line += f", {skipped} skipped"
print(line)
PY
)
if [ "$status" -ne 0 ] && ! grep -q ', [1-9][0-9]* failed' <<<"$summary"; then
  log "dotnet test exited with $status (a test host crashed or a project did not run)"
fi
echo "$summary"
if [ "$status" -ne 0 ] || grep -q ', [1-9][0-9]* failed' <<<"$summary"; then exit 1; fi
