# Sourced by .ci/run: a Redis for the replica tests. The machine's own when one answers on
# 127.0.0.1:$BOSH_GRAPHQL_CI_REDIS_PORT (6379 unless set), else one of CI's own: Debian's
# redis-server, with no persistence, on a free port, stopped by stop_ci_redis. Either way the
# tests get its URL in BOSH_GRAPHQL_TEST_REDIS_URL. The redis-server binary is installed when
# missing, since the Redis restart test starts servers of its own.

ci_redis_dir=""

redis_answers() {
  node -e '
    const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1");
    const t = setTimeout(() => process.exit(1), 1000);
    s.on("error", () => process.exit(1));
    s.on("connect", () => s.write("PING\r\n"));
    s.on("data", (d) => { clearTimeout(t); s.destroy(); process.exit(/^(\+PONG|-NOAUTH)/.test(String(d)) ? 0 : 1); });
  ' "$1"
}

if ! command -v redis-server >/dev/null 2>&1; then
  for attempt in 1 2 3; do
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; then
      break
    fi
    echo "apt-get failed (attempt $attempt), retrying"; sleep 10
  done
fi

ci_redis_port=${BOSH_GRAPHQL_CI_REDIS_PORT:-6379}
if redis_answers "$ci_redis_port"; then
  echo "Redis: the one answering on 127.0.0.1:$ci_redis_port"
else
  ci_redis_port=$(node -e '
    const s = require("node:net").createServer().listen(0, "127.0.0.1", () => {
      console.log(s.address().port);
      s.close();
    });
  ')
  ci_redis_dir=$(mktemp -d)
  redis-server --port "$ci_redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$ci_redis_dir" --pidfile "$ci_redis_dir/redis.pid" --logfile "$ci_redis_dir/redis.log"
  for _ in $(seq 1 100); do redis_answers "$ci_redis_port" && break; sleep 0.1; done
  if redis_answers "$ci_redis_port"; then
    echo "Redis: none answered, so CI started its own on 127.0.0.1:$ci_redis_port"
  else
    echo "Redis: could not start redis-server on 127.0.0.1:$ci_redis_port (the replica tests will fail)"
  fi
fi
export BOSH_GRAPHQL_TEST_REDIS_URL="redis://127.0.0.1:$ci_redis_port"

stop_ci_redis() {
  if [ -n "$ci_redis_dir" ]; then
    if [ -f "$ci_redis_dir/redis.pid" ]; then kill "$(cat "$ci_redis_dir/redis.pid")" 2>/dev/null; fi
    rm -rf "$ci_redis_dir"
    ci_redis_dir=""
  fi
}
