#!/usr/bin/env bash
# Starts what the tests and `pnpm start` need on a machine without Docker, idempotently:
# RabbitMQ on 127.0.0.1:5672 and a MongoDB-wire server on 127.0.0.1:27017.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# RabbitMQ sizes its file-handle pool from the open-files limit; at the usual 1024 a few hundred
# quorum queues (each holds ~3 handles) exhaust it and new connections hang before the handshake.
# Debian's wrapper starts the broker through `su rabbitmq`, whose PAM session applies
# /etc/security/limits.d, so the limit is raised there (up to the machine's hard limit).
raise_rabbitmq_open_files() {
  local want=65536 hard
  hard=$(ulimit -Hn)
  [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ] && want=$hard
  if [ -w /etc/security/limits.d ] || [ "$(id -u)" = 0 ]; then
    printf 'rabbitmq soft nofile %s\nrabbitmq hard nofile %s\n' "$want" "$want" \
      | as_root tee /etc/security/limits.d/convene-rabbitmq.conf >/dev/null
  fi
}

# Debian's broker listens on every interface (AMQP 5672, Erlang distribution 25672, epmd 4369).
# Bind all three to loopback through rabbitmq-env.conf, which the server and the CLI tools both
# read, with a node name on localhost so rabbitmqctl finds it whatever the hostname resolves to.
bind_rabbitmq_to_loopback() {
  local conf=/etc/rabbitmq/rabbitmq-env.conf marker='# convene: loopback only'
  grep -qF "$marker" "$conf" 2>/dev/null && return
  as_root mkdir -p /etc/rabbitmq
  printf '%s\n' "$marker" 'NODENAME=rabbit@localhost' 'NODE_IP_ADDRESS=127.0.0.1' \
    'SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"' \
    'export ERL_EPMD_ADDRESS=127.0.0.1' | as_root tee -a "$conf" >/dev/null
}

start_rabbitmq() {
  if listening 127.0.0.1 5672; then log "RabbitMQ: already listening on 127.0.0.1:5672"; return; fi
  if ! command -v rabbitmq-server >/dev/null; then
    log "RabbitMQ: installing Debian's rabbitmq-server"
    apt_install rabbitmq-server
  fi
  log "RabbitMQ: starting (rabbitmq-server -detached)"
  raise_rabbitmq_open_files
  bind_rabbitmq_to_loopback
  as_root rabbitmq-server -detached
  touch "$run_dir/rabbitmq.started-here"
  wait_for "RabbitMQ" 120 listening 127.0.0.1 5672
  # The port opens before the broker accepts work; wait until it says it is running.
  wait_for "RabbitMQ boot" 120 as_root rabbitmqctl -q await_startup
  log "RabbitMQ: up ($(as_root rabbitmqctl -q version 2>/dev/null || echo unknown version))"
}

mongo_answers() {
  node "$here/mongo-ping.ts" mongodb://127.0.0.1:27017 >/dev/null 2>&1
}

start_mongo() {
  if listening 127.0.0.1 27017; then log "MongoDB: already listening on 127.0.0.1:27017"; return; fi
  if command -v mongod >/dev/null; then
    log "MongoDB: starting the local mongod"
    mkdir -p "$data_dir/mongod"
    mongod --bind_ip 127.0.0.1 --port 27017 --dbpath "$data_dir/mongod" --fork --logpath "$run_dir/mongod.log" >/dev/null
  else
    command -v java >/dev/null || { log "MongoDB: installing Java 17"; apt_install openjdk-17-jre-headless; }
    command -v mvn >/dev/null || { log "MongoDB: installing Maven"; apt_install maven; }
    local cp_file="$run_dir/mongo-java-server.classpath"
    if [ ! -s "$cp_file" ]; then
      log "MongoDB: resolving mongo-java-server (H2 backend) from Maven Central"
      mvn -q -f "$here/mongo-java-server/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file" >"$run_dir/mvn.log" 2>&1 \
        || { cat "$run_dir/mvn.log"; exit 1; }
    fi
    log "MongoDB: starting mongo-java-server (H2MongoServer, data in infra/local/.data/mongo.mv)"
    nohup java -Xmx1g -cp "$(cat "$cp_file")" de.bwaldvogel.mongo.H2MongoServer "$data_dir/mongo.mv" \
      >"$run_dir/mongo-java-server.log" 2>&1 &
    echo $! >"$run_dir/mongo-java-server.pid"
  fi
  wait_for "MongoDB" 90 mongo_answers || { tail -n 20 "$run_dir"/mongo*.log 2>/dev/null; exit 1; }
  log "MongoDB: up"
}

start_rabbitmq
start_mongo
log "ready: MONGO_URL=mongodb://127.0.0.1:27017 AMQP_URL=amqp://guest:guest@127.0.0.1:5672"
