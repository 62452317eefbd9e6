// An app's code over the generated types (generated/, from codegen.yml): what a
// customer-360 screen reads from the example operations 1_customer_360.graphql and
// 5_customer_360_with_defer.graphql. Only type-checked (tsc --noEmit, tsconfig.json), never
// run: a schema change that removes, renames or retypes a field read here fails the check.
import type {
  ApolloClient,
  DocumentNode,
  NormalizedCacheObject,
} from "@apollo/client/core/index.js";

import type {
  Customer360DeferredQuery,
  Customer360DeferredQueryVariables,
  Customer360Query,
  Customer360QueryVariables,
} from "./generated/operations.js";
import type { CouponState, Customer } from "./generated/schema.js";

export interface Customer360Screen {
  customerId: string;
  title: string;
  points: number | null;
  pointsChangedAt: Date | null;
  segmentNames: string[];
  lastTransactions: { amount: number; description: string; createdAt: Date }[];
  activeCoupons: string[];
  couponStates: (CouponState | null)[];
  programs: { title: string; balance: number; tier: string | null }[];
  channels: { type: string; address: string }[];
  activity: { source: string; summary: string; occurredAt: Date }[];
  nextActivityPage: string | null;
}

export function customer360Screen(data: Customer360Query): Customer360Screen | null {
  const c = data.customer;
  if (c === null) return null;
  const id: Customer["customerId"] = c.customerId;
  return {
    customerId: id,
    title: c.displayName ?? c.email ?? id,
    points: c.pointsBalance?.points ?? null,
    pointsChangedAt: c.pointsBalance?.changedAt ? new Date(c.pointsBalance.changedAt) : null,
    segmentNames: c.segments.flatMap((s) => (s === null ? [] : [s.name ?? s.id])),
    lastTransactions: (c.transactions?.edges ?? []).map(({ node }) => ({
      amount: node.amount,
      description: node.description ?? "",
      createdAt: new Date(node.createdAt),
    })),
    activeCoupons: (c.coupons ?? []).filter((k) => k.state === "ACTIVE").map((k) => k.value),
    couponStates: (c.coupons ?? []).map((k) => k.state),
    programs: (c.promotionLoyalty?.programs ?? []).map((p) => ({
      title: p.title,
      balance: p.currentBalance,
      tier: p.tier?.name ?? null,
    })),
    channels: (c.supportProfile?.channels ?? []).map((ch) => ({
      type: ch.type,
      address: ch.address,
    })),
    activity: c.activity.edges.map(({ node }) => ({
      source: node.source,
      summary: `${node.__typename}: ${node.summary}`,
      occurredAt: new Date(node.occurredAt),
    })),
    nextActivityPage: c.activity.pageInfo.hasNextPage ? c.activity.pageInfo.endCursor : null,
  };
}

/** The deferred example: the promotion fields are absent until their part arrives. */
export function promotionsArrived(data: Customer360DeferredQuery): boolean | null {
  const c = data.customer;
  if (c === null) return null;
  const first: number | null = c.pointsBalance?.points ?? null;
  void first;
  return "coupons" in c && c.coupons !== undefined;
}

/** `query` is 1_customer_360.graphql, parsed (the driver, apollo_client.mjs, reads it so). */
export async function loadCustomer360(
  client: ApolloClient<NormalizedCacheObject>,
  query: DocumentNode,
  customerId: string,
): Promise<Customer360Screen | null> {
  const variables: Customer360QueryVariables = { customerId };
  const { data } = await client.query<Customer360Query, Customer360QueryVariables>({
    query,
    variables,
  });
  return customer360Screen(data);
}

export type DeferredVariables = Customer360DeferredQueryVariables;
