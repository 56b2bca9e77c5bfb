import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { DialogError } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import type { ExportInspection, ImportOptions } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { formatBytes } from '@imageparser/archive-core/lib/common/byte-size';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { describeScopeLabel } from './archive-transfer-messages';

export interface ArchiveImportDialogOptions {
    readonly inspection: ExportInspection;
    /** Asks for a folder in the folder dialog; answers its path, or undefined when the user cancelled. */
    readonly chooseFolder: (current: string) => Promise<string | undefined>;
}

const ABSOLUTE = /^(\/|[A-Za-z]:[\\/])/;

/**
 * What an export file holds (read before anything is imported) and where
 * its root folders lie here: one folder per exported root, the same path
 * unless the user types or chooses another; for a file without paths, the
 * folder its file names go under. "Only check" imports nothing and reports
 * what an import would do.
 */
export class ArchiveImportDialog extends ReactDialog<ImportOptions> {

    protected readonly targets: string[];
    protected placeUnder = '';
    protected dryRun = false;

    constructor(protected readonly options: ArchiveImportDialogOptions) {
        super({ title: nls.localize('imageparser/collections/transfer/importTitle', 'Import Archive') });
        this.addClass('imageparser-transfer-dialog');
        this.addClass('imageparser-import-dialog');
        this.targets = options.inspection.roots.map(root => root.path);
        this.appendCloseButton(nls.localize('imageparser/collections/transfer/cancel', 'Cancel'));
        this.appendAcceptButton(nls.localize('imageparser/collections/transfer/importButton', 'Import'));
        this.update();
    }

    get value(): ImportOptions {
        const { inspection } = this.options;
        const rootMap = Object.fromEntries(inspection.roots
            .map((root, index) => [root.path, this.targets[index].trim()] as const)
            .filter(([from, to]) => to && to !== from));
        return {
            file: inspection.file,
            rootMap: Object.keys(rootMap).length ? rootMap : undefined,
            placeUnder: !inspection.includesPaths && this.placeUnder.trim() ? this.placeUnder.trim() : undefined,
            dryRun: this.dryRun || undefined
        };
    }

    protected override isValid(value: ImportOptions): DialogError {
        const folders = [...Object.values(value.rootMap ?? {}), ...(value.placeUnder ? [value.placeUnder] : [])];
        if (this.targets.some(target => !target.trim())) {
            return nls.localize('imageparser/collections/transfer/folderNeeded', 'Give a folder for every root.');
        }
        return folders.every(folder => ABSOLUTE.test(folder)) ? ''
            : nls.localize('imageparser/collections/transfer/absoluteFolderNeeded', 'Give the full path of each folder, starting at the top folder.');
    }

    protected readonly setTarget = (index: number, value: string) => {
        this.targets[index] = value;
        this.update();
    };

    protected async browse(current: string, set: (value: string) => void): Promise<void> {
        const chosen = await this.options.chooseFolder(current);
        if (chosen) {
            set(chosen);
            this.update();
        }
    }

    protected readonly onPlaceUnderChange = (event: React.ChangeEvent<HTMLInputElement>) => {
        this.placeUnder = event.target.value;
        this.update();
    };

    protected readonly onDryRunChange = (event: React.ChangeEvent<HTMLInputElement>) => {
        this.dryRun = event.target.checked;
        this.update();
    };

    protected render(): React.ReactNode {
        return <div className='imageparser-transfer-form'>
            {this.renderSummary()}
            {this.options.inspection.includesPaths ? this.renderRoots() : this.renderPlaceUnder()}
            <label className='imageparser-transfer-option'>
                <input type='checkbox' data-role='dry-run' checked={this.dryRun} onChange={this.onDryRunChange} />
                {nls.localize('imageparser/collections/transfer/dryRun', 'Only check: show what an import would do, change nothing')}
            </label>
        </div>;
    }

    protected renderSummary(): React.ReactNode {
        const { inspection } = this.options;
        const assets = plural(inspection.assets,
            nls.localize('imageparser/collections/transfer/holdsImages/one', '{0} image', inspection.assets),
            nls.localize('imageparser/collections/transfer/holdsImages/other', '{0} images', inspection.assets));
        return <div className='imageparser-transfer-summary' data-role='inspection'>
            <div className='imageparser-transfer-file'>{inspection.file}</div>
            <div>{nls.localize('imageparser/collections/transfer/holds', '{0} ({1}), exported {2} by {3}, {4}',
                assets, describeScopeLabel(inspection.scopeLabel), new Date(inspection.createdAt).toLocaleString(nls.locale ?? 'en-US'), inspection.generator,
                formatBytes(inspection.bytes, nls.locale ?? 'en-US'))}</div>
            <div>{inspection.includesMedia
                ? nls.localize('imageparser/collections/transfer/withMedia', 'With thumbnails and previews.')
                : nls.localize('imageparser/collections/transfer/withoutMedia', 'Without thumbnails and previews: they are made again from the images.')}</div>
        </div>;
    }

    protected renderRoots(): React.ReactNode {
        const { roots } = this.options.inspection;
        return <div className='imageparser-transfer-roots'>
            <div className='imageparser-transfer-hint'>
                {nls.localize('imageparser/collections/transfer/rootsHint', 'Where do these folders lie on this computer? Keep a path when the images are at the same place.')}
            </div>
            {roots.map((root, index) => <div key={root.path} className='imageparser-transfer-root' data-root={root.path}>
                <div className='imageparser-transfer-root-from'>
                    {root.path} <span className='imageparser-transfer-count'>{plural(root.assets,
                        nls.localize('imageparser/collections/transfer/rootImages/one', '({0} image)', root.assets),
                        nls.localize('imageparser/collections/transfer/rootImages/other', '({0} images)', root.assets))}</span>
                </div>
                <div className='imageparser-transfer-path'>
                    <input className='theia-input' type='text' data-role='root-target' spellCheck={false} value={this.targets[index]}
                        aria-label={nls.localize('imageparser/collections/transfer/rootTarget', 'Folder here for {0}', root.path)}
                        onChange={event => this.setTarget(index, event.target.value)} />
                    <button className='theia-button secondary' data-action='browse'
                        onClick={() => this.browse(this.targets[index], value => this.targets[index] = value)}>
                        {nls.localize('imageparser/collections/transfer/browse', 'Browse…')}
                    </button>
                </div>
            </div>)}
        </div>;
    }

    protected renderPlaceUnder(): React.ReactNode {
        return <label className='imageparser-transfer-field'>
            <span>{nls.localize('imageparser/collections/transfer/placeUnder', 'The file has no folder paths, only file names. Folder to find the images in (subfolders too):')}</span>
            <div className='imageparser-transfer-path'>
                <input className='theia-input' type='text' data-role='place-under' spellCheck={false} value={this.placeUnder}
                    placeholder={nls.localize('imageparser/collections/transfer/placeUnderDefault', 'A folder named after the file')}
                    onChange={this.onPlaceUnderChange} />
                <button className='theia-button secondary' data-action='browse'
                    onClick={() => this.browse(this.placeUnder, value => this.placeUnder = value)}>
                    {nls.localize('imageparser/collections/transfer/browse', 'Browse…')}
                </button>
            </div>
        </label>;
    }
}
