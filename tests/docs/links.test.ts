// Relative links in the repository's Markdown files point at files that exist, and links to a heading of a Markdown
// file (`page.md#section`) name a heading that exists, so a moved or renamed page shows up here rather than as a 404.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Tracked Markdown files; without git (an exported tree), every *.md outside node_modules and build output. */
function markdownFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: root, encoding: 'utf8' });
    return out.split('\0').filter((path) => path !== '' && existsSync(join(root, path)));
  } catch {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.md')) found.push(relative(root, path));
      }
    };
    walk(root);
    return found;
  }
}

interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

// Code is not prose: links inside fenced blocks and inline code spans are examples, not navigation.
function stripCode(text: string): string[] {
  const lines = text.split('\n');
  let fenced = false;
  return lines.map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, '');
  });
}

function linksOf(file: string): Link[] {
  const links: Link[] = [];
  const lines = stripCode(readFileSync(join(root, file), 'utf8'));
  // [text](target) and ![alt](target), with an optional "title"; reference-style definitions `[id]: target` too.
  const inline = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
  const definition = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;
  lines.forEach((text, index) => {
    for (const match of text.matchAll(inline)) links.push({ file, line: index + 1, target: match[1] as string });
    const def = definition.exec(text);
    if (def !== null) links.push({ file, line: index + 1, target: def[1] as string });
  });
  return links;
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/** GitHub's heading anchors: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(path: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of stripCode(readFileSync(path, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const base = slug(heading[1] as string);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function resolveTarget(link: Link): { path: string; fragment: string | undefined } {
  const hash = link.target.indexOf('#');
  const pathPart = (hash === -1 ? link.target : link.target.slice(0, hash)).split('?')[0] as string;
  const fragment = hash === -1 ? undefined : link.target.slice(hash + 1);
  const decoded = decodeURIComponent(pathPart);
  const path =
    decoded === ''
      ? join(root, link.file)
      : decoded.startsWith('/')
        ? join(root, decoded)
        : resolve(dirname(join(root, link.file)), decoded);
  return { path, fragment };
}

const files = markdownFiles();
const links = files.flatMap(linksOf).filter((link) => !isExternal(link.target));

describe('documentation links', () => {
  it('finds the Markdown files and their relative links', () => {
    assert.ok(files.includes('README.md'), 'README.md is among the Markdown files');
    assert.ok(links.length > 0, 'at least one relative link was found');
  });

  it('resolves every relative link to a file or folder that exists', () => {
    const broken = links
      .filter((link) => !existsSync(resolveTarget(link).path))
      .map((link) => `${link.file}:${link.line}: ${link.target}`);
    assert.deepEqual(broken, []);
  });

  it('finds the heading named by every link into a Markdown file', () => {
    const cache = new Map<string, Set<string>>();
    const broken: string[] = [];
    for (const link of links) {
      const { path, fragment } = resolveTarget(link);
      if (fragment === undefined || fragment === '' || !path.endsWith('.md')) continue;
      if (!existsSync(path) || !statSync(path).isFile()) continue; // reported by the test above
      let anchors = cache.get(path);
      if (anchors === undefined) {
        anchors = anchorsOf(path);
        cache.set(path, anchors);
      }
      if (!anchors.has(decodeURIComponent(fragment).toLowerCase()))
        broken.push(`${link.file}:${link.line}: ${link.target}`);
    }
    assert.deepEqual(broken, []);
  });
});
