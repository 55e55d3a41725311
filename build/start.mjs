// npm start [-- electron-vite arguments]: runs the desktop app in development (electron-vite dev).
// The electron package downloads its binary on first use, not when it is installed; where that has
// not happened (an offline install, a proxy that blocked the download), this says so in one
// paragraph and exits with code 1, instead of electron-vite's "Error: Electron uninstall" and a stack
// trace. The binary is looked for the way node_modules/electron/index.js finds it: path.txt names the
// executable inside node_modules/electron/dist, or inside ELECTRON_OVERRIDE_DIST_PATH when that is set.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const platformPath = { darwin: 'Electron.app/Contents/MacOS/Electron', mas: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';
const pathFile = join(electronDir, 'path.txt');
// Paths inside the electron package are shown as the project sees them (node_modules may be a link).
const shown = (p) => (p.startsWith(electronDir) ? ['node_modules', 'electron', ...relative(electronDir, p).split(sep)].join('/') : p);

/** Where the binary should be, and why it would be missing. */
function locate() {
  if (process.env.ELECTRON_EXEC_PATH) {
    // electron-vite's own variable: an explicit executable.
    const path = process.env.ELECTRON_EXEC_PATH;
    return { path, why: `ELECTRON_EXEC_PATH is ${path}, which does not exist` };
  }
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, recorded || platformPath);
    return { path, why: `ELECTRON_OVERRIDE_DIST_PATH is ${override}, which holds no ${recorded || platformPath}` };
  }
  if (recorded) {
    const path = join(electronDir, 'dist', recorded);
    return { path, why: `${shown(pathFile)} names it, but it is not there: the download did not finish, or the folder was removed` };
  }
  const path = join(electronDir, 'dist', platformPath);
  return { path, why: `there is no ${shown(pathFile)}: the electron package downloads its binary on first use, and that download has not happened (an offline install, or a proxy that blocked it)` };
}

const { path, why } = locate();

if (!existsSync(path)) {
  const words = [
    `npm start: Electron's binary is missing, so the desktop app cannot start. Looked for ${shown(path)}; ${why}.`,
    `Fetch Electron ${version} with \`node node_modules/electron/install.js\`. Behind a firewall, set ELECTRON_MIRROR to a mirror of Electron's releases`,
    `(and ELECTRON_CUSTOM_DIR when the mirror's folders are not named v${version}) before running it, or point ELECTRON_OVERRIDE_DIST_PATH`,
    `at an unpacked electron-v${version}-${platform()}-${arch()} release (the folder that holds the ${platformPath.split('/')[0]} executable) and skip the download.`,
    'Then run npm start again. Without Electron, `npm run web` serves the same lab in a browser.',
  ].join(' ').match(/`[^`]*`\S*|\S+/g); // a `command` is never broken across lines
  // One paragraph, wrapped for a terminal.
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

const child = spawn(process.execPath, [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'dev', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: path },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
