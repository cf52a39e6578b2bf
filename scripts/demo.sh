#!/usr/bin/env bash
# Demo: starts a gateway with the shipped config (temporary data, its own ports), sends one order per clinical
# situation (scripts/demo/*.hl7: order templates, filled by `gateway send --today`), and shows what each vendor's
# station receives from the worklist, as a table.
# Fails (exit 1) when an order is not acknowledged AA or a station cannot query. Ports: DEMO_HL7_PORT,
# DEMO_DICOM_PORT, DEMO_HTTP_PORT (defaults 22575, 21112, 28080).
set -euo pipefail
source "$(dirname "$0")/jar.sh"
cd "$root"
hl7=${DEMO_HL7_PORT:-22575}; dicom=${DEMO_DICOM_PORT:-21112}; http=${DEMO_HTTP_PORT:-28080}
work=$(mktemp -d)
gw() { java -jar "$jar" "$@" --config "$root/config" --data "$work/data"; }

echo "== starting the gateway (data in $work/data)"
# through run.sh, as a user starts it (run.sh execs java, so $! is the gateway)
scripts/run.sh --config "$root/config" --data "$work/data" --hl7-port "$hl7" --dicom-port "$dicom" \
  --http-port "$http" > "$work/gateway.log" 2>&1 &
pid=$!
# the gateway ends on SIGTERM with status 143: that is the clean stop, not a demo failure
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$http") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$dicom") 2>/dev/null; then break; fi
  kill -0 $pid 2>/dev/null || { cat "$work/gateway.log"; echo "the gateway did not start"; exit 1; }
  sleep 0.5
done

echo "== one order per clinical situation"
# the orders are templates: --today schedules them today and dates their history ({{DATE}}, {{LASTYEAR}}...)
gw send --today --port "$hl7" scripts/demo/*.hl7

for station in MR_SIEMENS MR_GE MR_PHILIPS MR_CANON; do
  echo
  echo "== what $station receives (today's MR worklist, every station)"
  gw query --as "$station" --port "$dicom" --station '*'
done
echo
echo "== done: the board was at http://127.0.0.1:$http/ while the demo ran"


