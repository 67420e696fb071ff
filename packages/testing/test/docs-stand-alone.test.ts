import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README and docs/ must read on their own, in a clone that has nothing beside the repository.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const docs = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];
const name = (path: string) => relative(root, path);

/** Text outside fenced code blocks and inline code, where a link is a link. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Relative link targets of `[text](target)`, without their #fragment. */
function linkTargets(text: string): string[] {
  const targets: string[] = [];
  for (const match of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const path = target.split('#')[0]!;
    if (path) targets.push(decodeURI(path));
  }
  return targets;
}

describe('README and docs', () => {
  it.each(docs.map(name))('%s links only to files that exist in the repository', (file) => {
    const path = join(root, file);
    const broken = linkTargets(readFileSync(path, 'utf8')).filter((target) => {
      const resolved = resolve(dirname(path), target);
      return !resolved.startsWith(root) || !existsSync(resolved);
    });
    expect(broken).toEqual([]);
  });

  it.each(docs.map(name))('%s does not point outside the repository (../shared)', (file) => {
    expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/\.\.\/shared/);
  });

  // The documents that describe the whole system say what the older API shapes are, not their numbers.
  const named = [
    'README.md',
    'docs/architecture.md',
    'docs/api.md',
    'docs/events-catalogue.md',
    'docs/mongodb-compatibility.md',
  ];
  it.each(named)('%s names the legacy APIs by what they are, not by their numbers', (file) => {
    expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/\bseeds? 0\d\d/i);
  });

  it('the link check itself finds a broken link and ignores code, anchors and URLs', () => {
    const text =
      '[a](docs/api.md#x) [b](https://x.test/y) [c](#here) `[d](nowhere.md)`\n```\n[e](gone.md)\n```\n[f](gone.md)';
    expect(linkTargets(text)).toEqual(['docs/api.md', 'gone.md']);
  });
});

describe('docs/decisions', () => {
  const dir = join(root, 'docs/decisions');
  const records = readdirSync(dir)
    .filter((file) => /^\d{4}-.+\.md$/.test(file))
    .sort();

  it.each(records)('%s has the one shape: # NNNN. Title, Status, Date, Context, Decision, Consequences', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toMatch(
      new RegExp(
        `^# ${file.slice(0, 4)}\\. \\S.*\\n\\nStatus: (accepted|superseded by \\d{4})\\nDate: \\d{4}-\\d{2}-\\d{2}\\n\\n## Context\\n`,
      ),
    );
    expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['Context', 'Decision', 'Consequences']);
  });

  it('README.md indexes every record with its status', () => {
    const index = readFileSync(join(dir, 'README.md'), 'utf8');
    const missing = records.filter((file) => {
      const status = readFileSync(join(dir, file), 'utf8').match(/^Status: (.+)$/m)?.[1];
      return !index.includes(`](${file}) |`) || !status || !index.includes(`| ${status} |`);
    });
    expect(missing).toEqual([]);
    expect(statSync(join(dir, 'README.md')).isFile()).toBe(true);
  });
});
