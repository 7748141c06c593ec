#!/usr/bin/env bash
# Make sure a local PostgreSQL (Debian's package) runs with a role and an empty-able database
# for the LRS tests, and print its connection URL on stdout.
#   LRS_TEST_DATABASE_URL="$(bash scripts/postgres.sh)"
# As root it installs postgresql with apt when missing, creates a cluster when there is none and
# starts it; as another user it only uses what is there. Exits 1 (with the reason on stderr) when
# no PostgreSQL can be had.
set -euo pipefail
ROLE=lrs PASSWORD=lrs DATABASE=lrs_test
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -n -u postgres sh -c "$1"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "postgres: PostgreSQL is not installed; run as root or: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "postgres: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi
if [ -z "$(pg_lsclusters -h)" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pg_createcluster "$version" main >&2
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -1)
if [ "$status" != online ]; then
  pg_ctlcluster "$version" "$cluster" start >&2
fi
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"" | grep -q 1; then
  as_postgres "psql -p $port -qc \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'\"" >&2
fi
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = '$DATABASE'\"" | grep -q 1; then
  as_postgres "createdb -p $port -O $ROLE $DATABASE" >&2
fi
echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$port/$DATABASE"
