import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import type { AssetAiDetails } from '../../common/ai-protocol';
import type { AssetDetails, AssetDetailsService, AssetLayerDetails, FileVersions } from '../../common/asset-details-protocol';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';
import { aiTagsOf, captionsOf } from './caption-store';
import { FileVersionRepository } from './file-version-repository';
import { assetLocation, StoredFilePath, withoutPaths } from './asset-locations';

/** Reads an asset's metadata, files, layers, tags, phase states and versions for the viewer's panels. */
@injectable()
export class SqliteAssetDetailsRepository implements AssetDetailsService {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(FileVersionRepository)
    protected readonly fileVersions: FileVersionRepository;

    versions(assetId: number): Promise<FileVersions | undefined> {
        return this.fileVersions.versionsOf(assetId);
    }

    async details(assetId: number): Promise<AssetDetails | undefined> {
        const { database } = await this.store.open();
        const db = database.reader;
        const asset = prepared(db, `SELECT id, content_hash, kind, width, height, color_mode, color_space, bit_depth, dpi, has_alpha, icc_profile,
                orientation, captured_at, camera, software, rating, registered_at, notes, superseded FROM assets WHERE id = ?`).get(assetId) as Record<string, unknown> | undefined;
        if (!asset) {
            return undefined;
        }
        const files = prepared(db, `SELECT f.id, f.path, f.root_id, r.path AS root, f.size, f.mtime_ms, f.state, f.error_code, f.error, f.updated_at
                FROM files f LEFT JOIN roots r ON r.id = f.root_id WHERE f.asset_id = ? ORDER BY f.state = 'missing', f.id`)
            .all(assetId) as FileRow[];
        const layers = prepared(db, `SELECT idx, parent_idx, depth, name, kind, visible, opacity, blend_mode, clipping, top, left, bottom, right, text
                FROM layers WHERE asset_id = ? ORDER BY idx`).all(assetId) as LayerRow[];
        const phases = prepared(db, 'SELECT phase, state, error, updated_at FROM phase_states WHERE asset_id = ? ORDER BY phase')
            .all(assetId) as { phase: string; state: string; error: string | null; updated_at: string }[];
        // The user's tags: AI tags waiting for a decision are suggestions (in `ai`), not tags yet.
        const tags = prepared(db, "SELECT DISTINCT t.name FROM asset_tags x JOIN tags t ON t.id = x.tag_id WHERE x.asset_id = ? AND x.source = 'user' ORDER BY t.name").pluck().all(assetId) as string[];
        const optional = <T>(value: unknown): T | undefined => value === null || value === undefined ? undefined : value as T;
        return {
            assetId,
            contentHash: asset.content_hash as string,
            kind: asset.kind as string,
            width: optional(asset.width),
            height: optional(asset.height),
            colorMode: optional(asset.color_mode),
            colorSpace: optional(asset.color_space),
            bitDepth: optional(asset.bit_depth),
            dpi: optional(asset.dpi),
            hasAlpha: asset.has_alpha === null ? undefined : !!asset.has_alpha,
            iccProfile: optional(asset.icc_profile),
            orientation: optional(asset.orientation),
            capturedAt: optional(asset.captured_at),
            camera: optional(asset.camera),
            software: optional(asset.software),
            rating: asset.rating as number,
            tags,
            registeredAt: asset.registered_at as string,
            indexedAt: phases.find(phase => phase.phase === 'parse')?.updated_at,
            notes: optional(asset.notes),
            superseded: !!asset.superseded,
            files: files.map(file => {
                const stored: StoredFilePath = { fileId: file.id, filePath: file.path, rootId: file.root_id, rootPath: file.root };
                return {
                    location: assetLocation(stored), size: file.size, modifiedAt: new Date(file.mtime_ms).toISOString(), state: file.state,
                    errorCode: file.error_code ?? undefined, error: file.error === null ? undefined : withoutPaths(file.error, stored), updatedAt: file.updated_at
                };
            }),
            layers: layers.map(toLayer),
            phases: phases.map(phase => ({ phase: phase.phase, state: phase.state, error: phase.error ?? undefined, updatedAt: phase.updated_at })),
            ai: aiDetailsOf(db, assetId)
        };
    }
}

/** The asset's captions, AI tags, OCR text and the models whose vectors of it it has; undefined when there is none of these. */
function aiDetailsOf(db: Database, assetId: number): AssetAiDetails | undefined {
    const captions = captionsOf(db, assetId);
    const aiTags = aiTagsOf(db, assetId);
    const ocr = prepared(db, 'SELECT model, text FROM asset_ocr WHERE asset_id = ?').get(assetId) as { model: string; text: string } | undefined;
    const visualModel = vectorModelOf(db, assetId, 'visual');
    const meaningModel = vectorModelOf(db, assetId, 'meaning');
    if (!captions.length && !aiTags.length && !ocr?.text && !visualModel && !meaningModel) {
        return undefined;
    }
    return { captions, aiTags, ocr: ocr?.text ? ocr : undefined, visualModel, meaningModel };
}

/** The model of the axis's vector index holding a vector of the asset: the one serving the axis first, else the newest. */
function vectorModelOf(db: Database, assetId: number, axis: 'visual' | 'meaning'): string | undefined {
    const indexes = prepared(db, `SELECT i.name, i.model FROM vector_indexes i LEFT JOIN axis_serving s ON s.axis = i.axis AND s.model = i.model
            WHERE i.axis = ? ORDER BY s.model IS NULL, i.created_at DESC`).all(axis) as { name: string; model: string }[];
    // Index names come from the registry, never from a request.
    return indexes.find(index => prepared(db, `SELECT 1 FROM ${index.name} WHERE asset_id = ?`).get(BigInt(assetId)))?.model;
}

interface FileRow {
    id: number;
    path: string;
    root_id: number | null;
    root: string | null;
    size: number;
    mtime_ms: number;
    state: string;
    error_code: string | null;
    error: string | null;
    updated_at: string;
}

interface LayerRow {
    idx: number;
    parent_idx: number | null;
    depth: number;
    name: string;
    kind: string;
    visible: number;
    opacity: number;
    blend_mode: string | null;
    clipping: number;
    top: number | null;
    left: number | null;
    bottom: number | null;
    right: number | null;
    text: string | null;
}

function toLayer(row: LayerRow): AssetLayerDetails {
    return {
        idx: row.idx,
        parentIdx: row.parent_idx ?? undefined,
        depth: row.depth,
        name: row.name,
        kind: row.kind,
        visible: !!row.visible,
        opacity: row.opacity,
        blendMode: row.blend_mode ?? undefined,
        clipping: !!row.clipping,
        bounds: row.top === null ? undefined : { top: row.top, left: row.left ?? 0, bottom: row.bottom ?? 0, right: row.right ?? 0 },
        text: row.text ?? undefined
    };
}
