// The lab's one document: every edit a new revision, undo and redo as snapshots, "unsaved" as the
// revision differing from the saved one, and results dropped with the problem they belong to.
import { describe, expect, it } from 'vitest';
import { LabDocument } from '../../../renderer/src/state/document.svelte';
import { emptyDoc } from '../../../renderer/src/state/shape';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('the document', () => {
  it('moves to a new revision at every edit that changes something, and not otherwise', () => {
    const doc = new LabDocument();
    const r0 = doc.revision;
    expect(doc.edit((d) => void (d.notes = 'a'))).toBe(true);
    const r1 = doc.revision;
    expect(r1).not.toBe(r0);
    expect(doc.edit((d) => void (d.notes = 'a'))).toBe(false);
    expect(doc.revision).toBe(r1);
  });

  it('keeps the parts an edit left alone as the same objects, and freezes the document', () => {
    const doc = new LabDocument();
    doc.replace(emptyDoc());
    const view = doc.doc.view;
    doc.edit((d) => void (d.notes = 'x'));
    expect(doc.doc.view).toBe(view);
    expect(() => ((doc.doc.view as { speed: number }).speed = 5)).toThrow();
  });

  it('is unsaved after an edit, and saved again when undo returns to the saved state', () => {
    const doc = new LabDocument();
    doc.replace(emptyDoc());
    expect(doc.dirty).toBe(false);
    doc.edit((d) => void (d.expr = 'x^2'));
    expect(doc.dirty).toBe(true);
    expect(doc.undo()).toBe(true);
    expect(doc.doc.expr).toBe(emptyDoc().expr);
    expect(doc.dirty).toBe(false);
    expect(doc.redo()).toBe(true);
    expect(doc.doc.expr).toBe('x^2');
    expect(doc.dirty).toBe(true);
    doc.markSaved();
    expect(doc.dirty).toBe(false);
  });

  it('undoes and redoes edits in order; a new edit clears what could be redone', () => {
    const doc = new LabDocument();
    doc.replace(emptyDoc());
    for (const text of ['a', 'b', 'c']) doc.edit((d) => void (d.notes = text));
    doc.undo();
    doc.undo();
    expect(doc.doc.notes).toBe('a');
    expect(doc.canRedo).toBe(true);
    doc.edit((d) => void (d.notes = 'z'));
    expect(doc.canRedo).toBe(false);
    doc.undo();
    expect(doc.doc.notes).toBe('a');
    doc.undo();
    expect(doc.doc.notes).toBe('');
    expect(doc.canUndo).toBe(false);
    expect(doc.undo()).toBe(false);
  });

  it('makes one undo step of a group typed within a second, and a new one after a pause', () => {
    const c = clock();
    const doc = new LabDocument(c.now);
    doc.replace(emptyDoc());
    for (const text of ['x', 'x^', 'x^2']) {
      doc.edit((d) => void (d.expr = text), { group: 'formula' });
      c.advance(300);
    }
    c.advance(2000);
    doc.edit((d) => void (d.expr = 'x^2 + y'), { group: 'formula' });
    doc.undo();
    expect(doc.doc.expr).toBe('x^2');
    doc.undo();
    expect(doc.doc.expr).toBe(emptyDoc().expr);
  });

  it('merges what an edit brings with it into that edit’s step', () => {
    const doc = new LabDocument();
    doc.replace(emptyDoc());
    doc.edit((d) => void (d.expr = 'x^4 - 3*x^2 + y^2'), { group: 'formula' });
    doc.edit((d) => void (d.view.xRange = [-2, 2]), { merge: true });
    doc.undo();
    expect(doc.doc.expr).toBe(emptyDoc().expr);
    expect(doc.doc.view.xRange).toEqual(emptyDoc().view.xRange);
  });

  it('drops the experiments’ results when the problem changes, in the same undo step', () => {
    const doc = new LabDocument();
    doc.replace(emptyDoc());
    doc.edit((d) => {
      d.experiments.gap.result = { runId: 'run1', run: 'SGD 1', steps: [0], batchNorm: [1], fullNorm: [1], noiseNorm: [0], angle: ['NaN'] };
    });
    doc.edit((d) => void (d.notes = 'a note'));
    expect(doc.doc.experiments.gap.result).not.toBeNull();
    doc.edit((d) => void (d.expr = 'x^2 + y^2'));
    expect(doc.doc.experiments.gap.result).toBeNull();
    doc.undo();
    expect(doc.doc.experiments.gap.result).not.toBeNull();
  });

  it('sets a document aside and brings it back with its history and unsaved state', () => {
    const doc = new LabDocument();
    doc.replace(emptyDoc());
    doc.edit((d) => void (d.notes = 'mine'));
    const mine = doc.detach();
    doc.replace(emptyDoc());
    doc.edit((d) => void (d.expr = 'lesson'));
    doc.attach(mine);
    expect(doc.doc.notes).toBe('mine');
    expect(doc.dirty).toBe(true);
    doc.undo();
    expect(doc.doc.notes).toBe('');
    expect(doc.dirty).toBe(false);
  });
});
