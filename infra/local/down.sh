#!/usr/bin/env bash
# Stops what up.sh started (and only that). Data stays in infra/local/.data; remove it to reset.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pid_file="$run_dir/mongo-java-server.pid"
if [ -f "$pid_file" ]; then
  pid=$(cat "$pid_file")
  if kill "$pid" 2>/dev/null; then log "MongoDB: stopped mongo-java-server ($pid)"; fi
  rm -f "$pid_file"
fi
if [ -f "$data_dir/mongod/mongod.lock" ] && command -v mongod >/dev/null; then
  mongod --dbpath "$data_dir/mongod" --shutdown >/dev/null 2>&1 && log "MongoDB: stopped mongod"
fi
if [ -f "$run_dir/rabbitmq.started-here" ]; then
  as_root rabbitmqctl -q stop >/dev/null 2>&1 && log "RabbitMQ: stopped"
  rm -f "$run_dir/rabbitmq.started-here"
fi
