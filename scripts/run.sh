#!/usr/bin/env bash
# Starts MWL Gateway in the foreground with the defaults from config/ and data in ./data.
# Builds gateway-app/target/gateway.jar first when it is missing or older than the sources.
# Flags: --config DIR --data DIR --hl7-port N --dicom-port N --http-port N (see README). Ctrl-C stops it.
set -euo pipefail
source "$(dirname "$0")/jar.sh"
cd "$root"
# -XX:+ExitOnOutOfMemoryError: out of heap, the JVM ends at once rather than write on with a failed H2 store
exec java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$jar" serve "$@"
