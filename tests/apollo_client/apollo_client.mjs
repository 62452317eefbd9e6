// Apollo Client (3.x, from npm, pinned by package-lock.json) driving the gateway as an app
// would: the persisted-queries link (sha256 hash first, the full text on
// PERSISTED_QUERY_NOT_FOUND) in front of an HttpLink, an InMemoryCache, and the
// playground's example operations. Run by tests/e2e/test_e2e_apollo_client.py:
//
//   node apollo_client.mjs <scenario> '{"url": ".../graphql", "key": "...", "customerId": "..."}'
//
// scenario: apq | defer | errors. Prints one JSON object on stdout: what the client saw
// (results, emissions, error extensions) and every request its fetch sent.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";

const [scenario, rawConfig] = process.argv.slice(2);
const config = JSON.parse(rawConfig);
const EXAMPLES = new URL("../../gateway/playground/examples/", import.meta.url);
const started = performance.now();
const since = () => Math.round(performance.now() - started);

/** Every request the client sends, as the gateway receives it (fetch is Node's own). */
const requests = [];
async function recordingFetch(input, init = {}) {
  const body = typeof init.body === "string" ? JSON.parse(init.body) : {};
  const request = {
    at: since(),
    method: init.method ?? "GET",
    accept: new Headers(init.headers).get("accept"),
    hasQuery: typeof body.query === "string",
    sha256Hash: body.extensions?.persistedQuery?.sha256Hash ?? null,
    operationName: body.operationName ?? null,
  };
  if (request.hasQuery && request.sha256Hash !== null) {
    request.hashMatchesQuery = sha256(body.query) === request.sha256Hash;
  }
  requests.push(request);
  const response = await fetch(input, init);
  request.status = response.status;
  request.contentType = response.headers.get("content-type");
  if (request.contentType?.startsWith("application/json")) {
    request.codes = codes((await response.clone().json()).errors);
  }
  return response;
}

function sha256(text) {
  return createHash("sha256").update(text).digest("hex");
}

function newClient() {
  const http = new HttpLink({
    uri: config.url,
    headers: { "X-API-Key": config.key },
    fetch: recordingFetch,
  });
  return new ApolloClient({
    link: createPersistedQueryLink({ sha256 }).concat(http),
    cache: new InMemoryCache(),
  });
}

function example(file) {
  return gql(readFileSync(new URL(file, EXAMPLES), "utf8"));
}

function codes(errors) {
  return (errors ?? []).map((e) => e.extensions?.code ?? null);
}

/** The same query twice from one client, the second bypassing its cache: hash only, the
 * full text after PERSISTED_QUERY_NOT_FOUND, then the hash alone is enough. */
async function apq(client) {
  const query = example("1_customer_360.graphql");
  const variables = { customerId: config.customerId };
  const first = await client.query({ query, variables });
  const second = await client.query({ query, variables, fetchPolicy: "network-only" });
  return {
    results: [first, second].map((r) => ({
      customerId: r.data?.customer?.customerId ?? null,
      codes: codes(r.errors),
    })),
  };
}

/** The deferred example watched as a screen would: each emission, in order, with the
 * promotion fields present or not. */
async function defer(client) {
  const query = example("5_customer_360_with_defer.graphql");
  const emissions = [];
  let timedOut = false;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      subscription.unsubscribe();
      resolve();
    }, 30_000);
    const subscription = client
      .watchQuery({ query, variables: { customerId: config.customerId } })
      .subscribe({
        next(result) {
          const customer = result.data?.customer ?? null;
          emissions.push({
            at: since(),
            loading: result.loading,
            networkStatus: result.networkStatus,
            customerId: customer?.customerId ?? null,
            points: customer?.pointsBalance?.points ?? null,
            fields: customer === null ? [] : Object.keys(customer).sort(),
            coupons: customer?.coupons === undefined ? "absent" : customer.coupons?.length ?? null,
            codes: codes(result.errors),
          });
          const complete = customer !== null && customer.coupons !== undefined;
          if (complete && !result.loading) {
            clearTimeout(timer);
            subscription.unsubscribe();
            resolve();
          }
        },
        error(error) {
          clearTimeout(timer);
          reject(error);
        },
      });
  });
  return { emissions, timedOut };
}

/** Error extensions as the client exposes them: a refused argument throws an ApolloError
 * (errorPolicy "none"); a vendor down gives partial data with errorPolicy "all". */
async function errors(client) {
  const badId = { thrown: false };
  try {
    await client.query({
      query: gql`query BadId { customer(id: "not-a-customer-id") { customerId } }`,
    });
  } catch (error) {
    badId.thrown = true;
    badId.name = error.name;
    badId.codes = codes(error.graphQLErrors);
    badId.argument = error.graphQLErrors?.[0]?.extensions?.argument ?? null;
  }
  const partial = await client.query({
    query: gql`query Partial($id: ID!) { customer(id: $id) {
      customerId pointsBalance { points } coupons { value } } }`,
    variables: { id: config.customerId },
    errorPolicy: "all",
  });
  const customer = partial.data?.customer ?? null;
  const error = partial.errors?.[0];
  return {
    badId,
    vendorDown: {
      customerId: customer?.customerId ?? null,
      points: customer?.pointsBalance?.points ?? null,
      coupons: customer?.coupons === undefined ? "absent" : customer.coupons,
      codes: codes(partial.errors),
      vendor: error?.extensions?.vendor ?? null,
      path: error?.path ?? null,
    },
  };
}

const scenarios = { apq, defer, errors };
const client = newClient();
const outcome = await scenarios[scenario](client);
client.stop();
process.stdout.write(`${JSON.stringify({ scenario, ...outcome, requests })}\n`);
