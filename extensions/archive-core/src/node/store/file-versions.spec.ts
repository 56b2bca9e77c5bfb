import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnnotationService } from '../../common/annotation-protocol';
import { AssetDetailsService } from '../../common/asset-details-protocol';
import type { ParsedAsset } from '../ingest/parse-result';
import { VISUAL_DESCRIPTOR_DIMENSIONS } from '../ingest/visual-descriptor';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { connectTestFrontend } from '../test/test-frontend-connection';
import { ArchiveStore } from './archive-store';
import { ArchiveDatabase } from './database';
import { RunRecord, SqliteIngestRepository } from './ingest-repository';
import { ARCHIVE_MIGRATIONS } from './migrations';

/** What a parser would answer for a small PNG; the bytes are not read back here. */
function parsed(seed: number): ParsedAsset {
    return {
        kind: 'png', width: 10, height: 10, colorMode: 'srgb', bitDepth: 8, hasAlpha: false, layers: [],
        thumbnail: new Uint8Array([seed]), preview: new Uint8Array([seed]),
        descriptor: Array.from({ length: VISUAL_DESCRIPTOR_DIMENSIONS }, (_, i) => ((i + seed) % 7) / 7),
        phash: seed.toString(16).padStart(16, '0')
    };
}

const hash = (seed: number) => seed.toString(16).padStart(64, '0');
const media = { thumbnailHash: 'a'.repeat(64), previewHash: 'b'.repeat(64) };

/**
 * The versions store over a real archive file: what happens to annotations
 * when one of two files holding the same content changes (a fork: both keep
 * them), then the other one too (no comment twice), and what an archive
 * indexed before versions existed gets when it is migrated.
 */
describe('file versions in the store', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let database: ArchiveDatabase;
    let ingest: SqliteIngestRepository;
    let annotations: AnnotationService;
    let run: RunRecord;
    let mtime = 1_000;

    /** Discovery saw these files changed; each becomes pending in the run. */
    const changed = (...files: string[]) => ingest.recordDiscovery(run, files.map(file => ({ path: file, size: 100, mtimeMs: mtime++ })));
    const fileId = (file: string) => database.reader.prepare('SELECT id FROM files WHERE path = ?').pluck().get(file) as number;
    const assetOf = (file: string) => database.reader.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(file) as number;
    const superseded = (assetId: number) => database.reader.prepare('SELECT superseded FROM assets WHERE id = ?').pluck().get(assetId);

    beforeEach(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        ({ database } = await container.get<ArchiveStore>(ArchiveStore).open());
        ingest = new SqliteIngestRepository(database);
        annotations = connectTestFrontend(container).container.get(AnnotationService);
        run = ingest.startRun('/art');
    });
    afterEach(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('forks the annotations when a copy still holds the old content, and never carries a comment twice', async () => {
        const [a, b] = ['/art/a.png', '/art/b.png'];
        changed(a, b);
        const first = ingest.storeParsed(fileId(a), hash(1), parsed(1), media);
        ingest.linkExisting(fileId(b), first, hash(1));
        await annotations.addTags([first], ['keep']);
        await annotations.setRating([first], 3);
        await annotations.addComment(first, 'shared note');

        // a changes: b still holds the first content, so a's new content gets copies.
        changed(a);
        const second = ingest.storeParsed(fileId(a), hash(2), parsed(2), media);
        expect(superseded(first)).toBe(0);
        expect(await annotations.tagsOf(first)).toEqual(['keep']);
        expect(await annotations.tagsOf(second)).toEqual(['keep']);
        expect((await annotations.comments(first)).map(comment => comment.body)).toEqual(['shared note']);
        expect((await annotations.comments(second)).map(comment => comment.body)).toEqual(['shared note']);
        expect(await annotations.comments(second).then(list => list[0].revisions.length)).toBe(1);

        // b gets the same new content: the first content is now only an earlier version, and the note is on the new one once.
        changed(b);
        ingest.linkExisting(fileId(b), second, hash(2));
        expect(superseded(first)).toBe(1);
        expect((await annotations.comments(second)).map(comment => comment.body)).toEqual(['shared note']);
        expect(await annotations.tagsOf(first)).toEqual([]);
        expect(database.reader.prepare('SELECT rating FROM assets WHERE id = ?').pluck().get(second)).toBe(3);
        const versions = await container.get<AssetDetailsService>(AssetDetailsService).versions(first);
        expect(versions!.versions.map(version => [version.assetId, version.current])).toEqual([[second, true], [first, false]]);
        expect(database.reader.pragma('foreign_key_check')).toEqual([]);
    });

    /** a.png tagged 'mine' and b.png tagged 'theirs', each with its own content; then both change on disk (one discovery). */
    const twoTaggedFiles = async () => {
        const [a, b] = ['/art/a.png', '/art/b.png'];
        changed(a, b);
        const first = ingest.storeParsed(fileId(a), hash(1), parsed(1), media);
        const second = ingest.storeParsed(fileId(b), hash(2), parsed(2), media);
        await annotations.addTags([first], ['mine']);
        await annotations.addTags([second], ['theirs']);
        changed(a, b);
        return { a, b, first, second };
    };

    for (const order of ['in file order', 'in reverse order']) {
        it(`keeps each content's annotations when two files swap contents, linked ${order}`, async () => {
            const { a, b, first, second } = await twoTaggedFiles();
            const steps = [() => ingest.linkExisting(fileId(a), second, hash(2)), () => ingest.linkExisting(fileId(b), first, hash(1))];
            (order === 'in file order' ? steps : steps.reverse()).forEach(step => step());
            expect([assetOf(a), assetOf(b)]).toEqual([second, first]);
            expect(await annotations.tagsOf(first)).toEqual(['mine']);
            expect(await annotations.tagsOf(second)).toEqual(['theirs']);
            expect(database.reader.prepare('SELECT carried FROM file_versions WHERE replaced_at IS NOT NULL').pluck().all()).toEqual(['kept', 'kept']);
        });

        it(`mixes no annotations when a file gets a copy of another file that is edited in the same run, stored ${order}`, async () => {
            const { a, b, first, second } = await twoTaggedFiles();
            const steps = [() => ingest.linkExisting(fileId(a), second, hash(2)), () => ingest.storeParsed(fileId(b), hash(3), parsed(3), media)];
            (order === 'in file order' ? steps : steps.reverse()).forEach(step => step());
            expect(await annotations.tagsOf(assetOf(b))).toEqual(['theirs']);
            const seen = await Promise.all([first, second, assetOf(b)].map(asset => annotations.tagsOf(asset)));
            expect(seen.filter(tags => tags.includes('mine') && tags.includes('theirs'))).toEqual([]);
            expect(seen.flat()).toContain('mine');
        });
    }

    it('keeps one version per content while a file is only touched', () => {
        const a = '/art/a.png';
        changed(a);
        const asset = ingest.storeParsed(fileId(a), hash(1), parsed(1), media);
        changed(a);
        ingest.linkExisting(fileId(a), asset, hash(1));
        expect(database.reader.prepare('SELECT asset_id, mtime_ms, replaced_at FROM file_versions').all())
            .toEqual([{ asset_id: assetOf(a), mtime_ms: mtime - 1, replaced_at: null }]);
    });

    it('gives the files of an archive indexed before versions existed their current content as first version', () => {
        const file = path.join(temp.folder, 'old', 'archive.sqlite');
        const old = ArchiveDatabase.open(file, { migrations: ARCHIVE_MIGRATIONS.slice(0, 6) });
        old.write(db => {
            db.prepare("INSERT INTO roots (id, path, added_at) VALUES (1, '/art', 'then')").run();
            db.prepare(`INSERT INTO assets (id, content_hash, kind, registered_at) VALUES (1, ?, 'png', 'then')`).run(hash(1));
            db.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at)
                VALUES (1, '/art/a.png', 5, 7, ?, 1, 'indexed', 'then'), (1, '/art/b.png', 5, 7, NULL, NULL, 'failed', 'then')`).run(hash(1));
        });
        old.close();
        const migrated = ArchiveDatabase.open(file);
        try {
            expect(migrated.reader.prepare('SELECT file_id, asset_id, content_hash, size, mtime_ms, first_seen_at, replaced_at FROM file_versions').all())
                .toEqual([{ file_id: 1, asset_id: 1, content_hash: hash(1), size: 5, mtime_ms: 7, first_seen_at: 'then', replaced_at: null }]);
        } finally {
            migrated.close();
        }
    });
});
