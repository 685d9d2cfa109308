import { apiCompare } from "api-smart-diff";
import { siteOf, type Site } from "./site";
import { toPointer, valueAt } from "./pointer";
import { decide } from "./client-rules";
import type { RuleContext, SiteChange } from "./change";
import type { Change } from "./types";

type Diff = ReturnType<typeof apiCompare>["diffs"][number];

const join = (field: string | undefined, name: unknown) => (field ? `${field}.${String(name)}` : String(name));

/**
 * Splits one engine diff into changes the rules can judge one by one: a `required` list becomes
 * one change per property, a replaced enum value a removal plus an addition, and an element of a
 * `type` array the whole keyword (so `["string"] → ["string","null"]` is judged as a set).
 */
function expand(diff: Diff, site: Site, before: unknown, after: unknown): SiteChange[] {
  const change: SiteChange = {
    ...site,
    action: diff.action,
    before: diff.before,
    after: diff.after,
    engine: diff.type,
    description: diff.description,
  };
  const element = diff.path.length > site.keywordPath.length;
  if (site.keyword === "type" && element) {
    return [
      {
        ...change,
        action: "replace",
        pointer: toPointer(site.keywordPath),
        before: valueAt(before, site.keywordPath),
        after: valueAt(after, site.keywordPath),
      },
    ];
  }
  const split = site.keyword === "enum" || (site.keyword === "required" && site.field !== undefined);
  if (!split) return [change];
  const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) && !element ? value : [value]);
  const [was, now] = [list(diff.before), list(diff.after)];
  const perValue = (value: unknown, action: "add" | "remove"): SiteChange => {
    const named = site.keyword === "required" ? { field: join(site.field, value) } : {};
    return {
      ...change,
      ...named,
      action,
      before: action === "remove" ? value : undefined,
      after: action === "add" ? value : undefined,
    };
  };
  if (site.keyword === "enum" && !element && (was.length === 0 || now.length === 0)) return [change];
  return [
    ...was.filter((value) => !now.includes(value)).map((value) => perValue(value, "remove")),
    ...now.filter((value) => !was.includes(value)).map((value) => perValue(value, "add")),
  ];
}

const fieldKey = (change: SiteChange, action: string) =>
  `${change.operation}|${change.area}|${change.status}|${change.field}|${action}`;

/** Where a change is, for a reader: it starts with the operation (`scope`, a page's operations, outside one). */
function whereOf(change: Site, scope: string): string {
  const field = change.field ? ` \`${change.field}\`` : "";
  const place: Record<Site["area"], string> = {
    document: "document",
    servers: "servers",
    components: ["components", ...change.keyword.split(".").slice(0, 2)].filter(Boolean).join("."),
    operation: "",
    parameter: ` ${change.name}${field}`,
    "request-body": " request body",
    request: ` request body${field}`,
    response: ` response ${change.status}${field}`,
    "response-header": ` response ${change.status} header \`${change.name}\``,
  };
  return change.operation ? `${change.operation}${place[change.area]}` : `${scope} ${place[change.area]}`;
}

/**
 * Diffs two OpenAPI documents with api-smart-diff and judges each change with the client-side
 * rules. Changes inside a component schema are reported where the schema is used (the engine
 * resolves $refs), so only a component's own addition or removal is listed under components.
 * `scope` names the page's operations on lines outside any one operation (servers, info, components).
 */
export function classifyChanges(
  before: Record<string, any>,
  after: Record<string, any>,
  names: RuleContext["operationIds"],
  scope: string,
): Change[] {
  // api-smart-diff normalises the documents it is given in place (it drops `deprecated: false`, for one).
  const { diffs } = apiCompare(structuredClone(before), structuredClone(after));
  const changes = diffs
    .map((diff) => ({ diff, site: siteOf(diff.path, before, after) }))
    .filter(({ site }) => !(site.area === "components" && /^schemas\.[^.]+\./.test(site.keyword)))
    .flatMap(({ diff, site }) => expand(diff, site, before, after));
  const properties = new Set(
    changes.filter((change) => change.keyword === "property").map((change) => fieldKey(change, change.action)),
  );
  const folded = changes.filter(
    (change) =>
      change.keyword !== "required" || change.field === undefined || !properties.has(fieldKey(change, change.action)),
  );
  const addedRequired = new Set(
    changes
      .filter(
        (change) => change.keyword === "required" && change.action === "add" && properties.has(fieldKey(change, "add")),
      )
      .map((change) => `${change.operation} ${change.field}`),
  );
  const context: RuleContext = { before, after, operationIds: names, addedRequired };
  const seen = new Set<string>();
  return folded.flatMap((change) => {
    const decision = decide(change, context);
    const { verdict, what, rule } = decision;
    const operation = change.operation ?? scope;
    const line: Change = {
      verdict,
      pointer: change.pointer,
      operation,
      where: whereOf(change, scope),
      what,
      rule,
      engine: change.engine,
    };
    const key = `${line.pointer}|${line.what}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [line];
  });
}
