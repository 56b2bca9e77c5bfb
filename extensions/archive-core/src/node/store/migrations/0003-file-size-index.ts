import type { Migration } from './migration';

/**
 * An index on file sizes: a new file whose size no indexed file has cannot be
 * a copy of one, so the ingester reads it once, hashing while it parses.
 */
export const fileSizeIndex: Migration = {
    version: 3,
    name: 'file-size-index',
    up: db => db.exec('CREATE INDEX files_size ON files (size)')
};
