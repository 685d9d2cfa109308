import { ANNOTATION_KEYWORDS, CLIENT_OPERATIONS, READ_RESPONSE_FIELDS } from "./client-facts";
import { clientSatisfies } from "./security";
import { valueAt } from "./pointer";
import { SCHEMA_RULES } from "./schema-rules";
import {
  breaking,
  nonBreaking,
  show,
  type ClientRule,
  type Decision,
  type RuleContext,
  type SiteChange,
} from "./change";

/**
 * The client-side layer over api-smart-diff: each rule looks at one change from this client's
 * side and decides its verdict, or passes. The first rule that decides wins; a change no rule
 * knows keeps the engine's verdict ("engine"). Verdicts follow one principle: narrowing what a
 * request may be, or widening what a response may hold, breaks clients; the reverse does not.
 * Where this differs from the engine (or from oasdiff), the rule says why.
 */

const lastKey = (change: SiteChange) => (change.keyword === "property" ? "" : (change.keyword.split(".").pop() ?? ""));
const serverUrl = (document: Record<string, any>) => document.servers?.[0]?.url as string | undefined;

const DOCUMENT_RULES: ClientRule[] = [
  {
    id: "annotation",
    decide: (c) => {
      const key = lastKey(c);
      const documentation =
        ANNOTATION_KEYWORDS.has(key) || key.startsWith("x-") || /^(tags|description|summary)\b/.test(c.keyword);
      const metadata = c.area === "document" && /^(openapi|info|tags|externalDocs|jsonSchemaDialect)\b/.test(c.keyword);
      return documentation || metadata
        ? {
            verdict: "annotation",
            what: `${c.keyword} ${c.action === "add" ? "added" : c.action === "remove" ? "removed" : "changed"}`,
          }
        : undefined;
    },
  },
  {
    // The engine calls servers an annotation; this client takes its default baseUrl from servers[0].
    id: "servers",
    decide: (c, context: RuleContext) => {
      if (c.area !== "servers") return undefined;
      const [before, after] = [serverUrl(context.before), serverUrl(context.after)];
      if (before !== after)
        return breaking(
          `default base URL ${show(before ?? "(none)")} → ${show(after ?? "(none)")}: clients without baseUrl now call another host`,
        );
      return nonBreaking(`server list changed; the default (servers[0]) is still ${show(after)}`);
    },
  },
  {
    id: "operation",
    decide: (c) => {
      if (c.area !== "operation" || (c.keyword !== "operation" && c.keyword !== "path")) return undefined;
      if (c.action === "add") return nonBreaking(`${c.keyword} added`);
      const ours = [...CLIENT_OPERATIONS].some((label) => label === c.operation || label.endsWith(` ${c.operation}`));
      return breaking(`${c.keyword} removed${ours ? ": this client calls it" : ""}`);
    },
  },
  {
    // Generated type names come from the overlaid spec, where the overlay pins our operationId.
    id: "operation-id",
    decide: (c, context: RuleContext) => {
      if (c.keyword !== "operationId" || c.operation === undefined) return undefined;
      const [before, after] = [
        context.operationIds.before.get(c.operation),
        context.operationIds.after.get(c.operation),
      ];
      if (before !== after)
        return breaking(
          `generated name operations[${show(before)}] → operations[${show(after)}]: code naming the old type stops compiling`,
        );
      return {
        verdict: "annotation",
        what: `vendor operationId ${show(c.before)} → ${show(c.after)}; the overlay keeps the generated name ${show(after)}`,
      };
    },
  },
  {
    // The client sends the raw key in Authorization (the overlay's apiKeyHeader). The engine calls any
    // new requirement breaking; one this client already satisfies (that scheme, or an alternative `{}`) is not.
    id: "security",
    decide: (c, context: RuleContext) => {
      const requirement = (c.area === "document" || c.area === "operation") && /^security\b/.test(c.keyword);
      if (!requirement) return undefined;
      const done = c.action === "add" ? "added" : c.action === "remove" ? "removed" : "changed";
      const what = `security requirement ${show(c.action === "remove" ? c.before : c.after)} ${done}`;
      if (clientSatisfies(context.after, c)) {
        return nonBreaking(`${what}: this client satisfies it (the raw key in Authorization)`);
      }
      return breaking(`${what}: this client sends only the raw key in Authorization`);
    },
  },
  {
    id: "deprecated",
    decide: (c) =>
      c.keyword === "deprecated"
        ? nonBreaking(c.after === true ? "deprecated: still works, plan to move off it" : "no longer deprecated")
        : undefined,
  },
  {
    id: "component-schema",
    decide: (c) => {
      const name = /^schemas\.([^.]+)$/.exec(c.area === "components" ? c.keyword : "")?.[1];
      if (name === undefined) return undefined;
      if (c.action === "add") return nonBreaking(`new generated type components["schemas"][${show(name)}]`);
      return breaking(
        `generated type components["schemas"][${show(name)}] removed or renamed: code naming it stops compiling`,
      );
    },
  },
];

const REQUEST_RULES: ClientRule[] = [
  {
    id: "parameter",
    decide: (c) => {
      if (c.area !== "parameter" || c.field !== undefined || (c.keyword !== "parameter" && c.keyword !== "required"))
        return undefined;
      if (c.keyword === "required")
        return c.after === true ? breaking("becomes required") : nonBreaking("becomes optional");
      if (c.action === "remove") return breaking("removed: the generated parameter type no longer accepts it");
      const required = (c.after as { required?: boolean } | undefined)?.required === true;
      return required
        ? breaking("new required parameter: requests without it are rejected")
        : nonBreaking("new optional parameter");
    },
  },
  {
    // The engine (and oasdiff) call a newly required body breaking; this client always sends one.
    id: "request-body",
    decide: (c) => {
      if (c.area !== "request-body") return undefined;
      if (c.keyword === "required")
        return nonBreaking(
          `body required: ${show(c.before ?? false)} → ${show(c.after ?? false)}; this client always sends a body`,
        );
      if (c.keyword === "media-type" || c.keyword === "body" || c.keyword === "content") {
        return c.action === "add"
          ? nonBreaking(`${c.keyword} added`)
          : breaking(`${c.keyword} removed: this client sends application/json`);
      }
      return undefined;
    },
  },
];

/**
 * A new 2xx status: the client takes every 2xx as the result and reads it as the 200 body, so it
 * breaks unless the new body carries `data` too (always, as a field the schema requires).
 */
function newSuccess(c: SiteChange, context: RuleContext): Decision {
  if (!CLIENT_OPERATIONS.has(c.operation ?? "")) return nonBreaking(`success response ${c.status} added`);
  const schema = [...c.keywordPath, "content", "application/json", "schema"];
  const required = valueAt(context.after, [...schema, "required"]);
  const fields = [...READ_RESPONSE_FIELDS].filter((field) => !field.includes("."));
  const declared = (field: string) => valueAt(context.after, [...schema, "properties", field]) !== undefined;
  const carries = fields.every((field) => Array.isArray(required) && required.includes(field) && declared(field));
  if (carries) return nonBreaking(`success response ${c.status} added, with the fields this client reads`);
  const missing = fields.map((field) => `\`${field}\``).join(" and ");
  return breaking(
    `success response ${c.status} added without ${missing}: this client takes any 2xx as the result and reads them`,
  );
}

const RESPONSE_RULES: ClientRule[] = [
  {
    id: "response-status",
    decide: (c, context: RuleContext) => {
      if (c.area !== "response" || (c.keyword !== "status" && c.keyword !== "media-type")) return undefined;
      const success = /^2/.test(c.status ?? "");
      if (c.action === "add" && c.keyword === "status" && success) return newSuccess(c, context);
      if (c.action === "add")
        return nonBreaking(`${c.keyword === "status" ? `response ${c.status}` : "media type"} added`);
      if (c.keyword === "media-type") return breaking("media type removed: this client parses application/json");
      return success
        ? breaking(`success response ${c.status} removed: this client parses it`)
        : nonBreaking(`error response ${c.status} no longer documented`);
    },
  },
  {
    id: "response-header",
    decide: (c) =>
      c.area === "response-header"
        ? nonBreaking("response header changed; this client reads no documented response header")
        : undefined,
  },
];

/** Every client-side rule, in the order they are consulted. */
export const CLIENT_RULES: readonly ClientRule[] = [
  ...DOCUMENT_RULES,
  ...REQUEST_RULES,
  ...RESPONSE_RULES,
  ...SCHEMA_RULES,
];

/** The engine's verdict, for changes no client-side rule knows. Unclassified counts as breaking. */
export function engineDecision(change: SiteChange): Decision {
  const subject = change.keyword === "property" ? "field" : change.keyword || "value";
  const what =
    change.action === "add"
      ? `${subject} added: ${show(change.after)}`
      : change.action === "remove"
        ? `${subject} removed`
        : `${subject} ${show(change.before)} → ${show(change.after)}`;
  if (change.engine === "unclassified") return breaking(`${what} (the engine could not classify it: review it)`);
  if (change.engine === "deprecated") return nonBreaking(what);
  return { verdict: change.engine, what };
}

/** Runs the rules over one change: the decision and the id of the rule that made it. */
export function decide(change: SiteChange, context: RuleContext): Decision & { rule: string } {
  for (const rule of CLIENT_RULES) {
    const decision = rule.decide(change, context);
    if (decision) return { ...decision, rule: rule.id };
  }
  return { ...engineDecision(change), rule: "engine" };
}
