#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, broker+controller in one JVM) from Maven Central jars alone.
#   npm run kafka -- fetch   download the jars into .cache/kafka/libs-VERSION (CI calls this up front)
#   npm run kafka -- up      start (or find) the broker and print `bootstrap HOST:PORT`
#   npm run kafka -- down    stop it by its pid
#   npm run kafka -- status  print the bootstrap if one runs (exit 1 if not)
# KAFKA_VERSION (default 3.9.1) picks the broker; 4.x logs through Log4j2 and gets its own dependency
# list (kafka/pom-log4j2.xml). Each version has its own jar folder and default state dir.
# KAFKA_STATE_DIR (default .cache/kafka/VERSION) holds the state file, the data dir and the broker log; a
# second `up` on the same state dir after `down` keeps the data and the port (tests restart the broker so).
# KAFKA_START_TIMEOUT (seconds, default 90) bounds the wait for the broker to answer.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${KAFKA_VERSION:-3.9.1}"
LIBS="$ROOT/.cache/kafka/libs-$VERSION"
if [ "${VERSION%%.*}" -ge 4 ]; then
  POM="$ROOT/kafka/pom-log4j2.xml"
  LOG_OPT="-Dlog4j2.configurationFile=$ROOT/kafka/log4j2.properties"
else
  POM="$ROOT/kafka/pom.xml"
  LOG_OPT="-Dlog4j.configuration=file:$ROOT/kafka/log4j.properties"
fi
STATE_DIR="${KAFKA_STATE_DIR:-$ROOT/.cache/kafka/$VERSION}"
STATE="$STATE_DIR/state"
LOG_DIR="$STATE_DIR/logs"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

die() { echo "kafka.sh: $*" >&2; exit 1; }

fetch() {
  if [ -f "$LIBS/kafka_2.13-$VERSION.jar" ] && [ -f "$LIBS/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  command -v java >/dev/null || die "java not found (apt-get install openjdk-17-jre-headless)"
  mkdir -p "$LIBS"
  mvn -q -f "$POM" -Dkafka.version="$VERSION" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS" \
    || die "could not download the Kafka $VERSION jars from Maven Central"
  touch "$LIBS/.complete"
}

# state file: lines key=value (pid, port, cport, dir)
state_get() { [ -f "$STATE" ] && sed -n "s/^$1=//p" "$STATE" | head -1 || true; }

alive() { local pid; pid="$(state_get pid)"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# The broker answers when a metadata request through kafkajs (the client we use) succeeds.
answers() {
  (cd "$ROOT" && KAFKAJS_NO_PARTITIONER_WARNING=1 node -e "
    const { Kafka, logLevel } = require('kafkajs');
    const a = new Kafka({ brokers: ['127.0.0.1:$1'], logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } }).admin();
    a.connect().then(() => a.listTopics()).then(() => a.disconnect()).then(() => process.exit(0), () => process.exit(1));
  " >/dev/null 2>&1)
}

up() {
  if alive; then echo "bootstrap 127.0.0.1:$(state_get port)"; return 0; fi
  fetch
  mkdir -p "$STATE_DIR" "$LOG_DIR"
  local port cport data
  # A restart keeps the port and data dir, so clients reconnect to the same address.
  port="$(state_get port)"; cport="$(state_get cport)"; data="$(state_get dir)"
  [ -n "$port" ] || port="$(free_port)"
  [ -n "$cport" ] || cport="$(free_port)"
  [ -n "$data" ] || data="$STATE_DIR/data"
  sed -e "s|@PORT@|$port|g" -e "s|@CPORT@|$cport|g" -e "s|@DATA@|$data|g" \
    "$ROOT/kafka/server.properties.template" >"$STATE_DIR/server.properties"
  local cp="$LIBS/*"
  if [ ! -f "$data/meta.properties" ]; then
    local cluster
    cluster="$(java -cp "$cp" "$LOG_OPT" -Dkafka.logs.dir="$LOG_DIR" kafka.tools.StorageTool random-uuid)"
    java -cp "$cp" "$LOG_OPT" -Dkafka.logs.dir="$LOG_DIR" \
      kafka.tools.StorageTool format -t "$cluster" -c "$STATE_DIR/server.properties" --ignore-formatted >"$LOG_DIR/format.log" 2>&1 \
      || { tail -20 "$LOG_DIR/format.log" >&2; die "storage format failed"; }
  fi
  # setsid: the broker outlives this script and is not hit by signals meant for npm's process group.
  setsid java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    "$LOG_OPT" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$cp" kafka.Kafka "$STATE_DIR/server.properties" >"$LOG_DIR/stdout.log" 2>&1 </dev/null &
  local pid=$!
  printf 'pid=%s\nport=%s\ncport=%s\ndir=%s\n' "$pid" "$port" "$cport" "$data" >"$STATE"
  local start=$SECONDS
  until answers "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -30 "$LOG_DIR/broker.log" "$LOG_DIR/stdout.log" >&2 2>/dev/null || true
      die "broker exited during start-up (logs in $LOG_DIR)"
    fi
    if (( SECONDS - start > TIMEOUT )); then
      tail -30 "$LOG_DIR/broker.log" >&2 2>/dev/null || true
      kill "$pid" 2>/dev/null || true
      die "broker did not answer on 127.0.0.1:$port within ${TIMEOUT}s (logs in $LOG_DIR)"
    fi
    sleep 0.5
  done
  echo "bootstrap 127.0.0.1:$port"
}

down() {
  local pid; pid="$(state_get pid)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    echo "stopped broker (pid $pid)"
  else
    echo "no broker running"
  fi
  # Keep port, cport and dir for the next `up`; drop only the pid.
  [ -f "$STATE" ] && sed -i '/^pid=/d' "$STATE" || true
}

status() { if alive; then echo "bootstrap 127.0.0.1:$(state_get port) (pid $(state_get pid))"; else echo "no broker running"; return 1; fi; }

case "${1:-}" in
  fetch) fetch ;;
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: npm run kafka -- fetch|up|down|status" >&2; exit 2 ;;
esac
