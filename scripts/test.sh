#!/usr/bin/env bash
# Runs every test of MWL Gateway, the interoperability tests against real peers included, and builds
# gateway-app/target/gateway.jar. Installs what the tests need on a fresh Debian machine:
#   - Java 17 and Maven (apt-get) when missing,
#   - dcmtk (findscu, echoscu, dcmdump, dump2dcm, storescu, dcmqrscp) from apt-get when missing,
#   - Orthanc and its DICOMweb plugin (apt-get orthanc orthanc-dicomweb): the test PACS of the prior lookups,
#   - Chromium (apt-get) for the board's browser test,
#   - systemd (apt-get) for systemd-analyze verify of deploy/mwl-gateway.service,
#   - Node.js peers from npm (interop/package.json: dcmjs-dimse, node-hl7-client, playwright-core).
# Extra arguments go to Maven, e.g. scripts/test.sh -pl gateway-store -am
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $sudo_cmd apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

command -v java >/dev/null || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null || apt_install maven
for tool in findscu echoscu dcmdump dump2dcm storescu dcmqrscp; do
  [ -x "/usr/bin/$tool" ] || { apt_install dcmtk; break; }  # Debian path: pynetdicom has commands with the same names
done
# the priors tests start their own Orthanc (C-FIND and QIDO-RS) on free ports; the package's service is not used
[ -x /usr/sbin/Orthanc ] || apt_install orthanc
[ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || apt_install orthanc-dicomweb
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
# the worklist board is tested in Debian's headless Chromium, driven by playwright-core
command -v chromium >/dev/null || apt_install chromium
# deploy/mwl-gateway.service is checked with systemd-analyze verify (and its user with systemd-sysusers)
command -v systemd-analyze >/dev/null && command -v systemd-sysusers >/dev/null || apt_install systemd

echo "== npm peers (interop/)"
(cd interop && npm ci --no-audit --no-fund --loglevel=error)

echo "== maven: unit, integration and interoperability tests, then the jar"
mvn -B -ntp package "$@"

echo "== demo: one order per clinical situation through the real jar, each vendor's view (scripts/demo.sh)"
scripts/demo.sh

echo "== benchmark smoke run: scripts/bench.sh end to end on 200 orders (its figures are not judged here)"
scripts/bench.sh --sizes 200 --no-peers --queries 100 --association-queries 20
