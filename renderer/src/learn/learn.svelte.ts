/**
 * Learn mode's state: which lesson is open, which are done, and whether the lesson strip is shown.
 * It is kept in the window's storage, so that a learner who closes the app comes back to the lesson
 * where they stopped. The lessons work in a document of their own: the one that was open is set
 * aside (the person is asked first whether to save it, as New asks) and comes back, as it was, when
 * they leave the lessons.
 */
import type { Lab } from '../state/lab.svelte';
import { LESSONS, type Done, type Lesson } from './lessons';
import { readStored, writeStored } from '../lib/storage';
import { t } from '../i18n/i18n.svelte';

const STORAGE_KEY = 'gdlab.learn';
const DOOR_KEY = 'gdlab.door';

interface Stored {
  index: number;
  done: string[];
  active: boolean;
}

export class LearnModel {
  /** The lesson strip is shown. */
  active = $state(false);
  index = $state(0);
  /** Ids of the lessons whose task was done. */
  done = $state<string[]>([]);
  /** A lesson is setting the lab up. */
  preparing = $state(false);
  /** Why the last set-up failed, if it did. */
  error = $state<string | null>(null);
  /** The first-start welcome (two doors) is shown. */
  welcome = $state(false);

  constructor(private readonly lab: Lab) {
    const stored = readStored<Stored>(STORAGE_KEY);
    if (stored) {
      this.index = Math.min(Math.max(0, Math.floor(Number(stored.index) || 0)), LESSONS.length - 1);
      this.done = Array.isArray(stored.done) ? stored.done.filter((id) => LESSONS.some((l) => l.id === id)) : [];
      this.active = stored.active === true;
    }
    this.welcome = readStored<string>(DOOR_KEY) === null;
    // Open, New or a dropped file leave the lessons too: the strip goes with them.
    lab.files.onLeftLessons = () => {
      this.active = false;
      this.save();
    };
  }

  get lesson(): Lesson {
    return LESSONS[this.index];
  }

  get count(): number {
    return LESSONS.length;
  }

  /** The open lesson's task, done: its values from the lab's state, or null. */
  get result(): Done | null {
    if (!this.active || this.preparing) return null;
    return this.lesson.check(this.lab);
  }

  /**
   * Sets the open document aside for the lessons' own, asking first whether to save it when it has
   * unsaved changes; false when the person cancels.
   */
  private async enter(): Promise<boolean> {
    const files = this.lab.files;
    const n = this.index + 1;
    const title = () => t('learn.documentTitle', { n });
    if (files.lesson) {
      await files.enterLessons(title);
      return true;
    }
    if (files.dirty) {
      const choice = await this.lab.ask(t('learn.askSave', { name: files.title }), [
        { id: 'save', label: t('learn.saveFirst') },
        { id: 'keep', label: t('learn.openWithoutSaving'), primary: true },
        { id: 'cancel', label: t('learn.cancel') },
      ]);
      if (choice === 'cancel') return false;
      if (choice === 'save' && !(await files.save())) return false;
    }
    await this.lab.runs.pause().catch(() => undefined);
    await files.enterLessons(title);
    return true;
  }

  /** Opens lesson `index`: sets the lab up for it and shows it. */
  async open(index: number): Promise<void> {
    const at = Math.min(Math.max(0, index), LESSONS.length - 1);
    const previous = this.index;
    this.index = at;
    if (!(await this.enter())) {
      this.index = previous;
      return;
    }
    this.active = true;
    this.preparing = true;
    this.error = null;
    this.save();
    try {
      await this.lab.runs.pause().catch(() => undefined);
      await this.lesson.setup(this.lab);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.preparing = false;
    }
  }

  /** Marks the open lesson's task done (once its result is in). */
  markDone(): void {
    const id = this.lesson.id;
    if (this.done.includes(id)) return;
    this.done = [...this.done, id];
    this.save();
  }

  /** Leaves the lessons: the document that was open comes back as it was, and Continue returns to this lesson. */
  async leave(): Promise<void> {
    this.active = false;
    this.save();
    await this.lab.files.leaveLessons();
  }

  /** Comes back to the lesson where the learner stopped. */
  resume(): Promise<void> {
    return this.open(this.index);
  }

  /** The welcome's choice, remembered: Learn opens the lessons where the learner stopped. */
  choose(door: 'learn' | 'lab'): Promise<void> | void {
    writeStored(DOOR_KEY, door);
    this.welcome = false;
    if (door === 'learn') return this.resume();
  }

  private save(): void {
    writeStored(STORAGE_KEY, { index: this.index, done: this.done, active: this.active } satisfies Stored);
  }
}
