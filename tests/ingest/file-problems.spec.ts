import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { FileProblemService } from '../../extensions/archive-core/src/common/file-problem-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

/** Overwrites a file with other bytes of the same length and puts its mtime back: ingest sees it as unchanged. */
function replaceUnnoticed(file: string, bytes: Buffer): void {
    const before = fs.statSync(file);
    expect(bytes.length).toBe(before.size);
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, before.atime, before.mtime);
}

describe('failed and missing files', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container;
    let goodPng: Buffer;

    const ingester = () => container.get<ArchiveIngester>(ArchiveIngester);
    const problems = () => container.get<FileProblemService>(FileProblemService);
    const add = async () => ingester().finished(await ingester().start(art));

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, '작업 art');
        fs.mkdirSync(path.join(art, 'sub'), { recursive: true });
        goodPng = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } }).png().toBuffer();
        fs.writeFileSync(path.join(art, 'good.png'), goodPng);
        await sharp({ create: { width: 80, height: 40, channels: 3, background: '#aa6633' } }).jpeg().toFile(path.join(art, 'sub', 'photo.jpg'));
        fs.writeFileSync(path.join(art, 'notes.psd'), 'meeting notes, not a Photoshop document\n'.repeat(20));
        fs.writeFileSync(path.join(art, 'zero.png'), Buffer.alloc(0));
        // A PNG cut short that will later get its real bytes back, same size and mtime: only a retry reads it again.
        const half = Math.floor(goodPng.length / 2);
        fs.writeFileSync(path.join(art, 'sub', 'half.png'), Buffer.concat([goodPng.subarray(0, half), Buffer.alloc(goodPng.length - half)]));
        // A whole second: Node rounds a Stats date to the millisecond, so only such a time can be put back exactly.
        const wholeSecond = new Date('2026-01-01T00:00:00Z');
        fs.utimesSync(path.join(art, 'sub', 'half.png'), wholeSecond, wholeSecond);
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
    });

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('lists each failed file with its reason, by id and path below its folder', async () => {
        const first = await add();
        expect(first).toMatchObject({ state: 'done', indexed: 2, failed: 3, failedInFolder: 3, missingInFolder: 0 });

        const summary = await problems().summary();
        expect(summary).toMatchObject({ failed: 3, missing: 0 });
        expect(summary.roots).toHaveLength(1);
        expect(summary.roots[0]).toMatchObject({ rootId: first.rootId, failed: 3, missing: 0 });
        expect(summary.roots[0].label).toBe('작업 art');

        const page = await problems().list({ states: ['failed'] });
        expect(page.total).toBe(3);
        expect(page.problems.map(problem => [problem.location.relativePath, problem.code])).toEqual([
            ['notes.psd', 'unsupported-format'],
            ['sub/half.png', expect.stringMatching(/^(truncated|corrupt)$/)],
            ['zero.png', 'empty']
        ]);
        for (const problem of page.problems) {
            expect(problem).toMatchObject({ state: 'failed', location: { rootId: first.rootId, root: '작업 art' } });
            expect(problem.message!.length, problem.location.relativePath).toBeGreaterThan(10);
            expect(Number.isSafeInteger(problem.fileId)).toBe(true);
        }
        expect((await problems().list({ states: ['failed'], limit: 1, offset: 1 })).problems.map(problem => problem.location.relativePath)).toEqual(['sub/half.png']);
        expect((await problems().list({ rootId: first.rootId + 1000 })).total).toBe(0);
    });

    it('reads a malformed request over RPC as well as it can, and refuses a retry of something that is not a list of ids', async () => {
        const odd = { states: 'failed', rootId: 'one', limit: -5, offset: 'x' } as unknown as Parameters<FileProblemService['list']>[0];
        const page = await problems().list(odd);
        expect(page.total).toBe(3);
        expect(page.problems).toHaveLength(1);
        expect((await problems().list({ states: ['failed', 'nonsense' as 'failed'] })).total).toBe(3);
        await expect(problems().retryFailed('all' as unknown as number[])).rejects.toThrow('retryFailed takes a list of file ids.');
        expect(await problems().retryFailed([Number.NaN, -1, 1.5])).toEqual([]);
        expect((await problems().summary()).failed).toBe(3);
    });

    it('reports what still fails when the same folder is added again, and what went missing', async () => {
        const again = await add();
        expect(again).toMatchObject({ state: 'done', total: 0, indexed: 0, failed: 0, failedInFolder: 3, missingInFolder: 0 });

        fs.rmSync(path.join(art, 'sub', 'photo.jpg'));
        const afterDelete = await add();
        expect(afterDelete).toMatchObject({ failed: 0, failedInFolder: 3, missingInFolder: 1 });
        const missing = await problems().list({ states: ['missing'] });
        expect(missing.problems).toHaveLength(1);
        expect(missing.problems[0]).toMatchObject({ location: { relativePath: 'sub/photo.jpg' }, state: 'missing', code: undefined });
        expect(missing.problems[0].assetId).toBeGreaterThan(0);
        expect((await problems().list({})).total).toBe(4);
    });

    it('retries failed files in a run, even unchanged ones, and keeps the reason of those that fail again', async () => {
        replaceUnnoticed(path.join(art, 'sub', 'half.png'), goodPng);
        expect(await add()).toMatchObject({ total: 0, failedInFolder: 3 });

        const half = (await problems().list({ states: ['failed'] })).problems.find(problem => problem.location.relativePath === 'sub/half.png')!;
        const [runId, ...others] = await problems().retryFailed([half.fileId]);
        expect(others).toEqual([]);
        expect(await ingester().finished(runId)).toMatchObject({ state: 'done', total: 1, indexed: 1, failed: 0, failedInFolder: 2 });

        const runs = await problems().retryFailed();
        expect(runs).toHaveLength(1);
        expect(await ingester().finished(runs[0])).toMatchObject({ total: 2, indexed: 0, failed: 2, failedInFolder: 2 });
        expect((await problems().list({ states: ['failed'] })).problems.map(problem => [problem.location.relativePath, problem.code]))
            .toEqual([['notes.psd', 'unsupported-format'], ['zero.png', 'empty']]);
        expect(await problems().retryFailed([half.fileId])).toEqual([]);
    });

    it('leaves failed files failed, with their reason, when a retry is cancelled before reaching them', async () => {
        const [runId] = await problems().retryFailed();
        ingester().cancel(runId);
        expect(await ingester().finished(runId)).toMatchObject({ state: 'cancelled' });
        const failed = (await problems().list({ states: ['failed'] })).problems;
        expect(failed.map(problem => [problem.location.relativePath, problem.code])).toEqual([['notes.psd', 'unsupported-format'], ['zero.png', 'empty']]);
        expect((await problems().summary()).failed).toBe(2);
    });
});
