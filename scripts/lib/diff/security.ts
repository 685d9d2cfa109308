import { CLIENT_CREDENTIAL } from "./client-facts";
import { valueAt } from "./pointer";
import type { SiteChange } from "./change";

type Document = Record<string, any>;
type Requirement = Record<string, unknown>;

/** True when the client's credential (the raw key in Authorization) is the scheme `name` of `document`. */
function isClientCredential(document: Document, name: string): boolean {
  const scheme = document.components?.securitySchemes?.[name] as
    { type?: string; in?: string; name?: string } | undefined;
  return (
    scheme?.type === CLIENT_CREDENTIAL.type &&
    scheme.in === CLIENT_CREDENTIAL.in &&
    scheme.name?.toLowerCase() === CLIENT_CREDENTIAL.name
  );
}

/**
 * The security requirement that applies where a change was made, in `document`: the operation's
 * own list when the change is inside an operation and it has one, else the document's.
 */
function requirementsAt(document: Document, change: SiteChange): Requirement[] | undefined {
  const own =
    change.area === "operation" ? valueAt(document, [...change.keywordPath.slice(0, 3), "security"]) : undefined;
  return (own ?? document.security) as Requirement[] | undefined;
}

/**
 * Whether this client still gets in after a security change: no requirement, or an alternative
 * it satisfies (`{}`, anonymous, or only apiKey schemes in the Authorization header). Judged on NEW.
 */
export function clientSatisfies(after: Document, change: SiteChange): boolean {
  const requirements = requirementsAt(after, change);
  if (!Array.isArray(requirements) || requirements.length === 0) return true;
  return requirements.some((alternative) =>
    Object.keys(alternative ?? {}).every((name) => isClientCredential(after, name)),
  );
}
