#!/usr/bin/env bash
# Installs Debian's PostgreSQL when the machine lacks it, lets local TCP connections on
# 127.0.0.1 in without a password (a development and CI database, never a production one),
# and starts the cluster. Safe to run again: each step checks before it acts.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "== installing PostgreSQL (Debian's postgresql package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version="$(ls /etc/postgresql | sort -V | tail -n1)"
hba="/etc/postgresql/$version/main/pg_hba.conf"
trust_line="host all all 127.0.0.1/32 trust"
if ! grep -qxF "$trust_line" "$hba"; then
  # pg_hba.conf is read top to bottom: the trust line must come before the packaged ones.
  sed -i "1i $trust_line" "$hba"
  if pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432
psql -h 127.0.0.1 -U postgres -Atc "select 'PostgreSQL ' || current_setting('server_version')"
