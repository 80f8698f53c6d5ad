#!/usr/bin/env bash
# Make sure a local PostgreSQL server runs (Debian's packages) with a role for the suite,
# and print the URL to hand to `pytest --database-url`:
#   bash scripts/test.sh steps --database-url "$(bash scripts/postgres.sh)"
# With STOREFRONT_POSTGRES_URL set (a CI service container), it only prints that URL.
set -euo pipefail

if [ -n "${STOREFRONT_POSTGRES_URL:-}" ]; then
  echo "$STOREFRONT_POSTGRES_URL"
  exit 0
fi
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start >&2
fi
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'storefront_test') THEN
    CREATE ROLE storefront_test LOGIN CREATEDB PASSWORD 'storefront_test';
  END IF;
END
$$;
SQL
echo "postgresql+asyncpg://storefront_test:storefront_test@127.0.0.1:$port/postgres"
