/**
 * A synthetic archive for the search benchmark, written through the real
 * store (migrations, FTS tables, vec0): N assets with clustered 1152-d
 * vectors (a mixture of Gaussian clusters), file paths, layer names and text
 * drawn from a Zipf-like vocabulary of Korean and English words.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ArchiveDatabase } from '@imageparser/archive-core/lib/node/store/database';
import { ARCHIVE_MIGRATIONS } from '@imageparser/archive-core/lib/node/store/migrations';
import { createVectorIndex } from '@imageparser/archive-core/lib/node/store/vector-index-repository';
import { toGrams } from '@imageparser/archive-core/lib/node/store/text-grams';
import { Random } from '../ingest/fixtures';

const KOREAN = ['배경', '캐릭터', '고양이', '하늘', '숲', '도시', '야경', '바다', '산', '얼굴', '손', '눈', '머리', '옷', '무기', '갑옷', '성', '마을',
    '나무', '꽃', '구름', '불꽃', '물결', '빛', '그림자', '스케치', '채색', '선화', '완성', '수정', '최종', '효과', '배너', '아이콘', '버튼', '로고', '표지',
    '일러스트', '컨셉', '포즈', '표정', '전신', '상반신', '소품', '몬스터', '용', '기사', '마법사', '전사', '궁수', '정령', '요정', '사막', '설원', '동굴',
    '던전', '왕국', '전투', '축제', '겨울', '여름', '봄', '가을', '새벽', '노을', '달빛', '별', '우주', '기계', '로봇', '자동차', '비행선', '기차', '다리'];
const ENGLISH = ['background', 'character', 'cat', 'sky', 'forest', 'city', 'night', 'sea', 'mountain', 'face', 'hand', 'eye', 'hair', 'outfit', 'weapon',
    'armor', 'castle', 'village', 'tree', 'flower', 'cloud', 'fire', 'water', 'light', 'shadow', 'sketch', 'color', 'lineart', 'final', 'fix', 'effect',
    'banner', 'icon', 'button', 'logo', 'cover', 'illustration', 'concept', 'pose', 'expression', 'fullbody', 'bust', 'prop', 'monster', 'dragon',
    'knight', 'wizard', 'warrior', 'archer', 'spirit', 'fairy', 'desert', 'snow', 'cave', 'dungeon', 'kingdom', 'battle', 'festival', 'winter', 'summer',
    'spring', 'autumn', 'dawn', 'sunset', 'moonlight', 'star', 'space', 'machine', 'robot', 'car', 'airship', 'train', 'bridge', 'layer', 'group'];

/** ~5,000 words: the base words, Korean compounds, and numbered English variants. */
export function vocabulary(): string[] {
    const words = [...KOREAN, ...ENGLISH];
    for (const a of KOREAN) {
        for (const b of KOREAN.slice(0, 30)) {
            if (a !== b) {
                words.push(a + b);
            }
        }
    }
    for (const word of ENGLISH) {
        for (let n = 1; n <= 20; n++) {
            words.push(`${word}${n}`);
        }
    }
    return words;
}

/** Draws word indexes with probability ~ 1 / (rank + 2)^1.05 (Zipf-like). */
export class ZipfSampler {
    protected readonly cumulative: Float64Array;

    constructor(size: number, protected readonly random: Random) {
        this.cumulative = new Float64Array(size);
        let sum = 0;
        for (let i = 0; i < size; i++) {
            sum += 1 / Math.pow(i + 2, 1.05);
            this.cumulative[i] = sum;
        }
        for (let i = 0; i < size; i++) {
            this.cumulative[i] /= sum;
        }
    }

    next(): number {
        const target = this.random.next();
        let low = 0, high = this.cumulative.length - 1;
        while (low < high) {
            const middle = (low + high) >> 1;
            if (this.cumulative[middle] < target) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}

/** A standard normal sample (Box-Muller). */
export function gaussian(random: Random): number {
    return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

export interface SyntheticArchive {
    readonly folder: string;
    readonly index: string;
    readonly assets: number;
    readonly dimensions: number;
}

export const BENCH_MODEL = 'bench-clustered-1152';

/** Cluster centers are shared by the archive and the bench's queries. */
export function clusterCenters(count: number, dimensions: number): Float32Array[] {
    const random = new Random(1234);
    return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, () => 0.3 + gaussian(random)));
}

/** A vector near a cluster center: the center plus isotropic noise. */
export function sampleNear(center: Float32Array, random: Random, spread: number): Float32Array {
    return Float32Array.from(center, value => value + spread * gaussian(random));
}

export async function ensureSyntheticArchive(folder: string, assets: number, dimensions: number, clusters: number,
    log: (line: string) => void): Promise<SyntheticArchive> {
    const stamp = path.join(folder, '.recipe');
    const recipe = `v2 ${assets} ${dimensions} ${clusters}`;
    const database = path.join(folder, 'archive.sqlite');
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === recipe) {
        return { folder, index: `vec_visual_${BENCH_MODEL.replace(/[^a-z0-9]+/g, '_')}`, assets, dimensions };
    }
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    const db = ArchiveDatabase.open(database, { migrations: ARCHIVE_MIGRATIONS });
    const started = Date.now();
    try {
        const index = db.write(writer => createVectorIndex(writer, 'visual', BENCH_MODEL, dimensions));
        const random = new Random(99);
        const words = vocabulary();
        const zipf = new ZipfSampler(words.length, random);
        const word = () => words[zipf.next()];
        const centers = clusterCenters(clusters, dimensions);
        const kinds = ['psd', 'png', 'jpeg', 'psd', 'psd'];
        const batch = 5000;
        const day = 86_400_000;
        db.write(writer => writer.prepare('INSERT INTO roots (path, added_at) VALUES (?, ?)').run('/bench', new Date().toISOString()));
        for (let start = 1; start <= assets; start += batch) {
            db.write(writer => {
                const asset = writer.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, layer_count, rating, registered_at, phash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
                const file = writer.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, state, asset_id, content_hash, updated_at)
                    VALUES (1, ?, ?, ?, 'indexed', ?, ?, ?)`);
                const text = writer.prepare('INSERT INTO asset_text (rowid, name, path, layers, text, tags) VALUES (?, ?, ?, ?, ?, ?)');
                const grams = writer.prepare('INSERT INTO asset_grams (rowid, name, path, layers, text, tags) VALUES (?, ?, ?, ?, ?, ?)');
                const vector = writer.prepare(`INSERT INTO ${index} (asset_id, embedding) VALUES (?, ?)`);
                for (let id = start; id < Math.min(start + batch, assets + 1); id++) {
                    const kind = kinds[id % kinds.length];
                    const layers = kind === 'psd' ? 3 + (id % 27) : 0;
                    const name = `${word()}_${word()}_${id}.${kind === 'jpeg' ? 'jpg' : kind}`;
                    const filePath = `/bench/${word()}/${word()}/${name}`;
                    const layerNames = Array.from({ length: Math.min(layers, 12) }, () => `${word()} ${word()}`).join('\n');
                    const layerText = layers && id % 4 === 0 ? `${word()} ${word()} ${word()}` : '';
                    const registered = new Date(Date.UTC(2024, 0, 1) + (id % 700) * day).toISOString();
                    const hash = id.toString(16).padStart(64, '0');
                    asset.run(id, hash, kind, 1000 + (id % 3000), 800 + (id % 2000), layers, id % 6, registered, (BigInt(id) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn).toString(16).padStart(16, '0'));
                    file.run(filePath, 1000 + id, Date.UTC(2024, 0, 1) + (id % 900) * day, id, hash, registered);
                    text.run(id, name, filePath, layerNames, layerText, '');
                    grams.run(id, toGrams(name), toGrams(filePath), toGrams(layerNames), toGrams(layerText), '');
                    const embedding = sampleNear(centers[Math.floor(random.next() * clusters)], random, 0.6);
                    vector.run(BigInt(id), Buffer.from(embedding.buffer));
                }
            });
            if ((start - 1) % 100_000 === 0) {
                log(`  ${Math.min(start + batch - 1, assets).toLocaleString('en-US')} of ${assets.toLocaleString('en-US')} assets written in ${Math.round((Date.now() - started) / 1000)} s`);
            }
        }
        db.writer.pragma('wal_checkpoint(TRUNCATE)');
        fs.writeFileSync(stamp, recipe);
        return { folder, index, assets, dimensions };
    } finally {
        db.close();
    }
}
