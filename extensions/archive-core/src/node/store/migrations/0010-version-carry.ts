import type { Migration } from './migration';

/**
 * What a file's change of content did with its annotations, on the version
 * it closed: `moved` (to the new content; the old one is left clean),
 * `copied` (another file still holds the old content) or `kept` (the new
 * content already had a life of its own, so the file joined it and the old
 * content kept its annotations as an earlier version). NULL on versions
 * closed before this was recorded; they were moved or copied.
 */
export const versionCarrySchema: Migration = {
    version: 10,
    name: 'version-carry',
    up: db => db.exec(`
        ALTER TABLE file_versions ADD COLUMN carried TEXT CHECK (carried IN ('moved', 'copied', 'kept'));
    `)
};
