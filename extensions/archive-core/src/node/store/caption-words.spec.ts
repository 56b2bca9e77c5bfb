import { Container } from '@theia/core/shared/inversify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SearchService } from '../../common/search-protocol';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { captionWordsOf, stemOf } from './caption-words';
import { writeCaptionResult } from './caption-store';
import { TagRepository } from './tag-repository';
import * as path from 'path';
import { ArchiveDatabase } from './database';
import { ARCHIVE_MIGRATIONS } from './migrations';

describe('caption words', () => {
    it('splits English and Korean captions into words, without stop words and with Korean particles stemmed', () => {
        expect(captionWordsOf("A kitten's nap on the Sofa, 2 cats").map(word => word.word)).toEqual(['kitten', 'nap', 'sofa', 'cats']);
        expect(captionWordsOf('고양이가 소파에서 잠을 잔다').map(({ word, stem }) => `${word}>${stem}`))
            .toEqual(['고양이가>고양이', '소파에서>소파', '잠을>잠을', '잔다>잔다']);
        // A particle is only cut where it can follow the syllable before it, and two syllables stay.
        expect(['하늘을', '바다를', '사진가', '작가', '고양이', '그림과', '바다와'].map(stemOf)).toEqual(['하늘', '바다', '사진가', '작가', '고양이', '그림', '바다']);
    });
});

/**
 * The search box's autocomplete over a real archive: tags, layer names and
 * the words of AI captions, in Korean and English, most used first.
 */
describe('autocomplete from tags and caption words', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let search: SearchService;

    beforeEach(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        search = container.get(SearchService);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const captions = [
            ['A kitten asleep on a red sofa', '빨간 소파 위에서 자는 고양이'],
            ['Two kittens playing', '고양이가 노는 모습'],
            ['A kite over the sea', '바다 위의 연'],
            ['An old superseded kitchen', '부엌']
        ];
        database.write(db => {
            const now = new Date().toISOString();
            db.prepare('INSERT INTO roots (id, path, added_at) VALUES (1, ?, ?)').run('/art', now);
            captions.forEach(([en, ko], index) => {
                const id = index + 1;
                const hash = id.toString(16).padStart(64, '0');
                db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, rating, registered_at, superseded) VALUES (?, ?, 'png', 10, 10, 0, ?, ?)`)
                    .run(id, hash, now, id === 4 ? 1 : 0);
                db.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at) VALUES (1, ?, 1, 0, ?, ?, 'indexed', ?)`)
                    .run(`/art/image-${id}.png`, hash, id, now);
                refreshAssetText(db, id);
                writeCaptionResult(db, id, { model: 'qwen-vl', captions: [{ language: 'en', text: en }, { language: 'ko', text: ko }], tags: [] });
            });
        });
        await container.get<TagRepository>(TagRepository).addTags([3], ['kite-surfing', '바다풍경'], { author: 'mina' });
    });

    afterEach(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('completes English words from captions and tags, most used first; an earlier version\'s words are not offered', async () => {
        expect(await search.suggest('kit')).toEqual(['kite', 'kite-surfing', 'kitten', 'kittens']);
        expect(await search.suggest('Kitt')).toEqual(['kitten', 'kittens']);
        expect(await search.suggest('kitch')).toEqual([]);
        expect(await search.suggest('sofa')).toEqual(['sofa']);
    });

    it('completes Korean words as the word, not with its particle', async () => {
        // "고양이가" and "고양이" are one word: offered once, without the particle.
        expect(await search.suggest('고양')).toEqual(['고양이']);
        expect(await search.suggest('바다')).toEqual(['바다', '바다풍경']);
        expect(await search.suggest('빨')).toEqual(['빨간']);
        expect(await search.suggest('부엌')).toEqual([]);
    });

    it('follows new captions: the words of a caption written again replace the old ones', async () => {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => writeCaptionResult(db, 3, { model: 'qwen-vl', captions: [{ language: 'en', text: 'A lighthouse' }], tags: [] }));
        expect(await search.suggest('kite')).toEqual(['kite-surfing']);
        expect(await search.suggest('light')).toEqual(['lighthouse']);
    });
});

describe('upgrading an archive with AI results', () => {
    it('keeps the edit journal and fills the caption words from the captions stored before', () => {
        const temp = makeTempFolder();
        const file = path.join(temp.folder, 'archive.sqlite');
        try {
            const before = ArchiveDatabase.open(file, { migrations: ARCHIVE_MIGRATIONS.filter(migration => migration.version <= 16) });
            before.write(db => {
                const now = new Date().toISOString();
                db.prepare(`INSERT INTO assets (id, content_hash, kind, registered_at) VALUES (1, ?, 'png', ?)`).run('a'.repeat(64), now);
                db.prepare(`INSERT INTO asset_captions (asset_id, language, model, text, created_at) VALUES (1, 'ko', 'qwen-vl', '고양이가 창가에서 잔다', ?)`).run(now);
                db.prepare(`INSERT INTO edit_journal (kind, author, changes, made_at) VALUES ('rating', 'mina', '{"rating":3,"before":[[1,0]]}', ?)`).run(now);
            });
            before.close();
            const after = ArchiveDatabase.open(file);
            try {
                expect(after.reader.prepare('SELECT word, stem FROM caption_words WHERE asset_id = 1 ORDER BY word').all())
                    .toEqual([{ word: '고양이가', stem: '고양이' }, { word: '잔다', stem: '잔다' }, { word: '창가에서', stem: '창가' }]);
                expect(after.reader.prepare('SELECT kind, author FROM edit_journal').all()).toEqual([{ kind: 'rating', author: 'mina' }]);
                after.write(db => db.prepare(`INSERT INTO edit_journal (kind, author, changes, made_at) VALUES ('ai-tags-rejected', 'mina', '{"links":[]}', ?)`)
                    .run(new Date().toISOString()));
            } finally {
                after.close();
            }
        } finally {
            temp.remove();
        }
    });
});
