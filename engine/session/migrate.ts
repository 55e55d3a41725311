/**
 * Migrations between session format versions: MIGRATIONS[v] turns a version-v
 * document into a version v+1 document. A new version adds its predecessor's
 * migration here and a fixture of the old version under test/fixtures/sessions/.
 * Version 1 is the first format, so there is nothing to migrate yet.
 */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export const MIGRATIONS: Readonly<Record<number, Migration>> = Object.freeze({});
