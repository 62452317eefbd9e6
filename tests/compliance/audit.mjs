// The GraphQL-over-HTTP audit (graphql-http's serverAudits) against a running server.
// Usage: node audit.mjs URL [HEADERS_JSON]   (headers are added to every request, e.g.
// '{"X-API-Key": "..."}'). Prints one JSON object: counts by status and every result.
import { serverAudits } from 'graphql-http';

const [url, headersJson = '{}'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs URL [HEADERS_JSON]');
  process.exit(2);
}
const extraHeaders = JSON.parse(headersJson);

function fetchFn(input, init = {}) {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return fetch(input, { ...init, headers });
}

const results = [];
for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.httpStatus = result.response.status;
    entry.body = await result.response.text().catch(() => '');
  }
  results.push(entry);
}
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const { status } of results) counts[status] += 1;
console.log(JSON.stringify({ counts, results }));
