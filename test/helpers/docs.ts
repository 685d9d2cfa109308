import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Lexer, marked, type Token, type Tokens } from "marked";

/** The repository's root. */
export const ROOT = join(__dirname, "..", "..");

/** The Markdown files a reader of the repository meets, relative to ROOT: README, CONTRIBUTING, CHANGELOG and docs/. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", "CONTRIBUTING.md", "CHANGELOG.md", ...docs];
}

/** Every token of a Markdown document, nested ones (lists, tables, inline) included, in order. */
export function allTokens(markdown: string): Token[] {
  const tokens: Token[] = [];
  marked.walkTokens(new Lexer().lex(markdown), (token) => {
    tokens.push(token);
  });
  return tokens;
}

/** A fenced code block: its language (the info string's first word), its text, and the line of its opening fence (1-based). */
export interface FencedBlock {
  lang: string;
  text: string;
  raw: string;
  line: number | undefined;
}

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split("\n").length;
}

/** The fenced code blocks of a document (indented code blocks are not fences), each with its line when it can be found. */
export function fencedBlocks(source: string): FencedBlock[] {
  let from = 0;
  const blocks: FencedBlock[] = [];
  for (const token of allTokens(source)) {
    if (token.type !== "code" || (token as Tokens.Code).codeBlockStyle === "indented") continue;
    const code = token as Tokens.Code;
    // A block inside a list item is lexed without the item's indentation, so its raw text may not
    // be found verbatim: then its first line is looked for instead.
    const firstLine = code.raw.split("\n")[0] ?? "";
    let index = source.indexOf(code.raw, from);
    if (index === -1) index = source.indexOf(firstLine.trim(), from);
    if (index !== -1) from = index + 1;
    blocks.push({
      lang: (code.lang ?? "").trim().split(/\s+/)[0] ?? "",
      text: code.text,
      raw: code.raw,
      line: index === -1 ? undefined : lineOf(source, index),
    });
  }
  return blocks;
}

/** Languages in which a line starting with `#` is an ordinary comment (only `##` and deeper look like a heading there). */
const HASH_COMMENTS = new Set([
  "sh",
  "bash",
  "shell",
  "console",
  "yaml",
  "yml",
  "text",
  "ini",
  "conf",
  "toml",
  "python",
]);

/**
 * What is wrong with a document's code fences: a fence never closed (it runs to the end of the
 * file), a heading inside a block (a fence closed too early or opened by mistake swallows it), or a
 * fence with an info string inside a block (the sign of a missing closing fence before it).
 */
export function fenceProblems(source: string): string[] {
  const problems: string[] = [];
  for (const block of fencedBlocks(source)) {
    const where = `the code block at line ${block.line ?? "?"}`;
    const lines = block.raw.replace(/\n+$/, "").split("\n");
    const opening = /^\s*(`{3,}|~{3,})/.exec(lines[0] ?? "")?.[1] ?? "```";
    const closing = new RegExp(`^\\s*${opening[0] === "`" ? "`" : "~"}{${opening.length},}\\s*$`);
    if (lines.length < 2 || !closing.test(lines[lines.length - 1] ?? "")) {
      problems.push(`${where} is never closed`);
    }
    const heading = HASH_COMMENTS.has(block.lang) ? /^#{2,6}\s+\S/ : /^#{1,6}\s+\S/;
    const innerFence = new RegExp(`^\\s*${opening[0] === "`" ? "`" : "~"}{${opening.length},}[^\\s\`~]`);
    if (block.lang === "md" || block.lang === "markdown") continue;
    for (const line of block.text.split("\n")) {
      if (heading.test(line)) problems.push(`${where} swallows the heading ${JSON.stringify(line)}`);
      if (innerFence.test(line)) problems.push(`${where} holds the fence ${JSON.stringify(line)}: a fence is missing`);
    }
  }
  return problems;
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/** A heading's text as a reader sees it (code spans without backticks, links without their targets). */
function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if ("tokens" in token && Array.isArray(token.tokens) && token.type !== "codespan") {
        return plainText(token.tokens);
      }
      return "text" in token && typeof token.text === "string" ? token.text : "";
    })
    .join("")
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (but `-` and `_`), each space a `-`. */
export function githubSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a document's headings, as GitHub makes them (a repeated one gets -1, -2, …). */
export function headingAnchors(source: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const token of allTokens(source)) {
    if (token.type !== "heading") continue;
    const slug = githubSlug(plainText((token as Tokens.Heading).tokens));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every relative link (and image) of `file` (relative to ROOT) that points to no file, or to no heading of its target. */
export function linkProblems(file: string): string[] {
  const source = readFileSync(join(ROOT, file), "utf8");
  const problems: string[] = [];
  for (const token of allTokens(source)) {
    if (token.type !== "link" && token.type !== "image") continue;
    const href = (token as Tokens.Link | Tokens.Image).href;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) continue;
    const [path = "", anchor] = href.split("#", 2);
    const target = path === "" ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), decodeURI(path));
    const shown = relative(ROOT, target) || ".";
    if (!target.startsWith(ROOT + sep) && target !== ROOT) {
      problems.push(`${href}: points outside the repository`);
    } else if (!existsSync(target)) {
      problems.push(`${href}: ${shown} does not exist`);
    } else if (anchor !== undefined && target.endsWith(".md")) {
      if (!headingAnchors(readFileSync(target, "utf8")).has(anchor)) {
        problems.push(`${href}: ${shown} has no heading #${anchor}`);
      }
    }
  }
  return problems;
}
