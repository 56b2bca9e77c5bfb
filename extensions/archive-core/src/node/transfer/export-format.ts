/**
 * The archive export file (format version {@link EXPORT_FORMAT_VERSION}):
 * one SQLite database in rollback-journal mode, written from one consistent
 * read of the archive (SQLite's `VACUUM INTO` or one read transaction)
 * while the app keeps writing. docs/archive-export-format.md documents it
 * for users; this file is the contract the exporter and the importer share.
 *
 * What it holds:
 *
 * - {@link MANIFEST_TABLE} `(key TEXT PRIMARY KEY, value TEXT NOT NULL)`:
 *   the keys of {@link ManifestKey}. A file without it, or whose `format` is
 *   not {@link EXPORT_FORMAT}, is not an export. A `formatVersion` above
 *   ours, or a `schemaVersion` above the importing archive's, is refused as
 *   newer. The counts must equal the rows (else `size-mismatch`).
 * - The portable archive tables of {@link PORTABLE_TABLES}, with the
 *   columns the exporting archive's schema gave them (`schemaVersion`); the
 *   importer reads them by column name, so older files stay readable. Only
 *   the exported assets' rows are there (ids are the exporting archive's;
 *   the importer maps them to its own by `assets.content_hash`). Superseded
 *   assets (earlier versions of changed files) are not exported.
 * - {@link ROOTS_TABLE} `(id INTEGER PRIMARY KEY, path TEXT NOT NULL)`: the
 *   exporting archive's root folders (absolute paths); empty without paths.
 * - {@link FILES_TABLE} `(id INTEGER PRIMARY KEY, asset_id INTEGER NOT NULL,
 *   root_id INTEGER, relative_path TEXT NOT NULL, size INTEGER NOT NULL,
 *   mtime_ms INTEGER NOT NULL, state TEXT NOT NULL)`: the assets' files.
 *   `relative_path` is below its root, `/`-separated, never absolute, never
 *   with a `.` or `..` part. Without paths `root_id` is NULL and
 *   `relative_path` is the file's name only.
 * - {@link VECTORS_TABLE} `(index_name TEXT NOT NULL, asset_id INTEGER NOT
 *   NULL, embedding BLOB NOT NULL, PRIMARY KEY (index_name, asset_id))`:
 *   every vector of the exported assets, float32 little-endian, exactly
 *   `4 * vector_indexes.dimensions` bytes; `index_name` names a row of the
 *   portable `vector_indexes` table.
 * - {@link MEDIA_TABLE} `(hash TEXT PRIMARY KEY, size INTEGER NOT NULL,
 *   bytes BLOB NOT NULL)`: thumbnails and previews (`assets.thumbnail_hash`,
 *   `assets.preview_hash`) when media are included, else empty. `hash`
 *   matches {@link MEDIA_HASH_PATTERN}; `size` equals `length(bytes)`.
 *
 * Nothing else: no jobs, leases, tokens, secrets, journals, ingest runs or
 * text indexes (the importer rebuilds its text index from the rows). With
 * `includesPaths` false no original path appears anywhere in the file's
 * bytes (free pages included: the exporter vacuums or uses secure_delete),
 * and phase errors are left out (they may quote paths).
 */

export const EXPORT_FORMAT = 'imageparser-archive-export';
export const EXPORT_FORMAT_VERSION = 1;
/** The file name extension the app offers for exports. */
export const EXPORT_FILE_EXTENSION = 'imageparser-export';

export const MANIFEST_TABLE = 'export_manifest';
export const ROOTS_TABLE = 'export_roots';
export const FILES_TABLE = 'export_files';
export const VECTORS_TABLE = 'export_vectors';
export const MEDIA_TABLE = 'export_media';

/** The manifest's keys; every value is text (numbers in decimal, booleans `true`/`false`). */
export const ManifestKey = {
    format: 'format',
    formatVersion: 'formatVersion',
    schemaVersion: 'schemaVersion',
    generator: 'generator',
    createdAt: 'createdAt',
    scopeLabel: 'scopeLabel',
    includesMedia: 'includesMedia',
    includesPaths: 'includesPaths',
    /** Row counts, checked against the content. */
    assets: 'assets',
    files: 'files',
    vectors: 'vectors',
    media: 'media',
    /** Sum of `export_media.size`. */
    mediaBytes: 'mediaBytes',
    collections: 'collections'
} as const;

/**
 * The archive tables an export carries, in an order that inserts parents
 * before children. Tables an older exporting schema lacked may be absent.
 */
export const PORTABLE_TABLES = [
    'assets',
    'layers',
    'tags',
    'asset_tags',
    'ai_tag_decisions',
    'comments',
    'comment_revisions',
    'asset_captions',
    'caption_words',
    'asset_ocr',
    'phase_states',
    'phase_results',
    'vector_indexes',
    'collections',
    'collection_members',
    'filter_presets',
    'schema_migrations'
] as const;
export type PortableTable = typeof PORTABLE_TABLES[number];

/** A media entry's name: a content hash as the media store keys files (lowercase hex). */
export const MEDIA_HASH_PATTERN = /^[0-9a-f]{64}$/;
