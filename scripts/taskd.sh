#!/usr/bin/env bash
# A throwaway Taskwarrior sync server (taskd 1.1, Debian's package) on loopback, for tests and
# for trying `planager sync --remote` by hand. Everything lives in one folder: the server's
# data, its certificates, and one client certificate per device. Nothing outside it is touched;
# the server listens on 127.0.0.1 only.
#
#   scripts/taskd.sh start DIR           create the server in DIR (when missing), start it; prints
#                                        PLANAGER_TEST_TASKD=DIR (eval-able) on stdout
#   scripts/taskd.sh user DIR NAME       add user NAME to org Planager; prints its key
#   scripts/taskd.sh device DIR USER KEY DEV  write DIR/devices/DEV.taskrc: the taskd.* lines a device of
#                                        USER needs (include it from the device's taskrc)
#   scripts/taskd.sh stop DIR            stop the server started in DIR
#
# The certificates follow /usr/share/taskd/pki (generate.ca, generate.server, generate.client),
# with 2048-bit RSA keys (4096 takes seconds; taskd 1.1 finds no cipher suite for EC keys) and the hostname check off on the
# client (taskd.trust=ignore hostname), as the certificates name no real host.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
  echo "usage: $0 start|user|device|stop DIR [...]" >&2
  exit 2
}
command -v taskd >/dev/null 2>&1 || { echo "taskd is not installed (apt-get install taskd)" >&2; exit 3; }
CERTTOOL=$(command -v gnutls-certtool || command -v certtool || true)
[ -n "$CERTTOOL" ] || { echo "certtool is not installed (apt-get install gnutls-bin)" >&2; exit 3; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"
pki="$dir/pki"
ORG=Planager

cert() { # cert NAME ROLE: a key and a certificate signed by the CA
  "$CERTTOOL" --generate-privkey --key-type=rsa --bits=2048 --outfile "$pki/$1.key.pem" 2>/dev/null
  printf 'organization = Planager test\ncn = localhost\n%s\nencryption_key\nsigning_key\nexpiration_days = 3650\n' "$2" >"$pki/$1.info"
  "$CERTTOOL" --generate-certificate --load-privkey "$pki/$1.key.pem" --load-ca-certificate "$pki/ca.cert.pem" \
    --load-ca-privkey "$pki/ca.key.pem" --template "$pki/$1.info" --outfile "$pki/$1.cert.pem" 2>/dev/null
  rm "$pki/$1.info"
}

free_port() { # a port nothing listens on now (the kernel picks it)
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

create() {
  mkdir -p "$data" "$pki" "$dir/devices"
  taskd init --data "$data" >/dev/null
  "$CERTTOOL" --generate-privkey --key-type=rsa --bits=2048 --outfile "$pki/ca.key.pem" 2>/dev/null
  printf 'organization = Planager test\ncn = Planager test CA\nca\ncert_signing_key\nexpiration_days = 3650\n' >"$pki/ca.info"
  "$CERTTOOL" --generate-self-signed --load-privkey "$pki/ca.key.pem" --template "$pki/ca.info" --outfile "$pki/ca.cert.pem" 2>/dev/null
  rm "$pki/ca.info"
  cert server tls_www_server
  "$CERTTOOL" --generate-crl --load-ca-privkey "$pki/ca.key.pem" --load-ca-certificate "$pki/ca.cert.pem" \
    --template <(printf 'expiration_days = 3650\n') --outfile "$pki/server.crl.pem" 2>/dev/null
  local port
  port=$(free_port)
  for kv in "server=127.0.0.1:$port" "log=$dir/taskd.log" "pid.file=$dir/taskd.pid" "ca.cert=$pki/ca.cert.pem" \
    "server.cert=$pki/server.cert.pem" "server.key=$pki/server.key.pem" "server.crl=$pki/server.crl.pem" \
    "request.limit=10485760" "ciphers=NORMAL" "ip.log=0"; do
    taskd config --force --data "$data" "${kv%%=*}" "${kv#*=}" >/dev/null
  done
  taskd add --data "$data" org "$ORG" >/dev/null
  echo "$port" >"$dir/port"
}

running() { [ -f "$dir/server.pid" ] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; }

case "$cmd" in
  start)
    [ -f "$dir/port" ] || create
    if ! running; then
      # In the background, its output in DIR/server.out; the pid kept to stop exactly it.
      nohup taskd server --data "$data" >"$dir/server.out" 2>&1 </dev/null &
      echo $! >"$dir/server.pid"
      port=$(cat "$dir/port")
      # Ready when it accepts a connection (at most 10 s).
      for _ in $(seq 100); do
        if node -e 'const c=require("net").connect(+process.argv[1],"127.0.0.1");c.on("connect",()=>{c.end();process.exit(0)});c.on("error",()=>process.exit(1))' "$port"; then
          break
        fi
        running || { cat "$dir/server.out" >&2; exit 1; }
        sleep 0.1
      done
    fi
    echo "PLANAGER_TEST_TASKD=$dir"
    ;;
  user)
    name=${3:?user name}
    # "New user key: UUID"
    taskd add --data "$data" user "$ORG" "$name" | sed -n 's/^New user key: //p'
    ;;
  device)
    user=${3:?user name}
    key=${4:?user key}
    dev=${5:?device name}
    [ -f "$pki/$dev.cert.pem" ] || cert "$dev" tls_www_client
    cat >"$dir/devices/$dev.taskrc" <<EOF
taskd.server=127.0.0.1:$(cat "$dir/port")
taskd.credentials=$ORG/$user/$key
taskd.certificate=$pki/$dev.cert.pem
taskd.key=$pki/$dev.key.pem
taskd.ca=$pki/ca.cert.pem
taskd.trust=ignore hostname
EOF
    echo "$dir/devices/$dev.taskrc"
    ;;
  stop)
    if running; then
      kill "$(cat "$dir/server.pid")"
      for _ in $(seq 50); do running || break; sleep 0.1; done
    fi
    rm -f "$dir/server.pid"
    ;;
  *)
    echo "usage: $0 start|user|device|stop DIR [...]" >&2
    exit 2
    ;;
esac
