import { CollectionKind } from '../../common/collection-protocol';
import {
    COLLECTIONS_JSON_FORMAT, COLLECTIONS_JSON_VERSION, CollectionsJson, CollectionsJsonCollection, CollectionsJsonMember, CollectionsJsonPreset
} from '../../common/collections-json';
import { CollectionInput } from './collection-input';

/** The most collections, presets or members of one collection a file may hold. */
export const MAX_JSON_ENTRIES = 1_000_000;
const MAX_UID_LENGTH = 200;
const MAX_HASH_LENGTH = 128;
const MAX_PATH_LENGTH = 4096;

/**
 * Reads collections JSON (text or the parsed value) and checks all of it,
 * before anything is written: the format, the version (a newer one is
 * refused by name), and every collection, member and preset. Throws one
 * readable Error naming the first thing wrong.
 */
export function readCollectionsJson(input: unknown): CollectionsJson {
    let value = input;
    if (typeof input === 'string') {
        try {
            value = JSON.parse(input);
        } catch {
            throw new Error('This is not a collections file: it is not JSON.');
        }
    }
    if (!isRecord(value)) {
        throw new Error('This is not a collections file: it holds no JSON object.');
    }
    if (value.format !== COLLECTIONS_JSON_FORMAT) {
        throw new Error(`This is not an ImageParser collections file: its format is not "${COLLECTIONS_JSON_FORMAT}".`);
    }
    const version = value.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
        throw new Error('This collections file has no valid version.');
    }
    if (version > COLLECTIONS_JSON_VERSION) {
        throw new Error(`This collections file is of version ${version}, newer than this ImageParser reads (version ${COLLECTIONS_JSON_VERSION}): update ImageParser to import it.`);
    }
    const collections = list(value.collections, 'collections').map((entry, index) => readCollection(entry, index));
    const presets = list(value.presets ?? [], 'presets').map((entry, index) => readPreset(entry, index));
    checkTree(collections);
    checkUnique(presets.map(preset => preset.uid), 'filter preset');
    return {
        format: COLLECTIONS_JSON_FORMAT,
        version,
        exportedAt: typeof value.exportedAt === 'string' ? value.exportedAt : '',
        generator: typeof value.generator === 'string' ? value.generator : undefined,
        collections,
        presets
    };
}

function readCollection(entry: unknown, index: number): CollectionsJsonCollection {
    const where = `Collection ${index + 1}`;
    if (!isRecord(entry)) {
        throw new Error(`${where} in the file is not an object.`);
    }
    const name = within(where, () => CollectionInput.name(entry.name));
    const at = `${where} ("${name}")`;
    const kind = within(at, () => CollectionInput.kind(entry.kind)) as CollectionKind;
    const uid = text(entry.uid, `${at} has no uid.`, MAX_UID_LENGTH);
    const parentUid = entry.parentUid === undefined || entry.parentUid === null ? undefined : text(entry.parentUid, `${at} has a parentUid that is not text.`, MAX_UID_LENGTH);
    const position = entry.position === undefined ? index + 1 : entry.position;
    if (typeof position !== 'number' || !Number.isFinite(position)) {
        throw new Error(`${at} has a position that is not a number.`);
    }
    if (kind !== 'manual' && entry.members !== undefined && !(Array.isArray(entry.members) && !entry.members.length)) {
        throw new Error(`${at} is a ${kind === 'smart' ? 'smart collection' : 'folder'}: only manual collections list members.`);
    }
    const members = entry.members === undefined ? undefined : list(entry.members, `${at}'s members`).map((member, memberIndex) => readMember(member, `${at}'s member ${memberIndex + 1}`));
    const cover = entry.cover === undefined || entry.cover === null ? undefined : readMember(entry.cover, `${at}'s cover`);
    let query;
    let references: CollectionsJsonMember[] | undefined;
    if (kind === 'smart') {
        query = within(at, () => CollectionInput.smartQuery(entry.query));
        references = entry.references === undefined ? undefined : list(entry.references, `${at}'s references`).map((member, memberIndex) => readMember(member, `${at}'s reference ${memberIndex + 1}`));
    } else if (entry.query !== undefined) {
        throw new Error(`${at} is not a smart collection: only smart collections save a search.`);
    }
    const createdAt = optionalText(entry.createdAt, `${at} has a createdAt that is not text.`) ?? new Date().toISOString();
    const updatedAt = optionalText(entry.updatedAt, `${at} has an updatedAt that is not text.`) ?? createdAt;
    return { uid, kind, name, parentUid, position, members, cover, query, references, createdAt, updatedAt };
}

function readMember(member: unknown, where: string): CollectionsJsonMember {
    if (!isRecord(member)) {
        throw new Error(`${where} is not an object with a content hash and paths.`);
    }
    const contentHash = text(member.contentHash, `${where} has no content hash.`, MAX_HASH_LENGTH);
    const paths = member.paths === undefined ? [] : list(member.paths, `${where}'s paths`);
    if (paths.some(path => typeof path !== 'string' || path.length > MAX_PATH_LENGTH)) {
        throw new Error(`${where} has a path that is not text.`);
    }
    return { contentHash, paths: paths as string[] };
}

function readPreset(entry: unknown, index: number): CollectionsJsonPreset {
    const where = `Filter preset ${index + 1}`;
    if (!isRecord(entry)) {
        throw new Error(`${where} in the file is not an object.`);
    }
    const name = within(where, () => CollectionInput.name(entry.name));
    const at = `${where} ("${name}")`;
    return { uid: text(entry.uid, `${at} has no uid.`, MAX_UID_LENGTH), name, filters: within(at, () => CollectionInput.filters(entry.filters)) };
}

/** Unique uids; every parent named in the file is a folder of the file; no folder inside itself. */
function checkTree(collections: readonly CollectionsJsonCollection[]): void {
    checkUnique(collections.map(collection => collection.uid), 'collection');
    const byUid = new Map(collections.map(collection => [collection.uid, collection]));
    for (const collection of collections) {
        const parent = collection.parentUid === undefined ? undefined : byUid.get(collection.parentUid);
        if (parent && parent.kind !== 'folder') {
            throw new Error(`Collection "${collection.name}" is inside "${parent.name}", which is not a folder.`);
        }
        const seen = new Set<string>([collection.uid]);
        for (let up = parent; up; up = up.parentUid === undefined ? undefined : byUid.get(up.parentUid)) {
            if (seen.has(up.uid)) {
                throw new Error(`Folder "${up.name}" is inside itself.`);
            }
            seen.add(up.uid);
        }
    }
}

function checkUnique(uids: readonly string[], what: string): void {
    const seen = new Set<string>();
    for (const uid of uids) {
        if (seen.has(uid)) {
            throw new Error(`The file holds two ${what}s with the uid "${uid}".`);
        }
        seen.add(uid);
    }
}

function list(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) {
        throw new Error(`The file's ${what} are not a list.`);
    }
    if (value.length > MAX_JSON_ENTRIES) {
        throw new Error(`The file's ${what} are more than ${MAX_JSON_ENTRIES.toLocaleString('en-US')}.`);
    }
    return value;
}

function text(value: unknown, message: string, maxLength: number): string {
    if (typeof value !== 'string' || !value || value.length > maxLength) {
        throw new Error(message);
    }
    return value;
}

function optionalText(value: unknown, message: string): string | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== 'string') {
        throw new Error(message);
    }
    return value;
}

function within<T>(where: string, read: () => T): T {
    try {
        return read();
    } catch (error) {
        throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return !!value && typeof value === 'object' && !Array.isArray(value);
}
