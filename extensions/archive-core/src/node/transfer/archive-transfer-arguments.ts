import * as path from 'path';
import type { ExportOptions, ExportScope, ImportOptions } from '../../common/archive-transfer-protocol';
import type { SearchQuery } from '../../common/search-protocol';

/**
 * Checks of what a client sends the archive transfer service, before
 * anything runs: each throws an Error that says what is wrong. Files and
 * folders are absolute paths on the backend's machine.
 */

const MAX_PATH_LENGTH = 4096;
const MAX_ASSET_IDS = 1_000_000;

/** An absolute path without NUL characters, normalized; `what` names it in the message. */
export function checkServerPath(value: unknown, what: string): string {
    if (typeof value !== 'string' || !value.trim()) {
        throw new Error(`${what} must be a path, not ${JSON.stringify(value) ?? String(value)}`);
    }
    if (value.includes('\0') || value.length > MAX_PATH_LENGTH) {
        throw new Error(`${what} is not a usable path`);
    }
    if (!path.isAbsolute(value)) {
        throw new Error(`${what} must be an absolute path on the backend's machine, not ${JSON.stringify(value)}`);
    }
    return path.normalize(value);
}

export function checkTransferFile(file: unknown): string {
    return checkServerPath(file, 'The archive file');
}

export function checkOperationId(operationId: unknown): string {
    if (typeof operationId !== 'string' || !/^[\w.:-]{1,100}$/.test(operationId)) {
        throw new Error(`An operation id is 1 to 100 letters, digits, '.', ':', '_' or '-', not ${JSON.stringify(operationId) ?? String(operationId)}`);
    }
    return operationId;
}

function checkFlag(value: unknown, what: string): boolean | undefined {
    if (value !== undefined && typeof value !== 'boolean') {
        throw new Error(`${what} must be true or false, not ${JSON.stringify(value)}`);
    }
    return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkScope(scope: unknown): ExportScope {
    if (!isRecord(scope)) {
        throw new Error('An export needs a scope: archive, collection, folder, query or assets');
    }
    switch (scope.kind) {
        case 'archive':
            return { kind: 'archive' };
        case 'collection':
            if (!Number.isSafeInteger(scope.collectionId) || (scope.collectionId as number) < 1) {
                throw new Error(`A collection export needs a collection id (a whole number above 0), not ${JSON.stringify(scope.collectionId)}`);
            }
            return { kind: 'collection', collectionId: scope.collectionId as number };
        case 'folder':
            return { kind: 'folder', path: checkServerPath(scope.path, 'The folder to export') };
        case 'query':
            if (!isRecord(scope.query)) {
                throw new Error('A query export needs the search query');
            }
            return { kind: 'query', query: scope.query as unknown as SearchQuery };
        case 'assets': {
            const ids = scope.assetIds;
            if (!Array.isArray(ids) || !ids.length || ids.length > MAX_ASSET_IDS || !ids.every(id => Number.isSafeInteger(id) && id > 0)) {
                throw new Error(`An assets export needs a list of 1 to ${MAX_ASSET_IDS} asset ids (whole numbers above 0)`);
            }
            return { kind: 'assets', assetIds: [...new Set(ids as number[])] };
        }
        default:
            throw new Error(`Unknown export scope ${JSON.stringify(scope.kind)}: archive, collection, folder, query or assets`);
    }
}

/** The export options a client sent, checked (unknown members dropped). */
export function checkExportOptions(options: unknown): ExportOptions {
    if (!isRecord(options)) {
        throw new Error('Export options are missing');
    }
    return {
        file: checkTransferFile(options.file),
        scope: checkScope(options.scope),
        includeMedia: checkFlag(options.includeMedia, 'includeMedia'),
        includePaths: checkFlag(options.includePaths, 'includePaths'),
        overwrite: checkFlag(options.overwrite, 'overwrite')
    };
}

/** The import options a client sent, checked (unknown members dropped). */
export function checkImportOptions(options: unknown): ImportOptions {
    if (!isRecord(options)) {
        throw new Error('Import options are missing');
    }
    let rootMap: Record<string, string> | undefined;
    if (options.rootMap !== undefined) {
        if (!isRecord(options.rootMap)) {
            throw new Error('The root map must map exported root folders to local folders');
        }
        // Object.fromEntries makes own properties: a root named "__proto__" stays a root.
        rootMap = Object.fromEntries(Object.entries(options.rootMap).map(([from, to]) => {
            if (!from || from.includes('\0')) {
                throw new Error('The root map names an exported root that is not a path');
            }
            return [from, checkServerPath(to, `The folder for ${from}`)];
        }));
    }
    return {
        file: checkTransferFile(options.file),
        rootMap,
        placeUnder: options.placeUnder === undefined ? undefined : checkServerPath(options.placeUnder, 'The folder to place files under'),
        dryRun: checkFlag(options.dryRun, 'dryRun')
    };
}
