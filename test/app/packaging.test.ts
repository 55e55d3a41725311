// Installers: the electron-builder configuration, the icons made from one source image, the release
// workflow (checked against GitHub's workflow schema), and `npm run dist`'s message when it cannot
// download what it needs.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Resvg } from '@resvg/resvg-js';
import { validateWorkflow } from '@action-validator/core';

const config = parse(readFileSync('electron-builder.yml', 'utf8'));
const workflowText = readFileSync('.github/workflows/ci.yml', 'utf8');
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
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@noble/hashes', '@scure/base', 'd3-contour', 'mathjs', 'papaparse', 'pure-rand', 'zod']);
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
    const w = parse(workflowText);
    expect(w.on.push.branches).toEqual(['**']);
    expect(w.jobs.test.strategy.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(w.jobs.test.steps.map((s: { run?: string }) => s.run)).toContain('npm test');
    expect(w.jobs.installers.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(w.jobs.installers.strategy.matrix.include.map((m: { args: string }) => m.args)).toEqual(['--linux', '--win', '--mac']);
    expect(JSON.stringify(w.jobs.installers.steps)).toContain('npm run dist');
    expect(w.jobs.release.permissions).toEqual({ contents: 'write' });
    expect(JSON.stringify(w.jobs.release.steps)).toContain('gh release create');
  });
});

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
