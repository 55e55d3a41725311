/** The words of a notebook export (./notebook.ts), apart from its code: what a request may carry. */

/** The words of a notebook, in the reader's language; {{name}}-style holes are filled here. */
export interface NotebookTexts {
  title: string;
  /** One sentence: what is minimized or fitted. */
  problem: string;
  settingsHeading: string;
  /** Column names of the settings table: run, optimizer, hyperparameters, schedule, length. */
  columns: [string, string, string, string, string];
  /** A run's length: `{{steps}}` steps, or `{{epochs}}` epochs in batches of `{{batch}}`. */
  steps: string;
  epochs: string;
  /** `{{epochs}}` epochs of full-batch gradient descent. */
  epochsFull: string;
  constant: string;
  notesHeading: string;
  reproduceHeading: string;
  reproduceText: string;
  compareHeading: string;
  compareText: string;
  /** Printed by the comparison: agreement or not, with `{difference}` (Python's format hole). */
  agrees: string;
  differs: string;
  lossHeading: string;
  lossAxis: string;
  stepAxis: string;
  contourHeading: string;
  fitHeading: string;
  /** Added to a feature's name when the rows are standardized. */
  standardized: string;
  predicted: string;
  actual: string;
  /** The data points' legend entry. */
  rows: string;
  regionsOf: string;
}

/** The texts' names besides `columns`: each is one string. */
export const NOTEBOOK_TEXT_KEYS = ['title', 'problem', 'settingsHeading', 'steps', 'epochs', 'epochsFull', 'constant', 'notesHeading', 'reproduceHeading', 'reproduceText', 'compareHeading', 'compareText', 'agrees', 'differs', 'lossHeading', 'lossAxis', 'stepAxis', 'contourHeading', 'fitHeading', 'standardized', 'predicted', 'actual', 'rows', 'regionsOf'] as const satisfies ReadonlyArray<Exclude<keyof NotebookTexts, 'columns'>>;
