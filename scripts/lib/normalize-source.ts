import ts from "typescript";

const CLOSERS = new Set([
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseParenToken,
]);

/**
 * Reduces TypeScript/JavaScript source to its meaningful tokens, so that a formatter's changes
 * (white space, line breaks, comments, quote style, optional semicolons, trailing commas) are not
 * mistaken for drift, while any change to a name, a literal or the structure is.
 */
function sourceTokens(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  const raw: Array<{ kind: ts.SyntaxKind; text: string }> = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const isString = kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral;
    raw.push({ kind, text: isString ? JSON.stringify(scanner.getTokenValue()) : scanner.getTokenText() });
  }
  return raw
    .filter((token, index) => {
      if (token.kind === ts.SyntaxKind.SemicolonToken) return false;
      const next = raw[index + 1];
      return !(token.kind === ts.SyntaxKind.CommaToken && next && CLOSERS.has(next.kind));
    })
    .map((token) => token.text);
}

/** True when two sources differ only in formatting (see sourceTokens). */
export function sameSource(a: string, b: string): boolean {
  const left = sourceTokens(a);
  const right = sourceTokens(b);
  return left.length === right.length && left.every((token, index) => token === right[index]);
}
