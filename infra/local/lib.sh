# Shared helpers for infra/local scripts.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data_dir="$here/.data"
run_dir="$here/.run"
mkdir -p "$data_dir" "$run_dir"
# Debian installs rabbitmq-server, rabbitmqctl and friends in /usr/sbin, which a user's PATH (and
# some CI shells) leave out.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" ;; esac
export PATH

log() { printf '[infra] %s\n' "$*"; }

listening() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # description seconds command...
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    if ((SECONDS >= deadline)); then log "$what did not come up within ${secs}s"; return 1; fi
    sleep 0.5
  done
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi
}

apt_install() {
  [ -f "$run_dir/apt-updated" ] || { as_root apt-get update -qq && touch "$run_dir/apt-updated"; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
