// npm run dist [-- electron-builder arguments]: builds the app and the installers for this platform
// (electron-builder.yml). Electron's prebuilt binaries and some packaging tools are downloaded on
// first use; where that cannot happen, this says what is missing and how to provide it instead of
// printing a stack trace. --skip-build packages the existing out/ folder.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { arch as hostArch, homedir, platform as hostPlatform } from 'node:os';

const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const builderArgs = args.filter((a) => a !== '--skip-build');

const ANSI = /\x1b\[[0-9;]*m/g;
const DOWNLOAD_FAILURE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|getaddrinfo|socket hang up|unable to (?:get|download)|cannot download|status code 40[34]/i;

function fail(lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(2);
}

/** Runs a Node CLI, passing its output on line by line without stack traces (kept in `output` for diagnosis). */
function run(command, commandArgs, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [command, ...commandArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const relay = (stream) => {
      let pending = '';
      return (chunk) => {
        output += chunk;
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const plain = line.replace(ANSI, '');
          if (/^\s*'?\s+at\s/.test(plain)) continue;
          stream.write(plain.includes('stackTrace=') ? `${plain.replace(/\s*stackTrace=.*$/, '')}\n` : `${line}\n`);
        }
      };
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The Electron executable an unpacked Electron release holds, per platform. */
function electronExecutable(dir) {
  return ['electron', 'electron.exe', 'Electron.app'].map((name) => join(dir, name)).find((p) => existsSync(p));
}

const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
if (override) {
  if (!existsSync(override) || !electronExecutable(override)) {
    fail([
      `npm run dist: ELECTRON_OVERRIDE_DIST_PATH is ${override}, which holds no Electron executable (electron, electron.exe or Electron.app).`,
      `Point it at an unpacked Electron ${electronVersion} release for this platform: the folder that holds the executable.`,
    ]);
  }
  builderArgs.push(`-c.electronDist=${override}`, `-c.electronVersion=${electronVersion}`);
}

if (!skipBuild) {
  // electron-vite's package "exports" do not include its bin: find the bin beside its package.json.
  const build = await run(join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), ['build']);
  if (build.code !== 0) fail(['npm run dist: the app did not build (electron-vite build failed, above); fix that first.']);
}

const builder = await run(require.resolve('electron-builder/cli.js'), builderArgs);
if (builder.code === 0) process.exit(0);
const output = builder.output.replace(ANSI, '');
if (DOWNLOAD_FAILURE.test(output)) {
  const host = /getaddrinfo \w+ ([\w.-]+)/.exec(output)?.[1];
  // The failure line is "  ⨯ <cause>  failedTask=…" (another mark where the output is not a terminal).
  const cause = /^\s*\S+\s+(.*?)\s+failedTask=/m.exec(output)?.[1];
  const zip = `electron-v${electronVersion}-${hostPlatform()}-${hostArch()}.zip`;
  fail([
    '',
    `npm run dist: a download failed (${host ? `${host} could not be reached` : cause ?? 'no connection'}). electron-builder downloads Electron ${electronVersion}'s`,
    'prebuilt binaries and, for some targets, its packaging tools (the AppImage runtime, fpm for deb, NSIS) on first use.',
    'Provide Electron in one of these ways, then run npm run dist again:',
    `  - ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-v${electronVersion}-${hostPlatform()}-${hostArch()} npm run dist`,
    '      (an unpacked Electron release: the folder with the electron executable)',
    `  - put ${zip} in ${join(homedir(), '.cache', 'electron')} (the cache electron-builder reads first)`,
    '  - ELECTRON_MIRROR=https://your-mirror/electron/ npm run dist (a mirror of Electron\'s releases)',
    'Packaging tools come from ELECTRON_BUILDER_BINARIES_MIRROR the same way. On a machine that reaches',
    'GitHub, npm run dist needs none of this.',
  ]);
}
fail(['', `npm run dist: electron-builder failed (exit code ${builder.code}); its output is above.`]);
