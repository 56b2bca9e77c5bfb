import { inject, injectable } from '@theia/core/shared/inversify';
import { StorageService } from '@theia/core/lib/browser/storage-service';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import URI from '@theia/core/lib/common/uri';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import type { FileStat } from '@theia/filesystem/lib/common/files';

/** Which files a dialog chooses: each kind remembers its own last folder. */
export type DialogFolderKind = 'json' | 'archive';

/**
 * Where the save and open dialogs of the collections JSON and the archive
 * transfer start: the folder last used for that kind of file (remembered in
 * this browser), else the user's home folder — never the top of the disk.
 */
@injectable()
export class DialogStartFolder {

    @inject(StorageService)
    protected readonly storage: StorageService;

    @inject(EnvVariablesServer)
    protected readonly environment: EnvVariablesServer;

    @inject(FileService)
    protected readonly files: FileService;

    /** The folder to start in (for a dialog's `folder` argument); `preferred` first when given and it exists. */
    async folder(kind: DialogFolderKind, preferred?: URI): Promise<FileStat | undefined> {
        const remembered = await this.storage.getData<string>(this.key(kind));
        const candidates = [preferred, remembered ? new URI(remembered) : undefined, new URI(await this.environment.getHomeDirUri())];
        for (const candidate of candidates) {
            const stat = candidate && await this.files.resolve(candidate).catch(() => undefined);
            if (stat?.isDirectory) {
                return stat;
            }
        }
        return undefined;
    }

    /** Remembers the folder of a file the user chose. */
    async remember(kind: DialogFolderKind, chosenFile: URI): Promise<void> {
        await this.storage.setData(this.key(kind), chosenFile.parent.toString());
    }

    protected key(kind: DialogFolderKind): string {
        return `imageparser.collections.dialogFolder.${kind}`;
    }
}
