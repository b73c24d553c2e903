/**
 * `WWW-Authenticate` per RFC 7235 §4.1: one header value may hold several challenges, each a scheme
 * followed by either a token68 or comma-separated `name=value` parameters. Commas separate both
 * challenges and parameters, so a name followed by '=' continues the current challenge and any
 * other token starts the next one. The header comes from a server we do not trust: the parser
 * scans every character a bounded number of times and skips what it cannot read instead of
 * throwing.
 */

export interface Challenge {
  /** The auth scheme, lowercased (`bearer`, `basic`). */
  scheme: string;
  /** Auth parameters by lowercased name; the first of a repeated name wins. */
  params: Record<string, string>;
  /** The token68 a challenge may carry instead of parameters (`Negotiate abc==`). */
  token68?: string;
}

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;
const TOKEN68_CHAR = /^[-._~+/0-9A-Za-z]$/;

export function parseWwwAuthenticate(header: string): Challenge[] {
  const reader = new HeaderReader(header);
  const challenges: Challenge[] = [];
  for (;;) {
    reader.skipSeparators();
    if (reader.done()) return challenges;
    const scheme = reader.token();
    if (scheme === '' || !reader.atChallengeBoundary()) {
      reader.skipToComma();
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    reader.skipWhitespace();
    const token68 = reader.token68();
    if (token68 !== undefined) challenge.token68 = token68;
    else challenge.params = reader.params();
    challenges.push(challenge);
  }
}

class HeaderReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.pos >= this.text.length;
  }

  private peek(): string {
    return this.text.charAt(this.pos);
  }

  skipWhitespace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** Skips whitespace and empty list elements, which RFC 7230 §7 tells recipients to accept. */
  skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }

  /** Skips unreadable text up to the next comma outside a quoted string. */
  skipToComma(): void {
    while (!this.done() && this.peek() !== ',') {
      if (this.peek() === '"') this.quotedString();
      else this.pos++;
    }
  }

  /** After a scheme: the end, a comma, or whitespace before its credentials. */
  atChallengeBoundary(): boolean {
    return this.done() || this.peek() === ',' || this.peek() === ' ' || this.peek() === '\t';
  }

  token(): string {
    const start = this.pos;
    while (TCHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Reads a token68 if one stands alone before a comma or the end; otherwise consumes nothing. */
  token68(): string | undefined {
    const start = this.pos;
    while (TOKEN68_CHAR.test(this.peek())) this.pos++;
    if (this.pos === start) return undefined;
    while (this.peek() === '=') this.pos++;
    const end = this.pos;
    this.skipWhitespace();
    if (this.done() || this.peek() === ',') return this.text.slice(start, end);
    this.pos = start;
    return undefined;
  }

  /** Reads `name = value` pairs until the text no longer continues this challenge. */
  params(): Record<string, string> {
    const params = new Map<string, string>();
    for (;;) {
      const start = this.pos;
      const name = this.token().toLowerCase();
      this.skipWhitespace();
      if (name === '' || this.peek() !== '=') {
        this.pos = start;
        break;
      }
      this.pos++;
      this.skipWhitespace();
      const value = this.peek() === '"' ? this.quotedString() : this.token();
      if (!params.has(name)) params.set(name, value);
      this.skipWhitespace();
      if (!this.done() && this.peek() !== ',') this.skipToComma();
      this.skipSeparators();
    }
    // fromEntries defines own properties, so a parameter named `__proto__` cannot touch the prototype.
    return Object.fromEntries(params);
  }

  /** Reads a quoted string from its opening quote; an unterminated one runs to the end. */
  quotedString(): string {
    this.pos++;
    const parts: string[] = [];
    let start = this.pos;
    while (!this.done() && this.peek() !== '"') {
      if (this.peek() === '\\' && this.pos + 1 < this.text.length) {
        parts.push(this.text.slice(start, this.pos));
        start = this.pos + 1;
        this.pos += 2;
      } else {
        this.pos++;
      }
    }
    parts.push(this.text.slice(start, this.pos));
    if (!this.done()) this.pos++;
    return parts.join('');
  }
}
