#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a free loopback port, runs the given command with DATABASE_URL
# pointing at it, then stops the cluster and deletes it. initdb refuses to run as root, so as root the
# cluster belongs to the `postgres` system user.
set -euo pipefail
cd "$(dirname "$0")/.."
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL server not installed (make test installs it)" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
dir=$(mktemp -d /tmp/gongkai-pg.XXXXXX)
run_as=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; run_as=(runuser -u postgres --); fi
cleanup() {
  "${run_as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${run_as[@]}" "$pgbin/initdb" -D "$dir/data" -U gongkai --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "临时 PostgreSQL 已启动 / throwaway PostgreSQL on 127.0.0.1:$port"
export DATABASE_URL="postgres://gongkai@127.0.0.1:$port/postgres"
"$@"
