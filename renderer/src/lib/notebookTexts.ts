/** The words of an exported notebook in the lab's language (engine/session/export/notebookTexts.ts). */
import type { NotebookTexts } from '../../../engine/session/export/notebookTexts';
import type { Lab } from '../state/lab.svelte';
import { t } from '../i18n/i18n.svelte';

export function notebookTexts(lab: Lab): NotebookTexts {
  const doc = lab.doc;
  const d = doc.data;
  const problem = doc.mode === 'function'
    ? t('session.notebook.problemFunction', { vars: lab.vars.join(', '), expr: doc.expr })
    : t('session.notebook.problemData', { model: t(`models.kind.${d.model.kind}`), data: lab.data.summary?.name ?? '', target: d.target ?? '', features: d.features.length > 20 ? `${d.features.slice(0, 20).join(', ')}, … (${d.features.length})` : d.features.join(', '), loss: d.loss.name });
  const w = (key: string) => t(`session.notebook.${key}`);
  return {
    title: t('session.notebook.title'),
    problem,
    settingsHeading: w('settingsHeading'),
    columns: [w('columnRun'), w('columnOptimizer'), w('columnHyperparameters'), w('columnSchedule'), w('columnLength')],
    // The counts are filled by the export: the holes stay as they are.
    steps: t('session.notebook.steps', { steps: '{{steps}}', interpolation: { escapeValue: false } }),
    epochs: t('session.notebook.epochs', { epochs: '{{epochs}}', batch: '{{batch}}', interpolation: { escapeValue: false } }),
    epochsFull: t('session.notebook.epochsFull', { epochs: '{{epochs}}', interpolation: { escapeValue: false } }),
    constant: w('constant'),
    notesHeading: w('notesHeading'),
    reproduceHeading: w('reproduceHeading'),
    reproduceText: w('reproduceText'),
    compareHeading: w('compareHeading'),
    compareText: w('compareText'),
    agrees: w('agrees'),
    differs: w('differs'),
    lossHeading: w('lossHeading'),
    lossAxis: w('lossAxis'),
    stepAxis: w('stepAxis'),
    contourHeading: w('contourHeading'),
    fitHeading: w('fitHeading'),
    standardized: w('standardized'),
    predicted: w('predicted'),
    actual: w('actual'),
    rows: w('rows'),
    regionsOf: t('session.notebook.regionsOf', { run: '{{run}}', interpolation: { escapeValue: false } }),
  };
}
