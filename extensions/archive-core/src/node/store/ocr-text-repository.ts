import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { prepared } from './database';

/** What the OCR phase reads for one asset: a file that carries it now, its kind, and its text layers' text (PSDs). */
export interface OcrSource {
    readonly assetId: number;
    readonly contentHash: string;
    readonly kind: string;
    readonly file: string;
    readonly layerTexts: readonly string[];
}

/** What the OCR phase read in one asset's image, as it is stored. */
export interface OcrText {
    /** The model that read it (results are keyed by it). */
    readonly model: string;
    /** The lines read, one per line, without the ones a text layer already holds. */
    readonly text: string;
    readonly lineCount: number;
    /** Lines dropped because a text layer of the PSD holds the same text (indexed already). */
    readonly droppedLayerLines: number;
    readonly readWidth?: number;
    readonly readHeight?: number;
}

export namespace OcrText {
    /** Whether a stored or reused phase result has this shape. */
    export function is(value: unknown): value is OcrText {
        const text = value as OcrText | undefined;
        return !!text && typeof text.model === 'string' && typeof text.text === 'string'
            && Number.isInteger(text.lineCount) && Number.isInteger(text.droppedLayerLines);
    }
}

/**
 * Writes an asset's OCR text and refreshes its full-text rows, so `ocr:` and
 * plain words find it. Runs inside the caller's write transaction (the one
 * completing the OCR job); writing the same text twice changes nothing.
 */
export function writeOcrText(db: Database, assetId: number, text: OcrText): void {
    const existing = prepared(db, 'SELECT model, text FROM asset_ocr WHERE asset_id = ?').get(assetId) as { model: string; text: string } | undefined;
    if (existing && existing.model === text.model && existing.text === text.text) {
        return;
    }
    if (!prepared(db, 'SELECT 1 FROM assets WHERE id = ?').get(assetId)) {
        return;
    }
    prepared(db, `INSERT INTO asset_ocr (asset_id, model, text, line_count, dropped_layer_lines, read_width, read_height, recognized_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (asset_id) DO UPDATE SET model = excluded.model, text = excluded.text, line_count = excluded.line_count,
            dropped_layer_lines = excluded.dropped_layer_lines, read_width = excluded.read_width, read_height = excluded.read_height,
            recognized_at = excluded.recognized_at`)
        .run(assetId, text.model, text.text, text.lineCount, text.droppedLayerLines, text.readWidth ?? null, text.readHeight ?? null, new Date().toISOString());
    refreshAssetText(db, assetId);
}

export const OcrTextRepository = Symbol('OcrTextRepository');

/** The OCR phase's reads of the store; its writes go through {@link writeOcrText} in the job's transaction. */
export interface OcrTextRepository {
    /** The file to read for an asset, or undefined when no file carries it now. */
    source(assetId: number): Promise<OcrSource | undefined>;
    /** The text stored for an asset, if it was read. */
    text(assetId: number): Promise<OcrText | undefined>;
}

@injectable()
export class SqliteOcrTextRepository implements OcrTextRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async source(assetId: number): Promise<OcrSource | undefined> {
        const { database } = await this.store.open();
        const db = database.reader;
        const row = prepared(db, `SELECT a.id, a.content_hash, a.kind,
                (SELECT f.path FROM files f WHERE f.asset_id = a.id AND f.state != 'missing' ORDER BY f.state != 'indexed', f.id LIMIT 1) AS path
            FROM assets a WHERE a.id = ?`).get(assetId) as { id: number; content_hash: string; kind: string; path: string | null } | undefined;
        if (!row?.path) {
            return undefined;
        }
        const layerTexts = prepared(db, "SELECT text FROM layers WHERE asset_id = ? AND text IS NOT NULL AND text != '' ORDER BY idx")
            .pluck().all(assetId) as string[];
        return { assetId: row.id, contentHash: row.content_hash, kind: row.kind, file: row.path, layerTexts };
    }

    async text(assetId: number): Promise<OcrText | undefined> {
        const { database } = await this.store.open();
        const row = prepared(database.reader, 'SELECT model, text, line_count, dropped_layer_lines, read_width, read_height FROM asset_ocr WHERE asset_id = ?')
            .get(assetId) as { model: string; text: string; line_count: number; dropped_layer_lines: number; read_width: number | null; read_height: number | null } | undefined;
        return row && {
            model: row.model, text: row.text, lineCount: row.line_count, droppedLayerLines: row.dropped_layer_lines,
            readWidth: row.read_width ?? undefined, readHeight: row.read_height ?? undefined
        };
    }
}
