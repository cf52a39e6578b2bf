# Sourced by run.sh and demo.sh: builds gateway-app/target/gateway.jar when it is missing or older than the
# sources, and sets $jar.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/gateway-app/target/gateway.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -name target -prune -o -name node_modules -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -B -q -ntp -DskipTests package)
fi
