#!/usr/bin/env bash
# Install the official Cucumber tools the report tests and CI use, into .cucumber-tools/:
# @cucumber/messages (its JSON schema validates --cucumber-messages) and
# @cucumber/html-formatter (renders the messages as Cucumber's standard HTML report).
# Node.js and npm come from Debian when they are missing. Cheap when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

MESSAGES_VERSION=34.2.1
HTML_FORMATTER_VERSION=24.2.0
tools=.cucumber-tools

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "cucumber_tools.sh: node and npm are missing, and apt-get cannot install them" >&2
    exit 1
  fi
fi

mkdir -p "$tools"
wanted="messages@$MESSAGES_VERSION html-formatter@$HTML_FORMATTER_VERSION node@$(node --version)"
stamp="$tools/.installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  cat > "$tools/package.json" <<JSON
{
  "name": "storefront-cucumber-tools",
  "private": true,
  "type": "module",
  "dependencies": {
    "@cucumber/html-formatter": "$HTML_FORMATTER_VERSION",
    "@cucumber/messages": "$MESSAGES_VERSION"
  }
}
JSON
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error)
  echo "$wanted" > "$stamp"
fi

# The html-formatter package has no command of its own any more: this one reads
# Cucumber Messages (NDJSON) on stdin and writes the standard HTML report on stdout.
cat > "$tools/cucumber-html-formatter" <<'JS'
#!/usr/bin/env node
import { createInterface } from 'node:readline'
import { CucumberHtmlStream } from '@cucumber/html-formatter'

const html = new CucumberHtmlStream()
html.on('data', (chunk) => process.stdout.write(chunk))
html.on('error', (error) => { console.error(error); process.exit(1) })
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  if (line.trim()) html.write(JSON.parse(line))
}
html.end()
JS
chmod +x "$tools/cucumber-html-formatter"
echo "Cucumber tools in $tools: @cucumber/messages $MESSAGES_VERSION, @cucumber/html-formatter $HTML_FORMATTER_VERSION"
