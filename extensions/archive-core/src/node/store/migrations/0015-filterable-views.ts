import type { Migration } from './migration';

/**
 * The views search filters are written against (see `SearchFilterCompiler`):
 * a documented, stable surface instead of the raw tables, so the tables can
 * change without breaking contributed filters.
 *
 * - `filterable_assets` (aliased `a` in every filter): the assets search
 *   lists, i.e. all but earlier versions of changed files. Columns: `id`,
 *   `kind` (`psd`, `psb`, `png`, `jpeg`), `width`, `height` (pixels, NULL
 *   when unknown), `layer_count`, `rating` (0-5), `registered_at` (ISO 8601,
 *   when the content was added), `modified_ms` (the newest modification time
 *   of its files, ms since 1970), `phash` (64-bit perceptual hash in hex, or
 *   NULL).
 * - `filterable_files`: one row per file of an asset: `asset_id`, `path`
 *   (the file's full path), `state` (`indexed`, `missing`, `failed`, ...),
 *   `size` (bytes), `mtime_ms`.
 * - `filterable_tags`: one row per tag on an asset: `asset_id`, `tag_id`,
 *   `name` (compared without case).
 *
 * Views with one table and a WHERE are flattened into the queries that use
 * them: a condition on `filterable_assets` gets the plan it had on the
 * table. SQLite does not turn an `EXISTS` over the `filterable_files` view
 * into a join, as it does over the table: such a filter costs a little more.
 */
export const filterableViewsSchema: Migration = {
    version: 15,
    name: 'filterable-views',
    up: db => {
        db.exec(`
            CREATE VIEW filterable_assets AS
                SELECT a.id, a.kind, a.width, a.height, a.layer_count, a.rating, a.registered_at,
                    (SELECT max(f.mtime_ms) FROM files f WHERE f.asset_id = a.id) AS modified_ms,
                    a.phash
                FROM assets a WHERE a.superseded = 0;
            CREATE VIEW filterable_files AS
                SELECT f.asset_id, f.path, f.state, f.size, f.mtime_ms FROM files f;
            CREATE VIEW filterable_tags AS
                SELECT x.asset_id, x.tag_id, t.name FROM asset_tags x JOIN tags t ON t.id = x.tag_id;
        `);
    }
};
