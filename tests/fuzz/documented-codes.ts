// The error codes docs/errors.md documents, read from the document itself: a decoder refusal must carry one of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ERRORS_MD = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

/** Every `CODEC_ERR_*` code in the first column of a table of docs/errors.md. */
export function documentedCodecCodes(): ReadonlySet<string> {
  const codes = new Set<string>();
  for (const match of readFileSync(ERRORS_MD, 'utf8').matchAll(/^\| `(CODEC_ERR_[A-Z0-9_]+)` \|/gm))
    codes.add(match[1] as string);
  return codes;
}

/** The Engine.IO HTTP error codes (0 to 5) and their messages, from the document's HTTP table. */
export function documentedHttpCodes(): ReadonlyMap<number, string> {
  const codes = new Map<number, string>();
  for (const match of readFileSync(ERRORS_MD, 'utf8').matchAll(/^\| ([0-9]) \| ([A-Za-z ]+) \|/gm)) {
    codes.set(Number(match[1]), (match[2] as string).trim());
  }
  return codes;
}
