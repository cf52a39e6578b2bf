#!/usr/bin/env bash
# Starts MWL Gateway in the foreground with the defaults from config/ and data in ./data.
# Builds gateway-app/target/gateway.jar first when it is missing or older than the sources.
# Flags: --config DIR --data DIR --hl7-port N --dicom-port N --http-port N (see README). Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/gateway-app/target/gateway.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -name target -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..."
  (cd "$root" && mvn -B -q -ntp -DskipTests package)
fi
cd "$root"
exec java ${JAVA_OPTS:-} -jar "$jar" serve "$@"
