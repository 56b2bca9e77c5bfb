/** A file taken from a drop, with its path relative to what was dropped (forward slashes). */
export interface DroppedFile {
    readonly file: File;
    readonly relativePath: string;
}

/** What a drop event held, taken while the event runs (a DataTransfer empties once it ends). */
export interface DropCapture {
    /** The dropped items as file system entries; null where the browser gives none (synthetic drops). */
    readonly entries: readonly (FileSystemEntry | null)[];
    readonly files: readonly File[];
}

/** The extensions ImageParser indexes; the same list as the backend's discovery. */
const IMAGE_EXTENSION = /\.(psd|psb|png|jpe?g)$/i;

export function isImageName(name: string): boolean {
    return IMAGE_EXTENSION.test(name) && !name.startsWith('.');
}

export function captureDrop(dataTransfer: DataTransfer): DropCapture {
    const entries = Array.from(dataTransfer.items ?? [])
        .filter(item => item.kind === 'file')
        .map(item => item.webkitGetAsEntry());
    return { entries, files: Array.from(dataTransfer.files ?? []) };
}

/**
 * The image files of a drop, folders walked recursively (hidden entries
 * skipped), each with its path relative to the drop. Without entries (a
 * synthetic drop) the plain file list is used, flat.
 */
export async function collectDroppedImages(capture: DropCapture): Promise<DroppedFile[]> {
    const found: DroppedFile[] = [];
    if (capture.entries.length && capture.entries.every(entry => entry)) {
        for (const entry of capture.entries as FileSystemEntry[]) {
            await walk(entry, found);
        }
    } else {
        for (const file of capture.files) {
            if (isImageName(file.name)) {
                found.push({ file, relativePath: file.name });
            }
        }
    }
    return found;
}

async function walk(entry: FileSystemEntry, found: DroppedFile[]): Promise<void> {
    if (entry.name.startsWith('.')) {
        return;
    }
    if (entry.isFile) {
        if (isImageName(entry.name)) {
            const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
            found.push({ file, relativePath: entry.fullPath.replace(/^\/+/, '') });
        }
    } else if (entry.isDirectory) {
        for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) {
            await walk(child, found);
        }
    }
}

/** A directory reader answers in pages; read until it answers an empty one. */
async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
    const all: FileSystemEntry[] = [];
    for (;;) {
        const page = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (!page.length) {
            return all;
        }
        all.push(...page);
    }
}
