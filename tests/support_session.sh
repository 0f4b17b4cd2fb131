#!/usr/bin/env bash
# A support person's day with `stays`, replayed: each command, its exit status and what it must say.
#
#   bash tests/support_session.sh [STAYS]      (default: .venv/bin/stays)
#
# Uses the shipped catalog, and the real Albany listings from ../shared when they are there.
# Prints one line per check and "N passed, N failed" at the end; exits 1 if any check failed.
set -u
cd "$(dirname "$0")/.."
STAYS=${1:-.venv/bin/stays}
export STAYS_TODAY=2026-12-02
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0

run() {  # run EXPECTED_STATUS PATTERN -- command...: the status, and PATTERN somewhere in stdout+stderr
  local want=$1 pattern=$2; shift 3
  local out status
  out=$("$@" 2>&1); status=$?
  if [ "$status" = "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
    passed=$((passed + 1)); echo "ok    $*"
  else
    failed=$((failed + 1)); echo "FAIL  $*  (status $status, wanted $want and /$pattern/)"; sed 's/^/      /' <<<"$out" | head -8
  fi
}

run 0 "usage: stays"                         -- "$STAYS"
run 0 "examples:"                            -- "$STAYS" search --help
run 0 "Lisbon +[0-9]+ places +prices in EUR" -- "$STAYS" list places
run 0 "pool"                                 -- "$STAYS" list amenities
run 0 "^[0-9]+ places match\."               -- "$STAYS" search --location Lisbon --guests 4 --max-price 150
run 0 "Ways to get results:"                 -- "$STAYS" search --location Lisbon --guests 8 --max-price 60 --amenity pool
run 0 "read as 'Lisbon'"                     -- "$STAYS" search --location lisbn --guests 2
run 2 "Unknown location 'Atlantis1234'"     -- "$STAYS" search --location Atlantis1234
run 0 "'sauana' read as 'Sauna'"            -- "$STAYS" search --location Lisbon --amenity sauana
run 0 "within the first 10 shown"            -- "$STAYS" why-not "$("$STAYS" search --location Lisbon --guests 2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][-1]["id"])')" --location Lisbon --guests 2
run 2 "in the past"                          -- "$STAYS" search --location Lisbon --check-in 2026-11-10 --check-out 2026-11-14
run 2 "is above --max-price"                 -- "$STAYS" search --location Lisbon --min-price 200 --max-price 100
run 2 "disagrees with the dates"             -- "$STAYS" search --location Lisbon --nights 7 --check-in 2027-03-04 --check-out 2027-03-08
run 2 "needs the length of the stay"         -- "$STAYS" search --location Lisbon --max-price 300 --budget-scope stay
run 2 "amenities:pool"                       -- "$STAYS" search --location Lisbon --must pool
run 2 "true or false"                        -- "$STAYS" search --location Lisbon --context pets=maybe
run 0 "sleeps"                               -- "$STAYS" show p000001
run 1 "No property with id"                  -- "$STAYS" show p999999
run 0 "^ok$"                                 -- "$STAYS" check
run 0 "Places left|Most restrictive"         -- "$STAYS" analyze --location Lisbon

ALBANY=../shared/data/listings/albany.csv.gz
if [ -f "$ALBANY" ]; then
  run 0 "prices in USD"                      -- "$STAYS" import-airbnb "$ALBANY" --location Albany -o "$WORK/albany.csv"
  run 2 "exists: add --append"               -- "$STAYS" import-airbnb "$ALBANY" --location Albany -o "$WORK/albany.csv"
  run 0 "Third Ward|Sixth Ward"              -- "$STAYS" search --catalog "$WORK/albany.csv" --location Albany --limit 20
  run 0 "\\\$[0-9]+ under your \\\$91 budget" -- "$STAYS" search --catalog "$WORK/albany.csv" --location Albany --max-price 91
  run 0 "no reviews yet|[0-9]\.[0-9]{2} \("  -- "$STAYS" search --catalog "$WORK/albany.csv" --location Albany --limit 50
  run 0 "km from Lisbon: check --location"   -- "$STAYS" import-airbnb "$ALBANY" --location Lisbon -o "$WORK/wrong.csv"
  run 1 "filed under Lisbon"                 -- "$STAYS" check --catalog "$WORK/wrong.csv"
  run 0 "is about \\\$"                      -- "$STAYS" search --catalog "$WORK/albany.csv" --location Albany --max-price 80 --currency GBP
else
  echo "skip  the Albany part: $ALBANY not found"
fi

echo "support session: $passed passed, $failed failed"
[ "$failed" = 0 ]
