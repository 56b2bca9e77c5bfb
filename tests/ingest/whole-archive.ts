import { expect } from 'vitest';
import { queryValue } from './cli-process';

/**
 * Checks that an archive holds nothing half-written: every asset carries
 * everything the parse phase writes (thumbnail, preview, hash, text row,
 * colour vector, parse done), every indexed file has its asset, no content
 * is stored twice, no file is still claimed by a process and no process is
 * still registered as indexing.
 */
export function expectWholeArchive(database: string): void {
    const count = (sql: string) => queryValue<number>(database, sql);
    expect(count(`SELECT count(*) FROM assets a WHERE a.thumbnail_hash IS NULL OR a.preview_hash IS NULL OR a.phash IS NULL
        OR NOT EXISTS (SELECT 1 FROM phase_states p WHERE p.asset_id = a.id AND p.phase = 'parse' AND p.state = 'done')
        OR NOT EXISTS (SELECT 1 FROM asset_text t WHERE t.rowid = a.id)`), 'assets missing what parsing writes').toBe(0);
    expect(count("SELECT count(*) FROM files WHERE state = 'indexed' AND asset_id IS NULL"), 'indexed files without an asset').toBe(0);
    expect(count('SELECT count(*) - count(DISTINCT content_hash) FROM assets'), 'assets stored twice').toBe(0);
    const vectors = queryValue<string>(database, "SELECT name FROM vector_indexes WHERE model = 'builtin-colour-v1'")!;
    expect(count(`SELECT count(*) FROM ${vectors}`), 'colour vectors').toBe(count('SELECT count(*) FROM assets'));
    expect(count('SELECT count(*) FROM files WHERE claimed_by IS NOT NULL'), 'files still claimed').toBe(0);
    expect(count('SELECT count(*) FROM ingest_workers'), 'indexing processes still registered').toBe(0);
}
