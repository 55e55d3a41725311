// Installers: the electron-builder configuration, the icons made from one source image, the release
// workflow (checked against GitHub's workflow schema), and `npm run dist`'s message when it cannot
// download what it needs.
import { describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { Resvg } from '@resvg/resvg-js';
import { validateWorkflow } from '@action-validator/core';

const config = parse(readFileSync('electron-builder.yml', 'utf8'));
const workflowText = readFileSync('.github/workflows/ci.yml', 'utf8');
const workflow = parse(workflowText);
interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
}
const steps = (job: string): Step[] => workflow.jobs[job].steps;
const targets = (platform: 'win' | 'mac' | 'linux') => (config[platform].target as Array<{ target: string; arch: string[] }>).map((t) => `${t.target}:${t.arch.join('+')}`);

function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder configuration', () => {
  it('names the app and keeps resources in build/', () => {
    expect(config).toMatchObject({ appId: 'org.gradientdescentlab.lab', productName: 'Gradient Descent Lab', directories: { output: 'dist', buildResources: 'build' }, asar: true });
  });

  it('builds a per-user NSIS installer with a choice of folder, and a portable exe, for Windows', () => {
    expect(targets('win')).toEqual(['nsis:x64+arm64', 'portable:x64']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
    expect(config.win.icon).toBe('build/icon.ico');
  });

  it('builds dmg and zip for Intel and Apple silicon, hardened and ready to sign', () => {
    expect(targets('mac')).toEqual(['dmg:x64+arm64', 'zip:x64+arm64']);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist', entitlementsInherit: 'build/entitlements.mac.plist', icon: 'build/icon.icns' });
    expect(readFileSync('build/entitlements.mac.plist', 'utf8')).toContain('<key>com.apple.security.cs.allow-jit</key>');
  });

  it('builds AppImage, deb and tar.gz for Linux', () => {
    expect(targets('linux')).toEqual(['AppImage:x64', 'deb:x64', 'tar.gz:x64']);
    expect(config.linux.mimeTypes).toEqual(['application/x-gdlab-session']);
  });

  it('associates .gdlab files with the app, with their own icon and MIME type', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'gdlab', mimeType: 'application/x-gdlab-session', icon: 'session', role: 'Editor' })]);
    for (const f of ['session.ico', 'session.icns', 'session.png']) expect(existsSync(join('build', f))).toBe(true);
  });

  it('sets the Electron fuses of a production build', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      // an unsigned Apple-silicon build must be re-signed ad hoc after the flip, or it does not start
      resetAdHocDarwinSignature: true,
    });
  });

  it('ships the built app only: no source maps, sources, browser build or update feed', () => {
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'out/**', '!out/web/**', '!**/*.map', '!**/*.ts']));
    expect(config.publish).toBeNull();
  });

  it('holds no credentials: signing and notarization read them from the environment', () => {
    const keys: string[] = [];
    const walk = (v: unknown) => {
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        keys.push(k);
        walk(x);
      }
    };
    walk(config);
    expect(keys.filter((k) => /password|cscLink|cscKey|appleId|apiKey|identity|certificate/i.test(k))).toEqual([]);
  });

  it('keeps only runtime libraries in dependencies (what the app ships)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@noble/hashes', '@scure/base', 'd3-contour', 'fzstd', 'hyparquet', 'hyparquet-compressors', 'i18next', 'mathjs', 'papaparse', 'pure-rand', 'read-excel-file', 'zod']);
  });
});

describe('icons, made from build/icon.svg and build/session.svg', () => {
  it('has a 1024 px app icon and every Linux size', () => {
    expect(pngSize('build/icon.png')).toEqual([1024, 1024]);
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) expect(pngSize(`build/icons/${size}x${size}.png`)).toEqual([size, size]);
  });

  it('has a Windows .ico holding a 256 px image and a macOS .icns', () => {
    const ico = readFileSync('build/icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256);
    expect(widths).toContain(256);
    expect(widths).toContain(16);
    for (const f of ['build/icon.icns', 'build/session.icns']) expect(readFileSync(f).subarray(0, 4).toString('latin1')).toBe('icns');
  });

  it('is up to date with its source image', () => {
    const rendered = new Resvg(readFileSync('build/icon.svg'), { fitTo: { mode: 'width', value: 64 }, font: { loadSystemFonts: false } }).render().asPng();
    expect(Buffer.compare(rendered, readFileSync('build/icons/64x64.png'))).toBe(0);
  });
});

describe('the GitHub Actions workflow', () => {
  it('passes the workflow schema', () => {
    expect(validateWorkflow(workflowText).errors).toEqual([]);
  });

  it('would catch a broken workflow (the check can fail)', () => {
    const broken = workflowText.replace('runs-on: ${{ matrix.os }}', 'runs_on: ${{ matrix.os }}');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow('on: push\njobs: 3\n').errors.length).toBeGreaterThan(0);
  });

  it('tests on Linux, Windows and macOS on every push, and builds installers and a release on a tag', () => {
    expect(workflow.on.push.branches).toEqual(['**']);
    expect(workflow.jobs.test.strategy.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(steps('test').filter((s) => /\bnpm test\b/.test(s.run ?? ''))).toHaveLength(2);
    expect(workflow.jobs.installers.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(workflow.jobs.installers.strategy.matrix.include.map((m: { args: string }) => m.args)).toEqual(['--linux', '--win', '--mac']);
    expect(JSON.stringify(workflow.jobs.installers.steps)).toContain('npm run dist');
    expect(workflow.jobs.release.permissions).toEqual({ contents: 'write' });
    expect(JSON.stringify(workflow.jobs.release.steps)).toContain('gh release create');
  });

  it('runs npm test under a virtual display on Linux, after fetching Electron’s binary', () => {
    const test = steps('test');
    const linux = test.filter((s) => s.if === "runner.os == 'Linux'" && /\bnpm test\b/.test(s.run ?? ''));
    expect(linux).toHaveLength(1);
    expect(linux[0].run).toMatch(/^xvfb-run -a (--server-args="[^"]+" )?npm test\b/);
    // The other OSes have a display; no step runs npm test on Linux without one.
    const others = test.filter((s) => /\bnpm test\b/.test(s.run ?? '') && s !== linux[0]);
    expect(others.map((s) => s.if)).toEqual(["runner.os != 'Linux'"]);
    expect(test.find((s) => s.if === "runner.os == 'Linux'" && /apt-get install -y xvfb/.test(s.run ?? ''))).toBeDefined();
    // The electron package has no install script: the binary is fetched before the tests.
    const fetch = test.findIndex((s) => s.run === 'node node_modules/electron/install.js');
    expect(fetch).toBeGreaterThan(test.findIndex((s) => s.run === 'npm ci'));
    expect(fetch).toBeLessThan(test.indexOf(linux[0]));
  });

  it('fails the test job when the Electron end-to-end test was skipped', () => {
    const test = steps('test');
    const check = test.find((s) => /skipped: no Electron binary/.test(s.run ?? ''));
    expect(check).toBeDefined();
    expect(test.indexOf(check!)).toBeGreaterThan(Math.max(...test.flatMap((s, i) => (/\bnpm test\b/.test(s.run ?? '') ? [i] : []))));
    expect(check!.if).toBeUndefined();
    expect(check!.shell).toBe('bash');
    // It looks for the very message the test prints, and for the marker the test leaves when it ran.
    const e2e = readFileSync('test/e2e/electron.e2e.test.ts', 'utf8');
    expect(e2e).toContain("console.log('skipped: no Electron binary");
    expect(e2e).toContain("join(process.cwd(), 'test-output', 'electron-e2e.json')");
    expect(check!.run).toContain('test-output/electron-e2e.json');
  });

  it.skipIf(process.platform === 'win32')('that check fails on a skip or a missing marker, and passes after a run', () => {
    const script = steps('test').find((s) => /skipped: no Electron binary/.test(s.run ?? ''))!.run!;
    const skipped = 'stdout | test/e2e/electron.e2e.test.ts\nskipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH …)\n';
    const ran = ' ✓ test/e2e/electron.e2e.test.ts (7 tests)\n';
    expect(runStep(script, { 'npm-test.log': skipped, 'test-output/electron-e2e.json': '{"ran":true}' }).code).not.toBe(0);
    expect(runStep(script, { 'npm-test.log': ran }).code).not.toBe(0);
    const pass = runStep(script, { 'npm-test.log': ran, 'test-output/electron-e2e.json': '{"ran":true}' });
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('{"ran":true}');
  });

  it('smoke-tests the packaged app on each OS on every push to main, and fails if that test skipped', () => {
    const job = workflow.jobs.packaged;
    expect(job.strategy.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(job.if).toBe("github.event_name == 'push' && (github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/v'))");
    const packaged = steps('packaged');
    const dist = packaged.findIndex((s) => /^npm run dist -- --dir\b/.test(s.run ?? ''));
    expect(dist).toBeGreaterThan(0);
    expect(packaged[dist].run).toContain('-c.electronFuses.enableNodeCliInspectArguments=true');
    const smoke = packaged.filter((s) => (s.run ?? '').includes('test/e2e/packaged.e2e.test.ts'));
    expect(smoke.map((s) => s.if)).toEqual(["runner.os == 'Linux'", "runner.os != 'Linux'"]);
    expect(smoke[0].run).toMatch(/^xvfb-run -a /);
    for (const s of smoke) expect(packaged.indexOf(s)).toBeGreaterThan(dist);
    const check = packaged.find((s) => /grep -q "skipped:" packaged\.log/.test(s.run ?? ''));
    expect(check).toBeDefined();
    const upload = packaged.find((s) => s.uses === 'actions/upload-artifact@v4');
    expect(upload?.with).toMatchObject({ name: 'smoke-test-screenshot-${{ runner.os }}', path: 'test-output/packaged-app-*.png' });
    expect(readFileSync('test/e2e/packaged.e2e.test.ts', 'utf8')).toContain('join(OUTPUT, `packaged-app-${OS}.png`)');
  });

  it.skipIf(process.platform === 'win32')('the smoke check fails on a skip and passes with a screenshot', () => {
    const script = steps('packaged').find((s) => /grep -q "skipped:" packaged\.log/.test(s.run ?? ''))!.run!;
    const png = { 'test-output/packaged-app-linux.png': 'png' };
    expect(runStep(script, { 'packaged.log': 'skipped: no packaged app (no dist/linux-unpacked/gdlab …)\n', ...png }).code).not.toBe(0);
    expect(runStep(script, { 'packaged.log': ' ✓ test/e2e/packaged.e2e.test.ts (10 tests)\n' }).code).not.toBe(0);
    expect(runStep(script, { 'packaged.log': ' ✓ test/e2e/packaged.e2e.test.ts (10 tests)\n', ...png }).code).toBe(0);
  });

  it('attaches the installers and the smoke tests’ screenshots of the same run to the release', () => {
    const release = workflow.jobs.release;
    expect(release.needs).toEqual(['installers', 'packaged']);
    const downloads = steps('release').filter((s) => s.uses === 'actions/download-artifact@v4').map((s) => s.with);
    expect(downloads).toEqual([
      { pattern: 'installers-*', path: 'release', 'merge-multiple': true },
      { pattern: 'smoke-test-screenshot-*', path: 'release', 'merge-multiple': true },
    ]);
    expect(steps('release').find((s) => (s.run ?? '').startsWith('gh release create'))?.run).toContain(' release/* ');
  });
});

/** Runs a workflow step's bash script, as the runner would (bash -eo pipefail), in a folder holding `files`. */
function runStep(script: string, files: Record<string, string>): { code: number; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gdlab-step-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: dir, env: { ...process.env, RUNNER_OS: 'Linux' }, encoding: 'utf8' });
  return { code: r.status ?? 1, stdout: r.stdout };
}

function dist(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // As a user runs it: without the test runner's variables (electron-builder logs differently under VITEST).
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'ELECTRON_OVERRIDE_DIST_PATH'));
    execFile(process.execPath, ['build/dist.mjs', '--skip-build', ...args], { env: { ...clean, ...env }, timeout: 170_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run dist without Electron’s binaries', () => {
  it('says what is missing and how to provide it when Electron cannot be downloaded, without a stack trace', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gdlab-home-'));
    // A mirror nobody listens on: the download fails here and on any machine, online or not.
    const r = await dist(['--linux', 'dir', '-c.directories.output=' + join(home, 'dist')], { HOME: home, XDG_CACHE_HOME: join(home, '.cache'), ELECTRON_MIRROR: 'http://127.0.0.1:9/' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/npm run dist: a download failed \(connect ECONNREFUSED 127\.0\.0\.1:9\)/);
    expect(r.stderr).toMatch(/ELECTRON_OVERRIDE_DIST_PATH=\/path\/to\/electron-v45\.4\.1-linux-x64 npm run dist/);
    expect(r.stderr).toContain(`put electron-v45.4.1-linux-x64.zip in ${join(home, '.cache', 'electron')}`);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at\s/m);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/stackTrace=/);
  }, 180_000);

  it('refuses an ELECTRON_OVERRIDE_DIST_PATH that holds no Electron', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gdlab-noelectron-'));
    mkdirSync(join(empty, 'locales'));
    const r = await dist(['--linux', 'dir'], { ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ELECTRON_OVERRIDE_DIST_PATH is .*gdlab-noelectron-\w+, which holds no Electron executable \(electron, electron\.exe or Electron\.app\)/);
  });
});
