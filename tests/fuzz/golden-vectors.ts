// Golden wire vectors for mutation: the single-quoted packet literals of the protocol package's own tests, read from
// the test files at run time so the corpus grows with them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROTOCOL_SRC = fileURLToPath(new URL('../../packages/protocol/src/', import.meta.url));
// A literal that starts like a packet: a Socket.IO / Engine.IO type digit, or 'b' for a base64 binary packet.
const LITERAL = /'((?:[^'\\\n]|\\.){1,400})'/g;
const PACKET_START = /^[0-6b]/;
const HEX = /^(?:[0-9a-f]{2}){2,}$/;

function testFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) testFiles(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** Undoes the escapes these literals use (`\x1e`, `\u0000`, `\\`, `\'`, `\n`); undefined for anything else. */
function unescapeLiteral(body: string): string | undefined {
  let failed = false;
  const text = body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) => {
    if (escape.length > 1) return String.fromCharCode(parseInt(escape.slice(1), 16));
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\', "'": "'", '"': '"' };
    const value = simple[escape];
    if (value === undefined) failed = true;
    return value ?? '';
  });
  return failed ? undefined : text;
}

/** The packet texts and (from hex literals) byte strings of packages/protocol's tests, deduplicated. */
export function loadGoldenVectors(): { texts: string[]; bytes: Uint8Array[] } {
  const texts = new Set<string>();
  const hex = new Set<string>();
  for (const file of testFiles(PROTOCOL_SRC)) {
    for (const match of readFileSync(file, 'utf8').matchAll(LITERAL)) {
      const text = unescapeLiteral(match[1] as string);
      if (text === undefined || !PACKET_START.test(text)) continue;
      texts.add(text);
      if (HEX.test(text)) hex.add(text);
    }
  }
  return { texts: [...texts], bytes: [...hex].map((h) => Uint8Array.from(Buffer.from(h, 'hex'))) };
}
