#!/usr/bin/env bash
# Installs and starts what the tests and the bench need on a fresh machine; fast when all is there.
# Every step fails loudly: a missing component must fail CI, never skip a test.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'provision: %s\n' "$*" >&2; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v prometheus >/dev/null 2>&1 || need_apt+=(prometheus)
if [ "${DOUBLETAP_BENCH:-}" = 1 ]; then
  command -v nginx >/dev/null 2>&1 || need_apt+=(nginx-light)
  command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
  # The bench's counting and sampling tools (bench/instructions.ts, bench/perf-origins.ts).
  command -v valgrind >/dev/null 2>&1 || need_apt+=(valgrind)
  command -v perf >/dev/null 2>&1 || need_apt+=(linux-perf)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# PostgreSQL and MariaDB run when a session starts; start them again if they stopped.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
fi
if ! mariadb-admin -uroot --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1; then
  say "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do mariadb-admin -uroot --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
# Redis (the shop's optional idempotency store; link tests cut it): no persistence, loopback only.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || { say "PostgreSQL is not answering on 127.0.0.1:5432"; exit 1; }
mariadb-admin -uroot --protocol=tcp -h127.0.0.1 ping >/dev/null || { say "MariaDB is not answering on 127.0.0.1:3306"; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { say "Redis is not answering on 127.0.0.1:6379"; exit 1; }

# The Kafka broker's jars from Maven Central, cached under .cache/kafka.
bash scripts/kafka.sh fetch

# podman + the local base images the Dockerfile test builds on; fails if no container can start.
bash scripts/provision-containers.sh
say "ready"
