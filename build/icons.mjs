// Generates every icon from the two source images in this folder (npm run icons):
// icon.svg -> icon.png (1024), icons/NxN.png (Linux), icon.ico (Windows), icon.icns (macOS);
// session.svg -> the .gdlab file icons session.png, session.ico, session.icns.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const here = dirname(fileURLToPath(import.meta.url));
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

function render(svg, size) {
  return new Resvg(readFileSync(join(here, svg)), { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

function write(name, bytes) {
  if (!bytes) throw new Error(`could not make ${name}`);
  writeFileSync(join(here, name), bytes);
  console.log(`  ${name} (${bytes.length} bytes)`);
}

const icon = render('icon.svg', 1024);
write('icon.png', icon);
mkdirSync(join(here, 'icons'), { recursive: true });
for (const size of LINUX_SIZES) write(`icons/${size}x${size}.png`, render('icon.svg', size));
write('icon.ico', png2icons.createICO(icon, png2icons.BICUBIC2, 0, true, true));
write('icon.icns', png2icons.createICNS(icon, png2icons.BICUBIC2, 0));

const session = render('session.svg', 1024);
write('session.png', render('session.svg', 512));
write('session.ico', png2icons.createICO(session, png2icons.BICUBIC2, 0, true, false));
write('session.icns', png2icons.createICNS(session, png2icons.BICUBIC2, 0));
