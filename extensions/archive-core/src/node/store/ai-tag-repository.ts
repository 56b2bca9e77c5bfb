import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import type { Database } from 'better-sqlite3';
import type { AiTagSuggestion } from '../../common/ai-protocol';
import type { EditOutcome } from '../../common/annotation-protocol';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { prepared } from './database';
import { AiTagDecision, recordEdit, TagLink } from './edit-journal';

export const AiTagRepository = Symbol('AiTagRepository');

/**
 * Users' decisions on the AI tags the caption phase suggested. A pending
 * suggestion is an AI tag of the asset nobody decided on that is not a user
 * tag of it already. Accepting makes it a user tag; rejecting is remembered
 * (the caption phase never suggests it again for the asset, and it leaves
 * the asset's full-text tags). Both are journalled for undo and refresh the
 * assets' full-text rows in the same transaction.
 */
export interface AiTagRepository {
    /** Fires after decisions changed, with the assets concerned. */
    readonly onDidChange: Event<readonly number[]>;
    /** The pending suggestions over these assets, one per tag: most confident first, then those suggested for more of them. */
    suggestions(assetIds: readonly number[]): Promise<AiTagSuggestion[]>;
    /** Makes these AI tags user tags on every asset they were suggested for; `changed` counts the assets and tags decided. */
    accept(assetIds: readonly number[], names: readonly string[], author: string): Promise<EditOutcome>;
    /** Turns these AI tags down on every asset they were suggested for; `changed` counts the assets and tags decided. */
    reject(assetIds: readonly number[], names: readonly string[], author: string): Promise<EditOutcome>;
}

@injectable()
export class SqliteAiTagRepository implements AiTagRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    protected readonly onDidChangeEmitter = new Emitter<readonly number[]>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    async suggestions(assetIds: readonly number[]): Promise<AiTagSuggestion[]> {
        const { database } = await this.store.open();
        const rows = prepared(database.reader, `SELECT t.name, count(DISTINCT x.asset_id) AS asset_count, max(x.confidence) AS confidence
                FROM asset_tags x JOIN tags t ON t.id = x.tag_id
                WHERE x.source = 'ai' AND x.asset_id IN (SELECT value FROM json_each(?))
                    AND NOT EXISTS (SELECT 1 FROM ai_tag_decisions d WHERE d.asset_id = x.asset_id AND d.tag_id = x.tag_id)
                    AND NOT EXISTS (SELECT 1 FROM asset_tags u WHERE u.asset_id = x.asset_id AND u.tag_id = x.tag_id AND u.source = 'user')
                GROUP BY t.id ORDER BY max(x.confidence) IS NULL, max(x.confidence) DESC, count(DISTINCT x.asset_id) DESC, t.name`)
            .all(JSON.stringify([...new Set(assetIds)])) as { name: string; asset_count: number; confidence: number | null }[];
        return rows.map(row => ({ name: row.name, assetCount: row.asset_count, confidence: row.confidence ?? undefined }));
    }

    accept(assetIds: readonly number[], names: readonly string[], author: string): Promise<EditOutcome> {
        return this.decide(assetIds, names, author, 'accepted');
    }

    reject(assetIds: readonly number[], names: readonly string[], author: string): Promise<EditOutcome> {
        return this.decide(assetIds, names, author, 'rejected');
    }

    protected async decide(assetIds: readonly number[], names: readonly string[], author: string, decision: 'accepted' | 'rejected'): Promise<EditOutcome> {
        const { database } = await this.store.open();
        const outcome = database.write(db => {
            const decisions: AiTagDecision[] = [];
            const links: TagLink[] = [];
            const now = new Date().toISOString();
            for (const [assetId, tag] of this.suggested(db, assetIds, names)) {
                const before = prepared(db, 'SELECT decision FROM ai_tag_decisions WHERE asset_id = ? AND tag_id = ?').pluck().get(assetId, tag.id) as AiTagDecision[2] | undefined;
                if (before === decision) {
                    continue;
                }
                prepared(db, `INSERT INTO ai_tag_decisions (asset_id, tag_id, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (asset_id, tag_id) DO UPDATE SET decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at`)
                    .run(assetId, tag.id, decision, author, now);
                decisions.push([assetId, tag.name, before ?? null]);
                if (decision === 'accepted' && prepared(db, "INSERT OR IGNORE INTO asset_tags (asset_id, tag_id, source) VALUES (?, ?, 'user')").run(assetId, tag.id).changes) {
                    links.push([assetId, tag.name, 'user', null]);
                }
            }
            for (const assetId of new Set(decisions.map(([id]) => id))) {
                refreshAssetText(db, assetId);
            }
            return {
                changed: decisions.length,
                record: decisions.length ? recordEdit(db, decision === 'accepted' ? 'ai-tags-accepted' : 'ai-tags-rejected', author, { links, decisions }) : undefined
            };
        });
        if (outcome.changed) {
            this.onDidChangeEmitter.fire(outcome.record?.assetIds ?? []);
        }
        return outcome;
    }

    /** The (asset, tag) pairs among these where the tag is one of the asset's AI tags (names compared without case, as tags are). */
    protected suggested(db: Database, assetIds: readonly number[], names: readonly string[]): [number, { id: number; name: string }][] {
        const rows = prepared(db, `SELECT x.asset_id, t.id, t.name FROM asset_tags x JOIN tags t ON t.id = x.tag_id
                WHERE x.source = 'ai' AND x.asset_id IN (SELECT value FROM json_each(?)) AND t.name IN (SELECT value FROM json_each(?))
                ORDER BY x.asset_id, t.name`)
            .all(JSON.stringify([...new Set(assetIds)]), JSON.stringify([...new Set(names.map(name => String(name).trim()))])) as { asset_id: number; id: number; name: string }[];
        return rows.map(row => [row.asset_id, { id: row.id, name: row.name }]);
    }
}
