#!/usr/bin/env bash
# Shared helpers for the benchmarks: tools, a real PostgreSQL, tokens, the packaged application.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
WORK=${BENCH_WORK:-$ROOT/target/bench}
mkdir -p "$WORK"
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
ISSUER=https://issuer.bench.berth
SCOPES="environments:read environments:write environments:delete registries:read registries:write registries:delete container-images:read container-images:write container-images:delete applications:read applications:write applications:delete"

log() { printf '%s\n' "$*" >&2; }

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v skopeo >/dev/null || missing+=(skopeo)
  [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A real PostgreSQL server (Debian's) in $WORK/pg on a free port; sets PG_PORT and JDBC_URL.
start_postgres() {
  PG_PORT=$(free_port)
  local data="$WORK/pg-$PG_PORT"
  rm -rf "$data"; mkdir -p "$data"; chown postgres "$data"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -o "-p $PG_PORT -k /tmp -c max_connections=200 -c shared_preload_libraries=pg_stat_statements" -l "$data/log" -w start >/dev/null
  PG_DATA=$data
  JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
}

stop_postgres() {
  [ -n "${PG_DATA:-}" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

psql_bench() { "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

# RS256 key pair for the application to trust, and tokens signed with it.
make_keys() {
  [ -f "$WORK/jwt-private.pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# mint_token <company-uuid> [subject] [role]
mint_token() {
  local now exp header payload
  now=$(date +%s); exp=$((now + 7200))
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","sub":"%s","company_id":"%s","groups":["%s"],"scope":"%s","iat":%d,"exp":%d}' \
    "$ISSUER" "${2:-bench}" "$1" "${3:-admin}" "$SCOPES" "$now" "$exp" | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$WORK/jwt-private.pem" -binary | b64url)"
}

ensure_jar() {
  if [ ! -f "$ROOT/target/quarkus-app/quarkus-run.jar" ]; then
    log "building the packaged application (./mvnw package -DskipTests)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
  fi
}

# The JVM options of the container image: the BERTH_JVM_OPTS line of src/main/docker/Dockerfile.jvm,
# read from there so the benchmarks run the jar with the production defaults. A container sizes the
# heap from its memory limit (-XX:MaxRAMPercentage); on a bench machine without one, -XX:MaxRAM
# stands in for the limit of the k8s jvm overlay (BENCH_MEMORY_LIMIT, default 512m).
prod_jvm_opts() {
  local opts
  opts=$(sed -n 's/^ENV BERTH_JVM_OPTS="\(.*\)"$/\1/p' "$ROOT/src/main/docker/Dockerfile.jvm")
  [ -n "$opts" ] || { log "no BERTH_JVM_OPTS line in src/main/docker/Dockerfile.jvm"; return 1; }
  printf '%s\n' "-XX:MaxRAM=${BENCH_MEMORY_LIMIT:-512m} $opts"
}
# The image's MALLOC_ARENA_MAX (glibc), for `env` before the java command.
prod_malloc_env() { sed -n 's/^ENV \(MALLOC_ARENA_MAX=[0-9]*\)$/\1/p' "$ROOT/src/main/docker/Dockerfile.jvm"; }

# The environment the packaged application runs with against $JDBC_URL.
app_env() {
  export QUARKUS_DATASOURCE_JDBC_URL="$JDBC_URL" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres
  export MP_JWT_VERIFY_PUBLICKEY="$(cat "$WORK/jwt-public.pem")" MP_JWT_VERIFY_ISSUER="$ISSUER"
  export BERTH_CRYPTO_KEYS="bench:$(printf 'bench-key-bench-key-bench-key-32' | base64)" BERTH_CRYPTO_ACTIVE_KEY=bench
  export QUARKUS_HTTP_ACCESS_LOG_ENABLED=false QUARKUS_LOG_LEVEL=WARN
}

# wait_for <url> <token> <timeout-seconds>: polls every 5 ms until 200.
wait_for() {
  local deadline=$(( $(date +%s) + ${3:-60} ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1")" = 200 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.005
  done
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

machine_line() {
  printf 'cores: %s, memory: %s, JDK: %s, Quarkus: %s' "$(nproc)" "$(free -h | awk '/Mem:/{print $2}')" \
    "$(java -version 2>&1 | head -1 | sed 's/"//g')" \
    "$(grep -m1 '<quarkus.version>' "$ROOT/pom.xml" | sed 's/.*>\(.*\)<.*/\1/')"
}
