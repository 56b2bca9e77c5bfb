import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { hashFile, parseFile } from '../../extensions/archive-core/src/node/ingest/parse-worker';
import { DEFAULT_PARSE_LIMITS } from '@imageparser/psd';

const corpus = path.resolve(__dirname, '../../../shared/corpus/psd');

/**
 * A file read once, hashed while it is parsed, gets the SHA-256 of its bytes
 * on disk, the same hash streaming gives it, so a copy of it is recognized as
 * the same content. 16- and 32-bit documents are decoded in the very buffer
 * that was read.
 */
describe('the content hash of a parsed file', () => {
    it.each(['16bit5x5.psd', '32bit.psd', 'gradient-fill.psd', 'pen-text.psb'])('is the SHA-256 of the bytes of %s', async name => {
        const file = path.join(corpus, name);
        const outcome = await parseFile(file, DEFAULT_PARSE_LIMITS, true);
        const expected = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
        expect(outcome.ok && outcome.hash).toBe(expected);
        expect(await hashFile(file)).toMatchObject({ ok: true, hash: expected });
    });
});
