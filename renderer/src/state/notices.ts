/** What an opened session's check found, in the current language: the run, and what differs between its file and its settings. */
import type { RunStatus } from '../../../engine';
import type { RunDifference } from '../../../engine/session/verify';
import { formatNumber, showWritten, t } from '../i18n/i18n.svelte';
import type { ReplayNotice } from './runs.svelte';

/** A recorded number in full: a difference in the last bits must show. */
const exact = (v: number) => (Number.isFinite(v) ? showWritten(String(v)) : t(`charts.nonFinite.${Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : 'negInf'}`));

const ending = (end: { status: RunStatus; step: number }) => t('session.differs.ending', { status: t(`runs.status.${end.status}`), step: formatNumber(end.step) });

function differenceText(run: string, d: RunDifference): string {
  if (d.what === 'end') return t('session.differs.end', { run, saved: ending(d.saved), now: ending(d.now) });
  if (d.what === 'shape') return t('session.differs.shape', { run, saved: formatNumber(d.saved), now: formatNumber(d.now) });
  const what = d.what === 'param' ? t('session.differs.param', { index: (d.index ?? 0) + 1 }) : t(`session.differs.${d.what}`);
  return t('session.differs.number', { run, what, step: formatNumber(d.step), saved: exact(d.saved), now: exact(d.now) });
}

export function noticeText(notice: ReplayNotice): string {
  if (typeof notice.differences === 'string') return t('session.differs.failed', { run: notice.run.name, message: notice.differences });
  return notice.differences.map((d) => differenceText(notice.run.name, d)).join(' ');
}
