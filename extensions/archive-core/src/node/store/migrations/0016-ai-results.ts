import type { Migration } from './migration';

/**
 * What the AI phases store: captions per asset and language (`asset_captions`,
 * with the model that wrote them), the model that suggested each AI tag
 * (`asset_tags.model`), users' decisions on AI tags (`ai_tag_decisions`:
 * accepted ones became user tags, rejected ones are never suggested again for
 * the asset), and which model's vectors serve each vector axis
 * (`axis_serving`: the previous model's until the new one's index is complete).
 */
export const aiResultsSchema: Migration = {
    version: 16,
    name: 'ai-results',
    up: db => {
        db.exec(`
            CREATE TABLE asset_captions (
                asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
                language TEXT NOT NULL,
                model TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (asset_id, language)
            );
            ALTER TABLE asset_tags ADD COLUMN model TEXT;
            CREATE TABLE ai_tag_decisions (
                asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
                tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
                decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
                decided_by TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                PRIMARY KEY (asset_id, tag_id)
            );
            CREATE TABLE axis_serving (
                axis TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                since TEXT NOT NULL
            );
        `);
    }
};
