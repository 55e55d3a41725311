// The README and docs/ say only what is true of the repository: every file they name exists, every
// link to another page or picture resolves, and every command they show exists (`gdlab` commands
// answer --help, npm scripts are defined, test files named to vitest exist).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const ROOT = process.cwd();
const PAGES = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const FOLDERS = ['engine/', 'app/', 'renderer/', 'test/', 'build/', 'docs/', '.ci/', '.github/'];
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Every `code span` and fenced line of a page. */
function codeOf(text: string): { spans: string[]; commands: string[] } {
  const commands: string[] = [];
  for (const block of text.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)) {
    // Continued lines joined, comments dropped.
    for (const line of block[1].replace(/\\\n\s*/g, ' ').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command && !command.startsWith('#')) commands.push(command);
    }
  }
  const spans = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return { spans, commands };
}

describe('the README and docs/', () => {
  it('keep the README short: at most 150 lines', () => {
    expect(readFileSync('README.md', 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  for (const page of PAGES) {
    const text = readFileSync(page, 'utf8');
    const { spans, commands } = codeOf(text);

    it(`${page}: every file it names exists`, () => {
      const named = spans
        .map((s) => s.replace(/[.,:;)]+$/, ''))
        .filter((s) => FOLDERS.some((f) => s.startsWith(f)) && /^[\w./\-[\]]+$/.test(s) && !s.includes('*'));
      const missing = named.filter((p) => !existsSync(join(ROOT, p)));
      expect(missing).toEqual([]);
    });

    it(`${page}: every link to a page or picture resolves`, () => {
      const links = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
      const missing = links.filter((l) => !existsSync(normalize(join(dirname(page), l))));
      expect(missing).toEqual([]);
    });

    if (commands.length) {
      it(`${page}: every command it shows exists`, () => {
        for (const command of commands) {
          const words = command.split(/\s+/);
          if (words[0] === 'npx' && words[1] === 'gdlab') {
            execFileSync(process.execPath, ['engine/bin/gdlab.js', words[2], '--help'], { encoding: 'utf8' });
          } else if (words[0] === 'npm' && words[1] === 'run') {
            expect(scripts, command).toHaveProperty(words[2]);
          } else if (words[0] === 'npx' && words[1] === 'vitest') {
            for (const file of words.filter((w) => w.endsWith('.ts'))) expect(existsSync(file), command).toBe(true);
          } else if (words[0] === 'npx' && words[1] === 'tsx') {
            expect(existsSync(words[2]), command).toBe(true);
          }
        }
      });
    }
  }
});
