// What the layout tests measure in the page: panels that overflow sideways, controls that cross
// their panel's edge, and the rows the toolbar's controls sit on.
import type { Page } from 'playwright-core';

export interface Overflow {
  panel: string;
  scrollWidth: number;
  clientWidth: number;
  crossing: string[];
}

/** Every panel's horizontal overflow, and the controls whose box crosses their panel's edge. */
export async function overflows(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const panels: Array<[string, Element | null]> = [
      ['header', document.querySelector('header')],
      ['problem panel', document.querySelector('aside.left')],
      ['charts', document.querySelector('section.center')],
      ['runs', document.querySelector('.runs-area')],
      ['explain', document.querySelector('.explain-dock')],
    ];
    const out: Overflow[] = [];
    for (const [name, panel] of panels) {
      if (!(panel instanceof HTMLElement)) continue;
      const box = panel.getBoundingClientRect();
      const crossing: string[] = [];
      for (const control of panel.querySelectorAll('button, input, select, textarea, canvas')) {
        const r = control.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1) {
          const label = control.getAttribute('aria-label') ?? control.id ?? control.textContent?.trim() ?? '';
          crossing.push(`${control.tagName.toLowerCase()} "${label}" [${Math.round(r.left)}, ${Math.round(r.right)}] in [${Math.round(box.left)}, ${Math.round(box.right)}]`);
        }
      }
      if (panel.scrollWidth > panel.clientWidth || crossing.length) out.push({ panel: name, scrollWidth: panel.scrollWidth, clientWidth: panel.clientWidth, crossing });
    }
    return out;
  });
}

/** The header's controls: the distinct rows their boxes sit on. */
export const toolbarRows = (page: Page): Promise<number> =>
  page.evaluate(() => new Set([...document.querySelectorAll('header button, header select, header [role="tab"]')].map((e) => Math.round(e.getBoundingClientRect().top / 8))).size);
