#!/usr/bin/env bash
# Run the specification against a deployment, as a staging gate does (pytest --base-url),
# here against a store this script starts by hand: uvicorn on a database file, in
# production mode, sending its mail to the suite's SMTP sink and charging the suite's
# payment provider. Extra arguments go to pytest.
#   bash scripts/deployment_check.sh [pytest arguments]
# A team's own staging gate sets the same APP_* variables as its deployment and runs
#   pytest steps --base-url https://staging.example.com --mail-sink-port 8025 --provider-port 9100
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
folder=$(mktemp -d)
server_port=$(free_port); mail_port=$(free_port); provider_port=$(free_port)

# The deployment's settings: the server reads them, and so does the suite (--base-url).
export APP_ENV=production
export APP_SECRET_KEY="deployment-check-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export APP_ADMIN_EMAIL=staging-admin@example.com APP_ADMIN_USERNAME=stagingadmin
export APP_ADMIN_PASSWORD="staging-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export APP_DATABASE_URL="sqlite+aiosqlite:///$folder/store.db"
export APP_EMAIL_BACKEND=smtp APP_SMTP_HOST=127.0.0.1 APP_SMTP_PORT=$mail_port APP_EMAIL_RETRY_SECONDS=1
export APP_PAYMENT_BACKEND=http APP_PAYMENT_URL=http://127.0.0.1:$provider_port APP_PAYMENT_TIMEOUT_SECONDS=3

.venv/bin/python -m uvicorn app.main:app --host 127.0.0.1 --port "$server_port" --no-access-log \
  --no-server-header --http app.core.http_server:StoreH11Protocol \
  --h11-max-incomplete-event-size 16384 \
  > "$folder/server.log" 2>&1 &
server=$!
stop() {
  local status=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$folder"
  exit "$status"
}
trap stop EXIT
for _ in $(seq 100); do
  .venv/bin/python -c "import httpx; httpx.get('http://127.0.0.1:$server_port/health').raise_for_status()" \
    >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$folder/server.log"; exit 1; }
  sleep 0.2
done

.venv/bin/python -m pytest steps --base-url "http://127.0.0.1:$server_port" \
  --mail-sink-port "$mail_port" --provider-port "$provider_port" "$@"
