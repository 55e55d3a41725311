// What an exported legend says of each run: its optimizer and the settings that set it apart.
import { describe, expect, it } from 'vitest';
import { legendNote, runNote } from '../../renderer/src/lib/runNotes';
import { runSettings, type RunSpec } from '../../engine/spec/run';

const spec = (name: string, settings: Parameters<typeof runSettings>[0]): RunSpec => ({ ...runSettings(settings), id: name, name, color: null, changes: [] });

describe('legend notes', () => {
  const adam = spec('Adam 1', { optimizer: { name: 'adam', lr: 0.02, betas: [0.9, 0.999] } });
  const momentum = spec('SGD 2', { optimizer: { name: 'sgd', lr: 0.001, momentum: 0.9 }, schedule: { type: 'cosine', T_max: 100, eta_min: 0 }, batchSize: 8 });
  const adam10 = spec('Adam 10', { optimizer: { name: 'adam', lr: 0.1, betas: [0.8, 0.99], weight_decay: 0.01 }, clipNorm: 5 });

  it('name the optimizer, its rate, and settings off their defaults', () => {
    expect(runNote(adam, false)).toBe('adam, lr 0.02');
    expect(runNote(momentum, true)).toBe('sgd, lr 0.001, momentum 0.9, cosine, batch 8');
    expect(runNote(adam10, false)).toBe('adam, lr 0.1, betas 0.8/0.99, weight_decay 0.01, clip 5');
  });

  it('find the run a label names, alone or followed by a word, the longest name first', () => {
    const runs = [adam, momentum, adam10];
    expect(legendNote(runs, false, 'Adam 1')).toBe('adam, lr 0.02');
    expect(legendNote(runs, false, 'Adam 10 training')).toBe(runNote(adam10, false));
    expect(legendNote(runs, false, 'Adam 1 validation')).toBe('adam, lr 0.02');
    expect(legendNote(runs, false, '‖g full‖')).toBeNull();
  });
});
