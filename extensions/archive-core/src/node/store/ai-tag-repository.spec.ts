import { Container } from '@theia/core/shared/inversify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnnotationService } from '../../common/annotation-protocol';
import { AssetDetailsService } from '../../common/asset-details-protocol';
import { SearchService } from '../../common/search-protocol';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { connectTestFrontend } from '../test/test-frontend-connection';
import { CurrentUser } from '../user/current-user';
import { AiTagRepository } from './ai-tag-repository';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { aiTagsOf, CaptionResult, writeCaptionResult } from './caption-store';
import { EditJournal } from './edit-journal';
import { TagRepository } from './tag-repository';
import { VectorIndexRepository } from './vector-index-repository';

/**
 * Decisions on AI tag suggestions over a real archive file: accepted ones
 * become user tags, rejected ones are remembered (also when the caption
 * phase writes the same tag again), both in bulk over a selection, and undo
 * takes either back.
 */
describe('AI tag suggestions', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let aiTags: AiTagRepository;
    let journal: EditJournal;
    let search: SearchService;

    async function write(action: (db: import('better-sqlite3').Database) => void): Promise<void> {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(action);
    }

    async function caption(assetId: number, result: CaptionResult): Promise<void> {
        await write(db => writeCaptionResult(db, assetId, result));
    }

    async function aiTagStates(assetId: number): Promise<string[]> {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        return aiTagsOf(database.reader, assetId).map(tag => `${tag.name}:${tag.state}`);
    }

    const total = async (text: string) => (await search.search({ text, limit: 1 })).total;
    const details = (assetId: number) => container.get<AssetDetailsService>(AssetDetailsService).details(assetId);

    beforeEach(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        aiTags = container.get(AiTagRepository);
        journal = container.get(EditJournal);
        search = container.get(SearchService);
        await write(db => {
            const now = new Date().toISOString();
            db.prepare('INSERT INTO roots (id, path, added_at) VALUES (1, ?, ?)').run('/art', now);
            for (let id = 1; id <= 4; id++) {
                const hash = id.toString(16).padStart(64, '0');
                db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, rating, registered_at) VALUES (?, ?, 'png', 10, 10, 0, ?)`).run(id, hash, now);
                db.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at) VALUES (1, ?, 1, 0, ?, ?, 'indexed', ?)`)
                    .run(`/art/image-${id}.png`, hash, id, now);
                refreshAssetText(db, id);
            }
        });
        await caption(1, { model: 'qwen-vl', captions: [{ language: 'en', text: 'A cat on a roof' }], tags: [{ name: 'cat', confidence: 0.9 }, { name: '지붕', confidence: 0.6 }] });
        await caption(2, { model: 'qwen-vl', captions: [{ language: 'en', text: 'A cat asleep' }], tags: [{ name: 'cat', confidence: 0.7 }, { name: 'sleep' }] });
        await caption(3, { model: 'qwen-vl', captions: [{ language: 'en', text: 'A dog' }], tags: [{ name: 'dog', confidence: 0.8 }] });
    });

    afterEach(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('lists the pending suggestions over a selection, most confident first, with how many images each is suggested for', async () => {
        expect(await aiTags.suggestions([1, 2, 4])).toEqual([
            { name: 'cat', assetCount: 2, confidence: 0.9 },
            { name: '지붕', assetCount: 1, confidence: 0.6 },
            { name: 'sleep', assetCount: 1, confidence: undefined }
        ]);
        // A tag that is a user tag of the asset already is not suggested for it.
        await container.get<TagRepository>(TagRepository).addTags([2], ['cat'], { author: 'mina' });
        expect(await aiTags.suggestions([2])).toEqual([{ name: 'sleep', assetCount: 1, confidence: undefined }]);
        expect(await aiTags.suggestions([4])).toEqual([]);
    });

    it('accepts a suggestion in bulk: it becomes a user tag on every image it was suggested for, and undo makes it a suggestion again', async () => {
        const outcome = await aiTags.accept([1, 2, 3, 4], ['CAT'], 'mina');
        // Suggested for 1 and 2 only: 3 and 4 get nothing.
        expect(outcome.changed).toBe(2);
        expect(outcome.record).toMatchObject({ kind: 'ai-tags-accepted', author: 'mina', assetIds: [1, 2], tags: ['cat'] });
        // The viewer's tags are the user's: the accepted one is there, the pending ones are suggestions.
        expect((await details(1))?.tags).toEqual(['cat']);
        expect((await details(3))?.tags).toEqual([]);
        expect(await aiTagStates(1)).toEqual(['cat:accepted', '지붕:suggested']);
        expect(await aiTags.suggestions([1, 2])).toEqual([{ name: '지붕', assetCount: 1, confidence: 0.6 }, { name: 'sleep', assetCount: 1, confidence: undefined }]);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare("SELECT count(*) FROM asset_tags WHERE source = 'user'").pluck().get()).toBe(2);

        const undone = await journal.undo('mina');
        expect(undone).toMatchObject({ kind: 'ai-tags-accepted', assetIds: [1, 2], tags: ['cat'] });
        expect(await aiTagStates(1)).toEqual(['cat:suggested', '지붕:suggested']);
        expect(database.reader.prepare("SELECT count(*) FROM asset_tags WHERE source = 'user'").pluck().get()).toBe(0);
        expect((await aiTags.suggestions([1, 2]))[0]).toEqual({ name: 'cat', assetCount: 2, confidence: 0.9 });
        // Deciding again what is decided changes nothing and journals nothing.
        await aiTags.accept([1], ['cat'], 'mina');
        expect((await aiTags.accept([1], ['cat'], 'mina'))).toEqual({ changed: 0, record: undefined });
    });

    it('remembers a rejection: the tag leaves the searchable tags, and a new caption result with the same tag does not bring it back', async () => {
        expect(await total('tag:cat')).toBe(2);
        const outcome = await aiTags.reject([1, 2], ['cat', 'sleep'], 'joon');
        expect(outcome.changed).toBe(3);
        expect(outcome.record).toMatchObject({ kind: 'ai-tags-rejected', assetIds: [1, 2], tags: ['cat', 'sleep'] });
        expect(await total('tag:cat')).toBe(0);
        expect(await total('tag:sleep')).toBe(0);
        // The caption still names a cat: the words of captions stay searchable.
        expect(await total('cat')).toBe(2);
        expect(await aiTagStates(1)).toEqual(['cat:rejected', '지붕:suggested']);
        expect(await aiTags.suggestions([1, 2])).toEqual([{ name: '지붕', assetCount: 1, confidence: 0.6 }]);
        // Autocomplete no longer offers the rejected tag ('cat' stays: the captions say it).
        expect(await search.suggest('sl')).not.toContain('sleep');
        expect(await search.suggest('ca')).toContain('cat');

        // Undo: pending again and searchable again.
        expect((await journal.undo('joon'))?.kind).toBe('ai-tags-rejected');
        expect(await total('tag:cat')).toBe(2);
        expect((await aiTags.suggestions([1, 2])).map(tag => tag.name)).toEqual(['cat', '지붕', 'sleep']);

        await aiTags.reject([1, 2, 3], ['cat'], 'joon');
        // The caption phase runs again (another model, the same tag): the rejection holds.
        await caption(1, { model: 'qwen-vl-2', captions: [{ language: 'en', text: 'A grey cat on a roof' }], tags: [{ name: 'Cat', confidence: 0.99 }, { name: 'grey' }] });
        expect(await aiTags.suggestions([1])).toEqual([{ name: 'grey', assetCount: 1, confidence: undefined }]);
        expect(await total('tag:cat')).toBe(0);
        expect(await total('tag:grey')).toBe(1);
        expect((await details(1))?.ai?.aiTags.map(tag => `${tag.name}:${tag.state}`)).toEqual(['grey:suggested']);
    });

    it('serves suggestions and decisions through the annotation service as the signed-in author, whose undo takes them back', async () => {
        container.rebind(CurrentUser).toConstantValue({ name: 'desk-user' });
        const service = connectTestFrontend(container).container.get<AnnotationService>(AnnotationService);
        expect((await service.aiTagSuggestions([1, 2, 3])).map(tag => [tag.name, tag.assetCount])).toEqual([['cat', 2], ['dog', 1], ['지붕', 1], ['sleep', 1]]);
        // "Accept all" over the selection.
        expect((await service.acceptAiTags([1, 2, 3], ['cat', 'dog', '지붕', 'sleep'])).changed).toBe(5);
        expect(await service.aiTagSuggestions([1, 2, 3])).toEqual([]);
        expect((await details(2))?.tags).toEqual(['cat', 'sleep']);
        expect(await service.lastEdit()).toMatchObject({ kind: 'ai-tags-accepted', author: 'desk-user' });
        expect((await service.undo())?.kind).toBe('ai-tags-accepted');
        // "Reject all".
        expect((await service.rejectAiTags([1, 2, 3], ['cat', 'dog', '지붕', 'sleep'])).changed).toBe(5);
        expect(await total('tag:지붕')).toBe(0);
        await expect(service.acceptAiTags([0], ['cat'])).rejects.toThrow(/positive whole numbers/);
        await expect(service.rejectAiTags([1], [42 as unknown as string])).rejects.toThrow(/strings/);
    });

    it('shows the viewer the captions, AI tags with confidence and state, OCR text and the models behind them', async () => {
        await write(db => db.prepare(`INSERT INTO asset_ocr (asset_id, model, text, line_count, recognized_at) VALUES (1, 'tesseract-kor+eng', '고양이 카페', 1, ?)`)
            .run(new Date().toISOString()));
        await aiTags.reject([1], ['지붕'], 'mina');
        const vectors = container.get<VectorIndexRepository>(VectorIndexRepository);
        // The old image model still serves V while the new one's index fills: the asset has vectors of both.
        const oldVisual = await vectors.ensureIndex('visual', 'clip-old', 3);
        const newVisual = await vectors.ensureIndex('visual', 'siglip-new', 3);
        const meaning = await vectors.ensureIndex('meaning', 'e5-small', 3);
        await vectors.put(oldVisual, 1, new Float32Array([1, 0, 0]));
        await vectors.put(newVisual, 1, new Float32Array([0, 1, 0]));
        await vectors.put(newVisual, 2, new Float32Array([0, 1, 0]));
        await vectors.put(meaning, 1, new Float32Array([0, 0, 1]));
        await write(db => db.prepare("INSERT INTO axis_serving (axis, model, since) VALUES ('visual', 'clip-old', ?)").run(new Date().toISOString()));
        expect((await details(1))?.ai).toMatchObject({ visualModel: 'clip-old', meaningModel: 'e5-small' });
        expect((await details(2))?.ai).toMatchObject({ visualModel: 'siglip-new' });
        expect((await details(2))?.ai?.meaningModel).toBeUndefined();
        expect((await details(1))?.ai).toMatchObject({
            captions: [{ language: 'en', text: 'A cat on a roof', model: 'qwen-vl' }],
            aiTags: [{ name: 'cat', confidence: 0.9, model: 'qwen-vl', state: 'suggested' }, { name: '지붕', confidence: 0.6, model: 'qwen-vl', state: 'rejected' }],
            ocr: { model: 'tesseract-kor+eng', text: '고양이 카페' }
        });
        expect((await details(4))?.ai).toBeUndefined();
    });
});
