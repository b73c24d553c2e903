/**
 * A lossless JSON reader/writer for files other programs own (the docker config). JSON.parse
 * would round big or precise numbers and drop `-0`; here every scalar keeps its source text, so a
 * rewrite changes only the entries we set. Output is tab-indented like Go's
 * `json.MarshalIndent(v, "", "\t")`, the format `docker login` writes.
 */

export interface JsonMember {
  /** The key as written in the source (escapes kept); the map key is its decoded value. */
  rawKey: string;
  value: JsonNode;
}

export interface JsonObject {
  kind: 'object';
  /** Insertion-ordered; a duplicate key keeps its first position and its last value, like JSON.parse. */
  members: Map<string, JsonMember>;
}

export interface JsonArray {
  kind: 'array';
  items: JsonNode[];
}

export interface JsonString {
  kind: 'string';
  value: string;
  raw: string;
}

/** A number, `true`, `false` or `null`, kept as its source text. */
export interface JsonScalar {
  kind: 'scalar';
  raw: string;
}

export type JsonNode = JsonObject | JsonArray | JsonString | JsonScalar;

/** Deeper documents are refused rather than risking the stack; docker configs are 4 levels deep. */
export const MAX_JSON_DEPTH = 512;

/** Why a text is not a JSON document; says where, never what (the text may hold secrets). */
export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(problem: string, line: number, column: number) {
    super(`${problem} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
    this.line = line;
    this.column = column;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Parses RFC 8259 JSON text (no BOM, no comments, no trailing commas). */
export function parseJsonDocument(text: string): JsonNode {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.parseValue(1);
  parser.skipWhitespace();
  if (!parser.atEnd()) parser.fail('unexpected text after the JSON value');
  return value;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(problem: string, at = this.pos): never {
    if (at >= this.text.length) problem = 'unexpected end of text';
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    throw new JsonSyntaxError(problem, line, column);
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return;
      this.pos++;
    }
  }

  parseValue(depth: number): JsonNode {
    if (this.atEnd()) this.fail('unexpected end of text');
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject(depth);
    if (c === '[') return this.parseArray(depth);
    if (c === '"') return this.parseString();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length;
        return { kind: 'scalar', raw: literal };
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('unexpected character');
    this.pos += match[0].length;
    return { kind: 'scalar', raw: match[0] };
  }

  private enter(depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++;
    this.skipWhitespace();
  }

  private parseObject(depth: number): JsonObject {
    this.enter(depth);
    const members = new Map<string, JsonMember>();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', members };
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('expected a quoted key');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth + 1);
      const existing = members.get(key.value);
      if (existing) {
        existing.rawKey = key.raw;
        existing.value = value;
      } else {
        members.set(key.value, { rawKey: key.raw, value });
      }
      this.skipWhitespace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { kind: 'object', members };
      }
      if (this.text[this.pos] !== ',') this.fail("expected ',' or '}'");
      this.pos++;
      this.skipWhitespace();
    }
  }

  private parseArray(depth: number): JsonArray {
    this.enter(depth);
    const items: JsonNode[] = [];
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return { kind: 'array', items };
      }
      if (this.text[this.pos] !== ',') this.fail("expected ',' or ']'");
      this.pos++;
      this.skipWhitespace();
    }
  }

  private parseString(): JsonString {
    const start = this.pos;
    this.pos++;
    for (;;) {
      if (this.atEnd()) this.fail('unterminated string', start);
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) break;
      if (code < 0x20) this.fail('control character in string');
      if (code === 0x5c) {
        const escape = this.text[this.pos + 1];
        if (escape === 'u') {
          if (!HEX4.test(this.text.slice(this.pos + 2, this.pos + 6))) this.fail('bad \\u escape');
          this.pos += 6;
          continue;
        }
        if (escape === undefined || !SIMPLE_ESCAPES.has(escape)) this.fail('bad escape');
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    this.pos++;
    const raw = this.text.slice(start, this.pos);
    return { kind: 'string', value: JSON.parse(raw) as string, raw };
  }
}

/** Serialises like Go's MarshalIndent with a tab: no trailing newline, `{}`/`[]` when empty. */
export function formatJsonDocument(node: JsonNode): string {
  const parts: string[] = [];
  write(node, '', parts);
  return parts.join('');
}

function write(node: JsonNode, indent: string, parts: string[]): void {
  switch (node.kind) {
    case 'string':
    case 'scalar':
      parts.push(node.raw);
      return;
    case 'array': {
      if (node.items.length === 0) {
        parts.push('[]');
        return;
      }
      const inner = `${indent}\t`;
      parts.push('[\n');
      node.items.forEach((item, index) => {
        if (index > 0) parts.push(',\n');
        parts.push(inner);
        write(item, inner, parts);
      });
      parts.push(`\n${indent}]`);
      return;
    }
    case 'object': {
      if (node.members.size === 0) {
        parts.push('{}');
        return;
      }
      const inner = `${indent}\t`;
      parts.push('{\n');
      let first = true;
      for (const member of node.members.values()) {
        if (!first) parts.push(',\n');
        first = false;
        parts.push(inner, member.rawKey, ': ');
        write(member.value, inner, parts);
      }
      parts.push(`\n${indent}}`);
      return;
    }
  }
}

export function jsonString(value: string): JsonString {
  return { kind: 'string', value, raw: JSON.stringify(value) };
}

export function jsonObject(entries: Array<[string, JsonNode]> = []): JsonObject {
  return { kind: 'object', members: new Map(entries.map(([key, value]) => [key, { rawKey: JSON.stringify(key), value }])) };
}

/** The string a member holds, or undefined when it is absent or not a string. */
export function stringMember(object: JsonObject, key: string): string | undefined {
  const value = object.members.get(key)?.value;
  return value?.kind === 'string' ? value.value : undefined;
}
