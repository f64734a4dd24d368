#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on 127.0.0.1 for the cluster tests (README "Running on a cluster").
#   scripts/galera.sh start DIR   data dirs, sockets and logs under DIR; prints CRM_TEST_GALERA_URLS=… when Synced
#   scripts/galera.sh stop DIR    stops the three nodes by pid
# SQL ports 4306–4308, group communication 4567/4577/4587, IST 4568/4578/4588, SST 4444/4454/4464 (rsync).
# It leaves the standalone server on 3306 alone. Needs mariadb-server, galera-4 and rsync (Debian packages).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
provider=$(ls /usr/lib/galera/libgalera_smm.so /usr/lib/libgalera_smm.so 2>/dev/null | head -1 || true)
cluster="gcomm://127.0.0.1:4567,127.0.0.1:4577,127.0.0.1:4587"

node_conf() { # n sql gcomm ist sst
  local n=$1
  cat <<EOF
[mariadbd]
datadir=$dir/node$n/data
socket=$dir/node$n/mysqld.sock
pid-file=$dir/node$n/mysqld.pid
log-error=$dir/node$n/error.log
port=$2
bind-address=127.0.0.1
user=mysql
skip-name-resolve
local_infile=ON
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=128M
innodb_flush_log_at_trx_commit=2
max_connections=200
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=crm_test
wsrep_cluster_address=$cluster
wsrep_node_address=127.0.0.1:$3
wsrep_node_name=node$n
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$5
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$3;ist.recv_addr=127.0.0.1:$4;gcache.size=64M"
EOF
}

mysql_at() { mysql --protocol=tcp -h 127.0.0.1 -P "$1" -u root -N -B -e "$2" 2>/dev/null; }

wait_synced() { # port
  for _ in $(seq 1 120); do
    [ "$(mysql_at "$1" "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2)" = "Synced" ] && return 0
    sleep 1
  done
  echo "node on port $1 did not reach Synced; see $dir/node*/error.log" >&2
  return 1
}

case "$cmd" in
start)
  [ -n "$provider" ] || { echo "galera-4 is not installed (apt-get install galera-4 rsync)" >&2; exit 1; }
  mkdir -p "$dir"
  chmod o+x "$dir" # the server runs as mysql and must reach its node directories
  set -- "1 4306 4567 4568 4444" "2 4307 4577 4578 4454" "3 4308 4587 4588 4464"
  for spec in "$@"; do
    read -r n sql gcomm ist sst <<<"$spec"
    mkdir -p "$dir/node$n/data"
    node_conf "$n" "$sql" "$gcomm" "$ist" "$sst" >"$dir/node$n/my.cnf"
    chown -R mysql:mysql "$dir/node$n"
    if [ ! -d "$dir/node$n/data/mysql" ] && [ "$n" = 1 ]; then
      mariadb-install-db --defaults-file="$dir/node$n/my.cnf" --auth-root-authentication-method=normal \
        >"$dir/node$n/install.log" 2>&1
    fi
  done
  # Node 1 starts a new cluster; the others join it and take its state by SST.
  mariadbd --defaults-file="$dir/node1/my.cnf" --wsrep-new-cluster >/dev/null 2>&1 &
  wait_synced 4306
  mysql_at 4306 "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION" || true
  for n in 2 3; do
    mariadbd --defaults-file="$dir/node$n/my.cnf" >/dev/null 2>&1 &
    wait_synced $((4305 + n))
  done
  echo "CRM_TEST_GALERA_URLS=mysql://root@127.0.0.1:4306/crm_test,mysql://root@127.0.0.1:4307/crm_test,mysql://root@127.0.0.1:4308/crm_test"
  ;;
stop)
  for n in 1 2 3; do
    pid_file="$dir/node$n/mysqld.pid"
    [ -f "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null || true
  done
  for n in 1 2 3; do
    for _ in $(seq 1 60); do [ -f "$dir/node$n/mysqld.pid" ] || break; sleep 0.5; done
  done
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
