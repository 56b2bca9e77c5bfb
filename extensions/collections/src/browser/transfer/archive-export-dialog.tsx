import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { DialogMode, DialogError } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import type { ExportFolder } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { ArchiveExportPart, ExportCollectionOption } from './archive-export-parts';

/** What the user chose in the export dialog. */
export interface ArchiveExportChoice {
    readonly part: ArchiveExportPart;
    readonly file: string;
    readonly includeMedia: boolean;
    readonly includePaths: boolean;
}

export interface ArchiveExportDialogOptions {
    /** The part chosen at first. */
    readonly part: ArchiveExportPart;
    /** How many results the current search has (the "current results" choice is off without any). */
    readonly resultCount: number;
    /** The collections, folders and smart collections, in tree order. */
    readonly collections: readonly ExportCollectionOption[];
    /** The archive's folders. */
    readonly folders: readonly ExportFolder[];
    /** The file offered for a part, until the user types or chooses one. */
    readonly fileFor: (part: ArchiveExportPart) => string;
    /** Asks for a file in the save dialog; answers its path, or undefined when the user cancelled. */
    readonly chooseFile: (current: string) => Promise<string | undefined>;
}

/**
 * The export's options: which part of the archive (all of it, the current
 * results, a collection — manual, smart or a folder of them — or one of the
 * archive's folders of images), where the file goes (a path on the backend's
 * machine, typed or chosen), whether thumbnails and previews travel and
 * whether the original folder paths do.
 */
export class ArchiveExportDialog extends ReactDialog<ArchiveExportChoice> {

    protected part: ArchiveExportPart;
    protected file: string;
    /** Whether the user typed or chose the file (then a change of part keeps it). */
    protected fileChosen = false;
    protected includeMedia = true;
    protected includePaths = true;
    /** The collection and folder offered in their lists while another part is chosen. */
    protected collectionId: number | undefined;
    protected folderPath: string | undefined;

    constructor(protected readonly options: ArchiveExportDialogOptions) {
        super({ title: nls.localize('imageparser/collections/transfer/exportTitle', 'Export Archive') });
        this.addClass('imageparser-transfer-dialog');
        this.addClass('imageparser-export-dialog');
        this.part = options.part;
        this.collectionId = options.part.kind === 'collection' ? options.part.collectionId : options.collections[0]?.id;
        this.folderPath = options.part.kind === 'folder' ? options.part.path : options.folders[0]?.path;
        this.file = options.fileFor(options.part);
        this.appendCloseButton(nls.localize('imageparser/collections/transfer/cancel', 'Cancel'));
        this.appendAcceptButton(nls.localize('imageparser/collections/transfer/exportButton', 'Export'));
        this.update();
    }

    get value(): ArchiveExportChoice {
        return { part: this.part, file: this.file.trim(), includeMedia: this.includeMedia, includePaths: this.includePaths };
    }

    protected override isValid(value: ArchiveExportChoice, mode: DialogMode): DialogError {
        if (value.part.kind === 'results' && !this.options.resultCount) {
            return nls.localize('imageparser/collections/transfer/noResultsPart', 'There are no results to export: search first, or choose another part.');
        }
        if (!value.file) {
            return mode === 'open' ? '' : nls.localize('imageparser/collections/transfer/fileNeeded', 'Choose the file to write.');
        }
        return /^(\/|[A-Za-z]:[\\/])/.test(value.file) ? ''
            : nls.localize('imageparser/collections/transfer/absoluteNeeded', 'Give the full path of the file, starting at the top folder.');
    }

    protected choose(part: ArchiveExportPart): void {
        this.part = part;
        if (!this.fileChosen) {
            this.file = this.options.fileFor(part);
        }
        this.update();
    }

    protected readonly onPartChange = (event: React.ChangeEvent<HTMLInputElement>) => {
        switch (event.target.value) {
            case 'archive':
            case 'results':
                this.choose({ kind: event.target.value });
                break;
            case 'collection':
                if (this.collectionId !== undefined) {
                    this.choose({ kind: 'collection', collectionId: this.collectionId });
                }
                break;
            case 'folder':
                if (this.folderPath !== undefined) {
                    this.choose({ kind: 'folder', path: this.folderPath });
                }
                break;
        }
    };

    protected readonly onCollectionChange = (event: React.ChangeEvent<HTMLSelectElement>) => {
        this.collectionId = Number(event.target.value);
        this.choose({ kind: 'collection', collectionId: this.collectionId });
    };

    protected readonly onFolderChange = (event: React.ChangeEvent<HTMLSelectElement>) => {
        this.folderPath = event.target.value;
        this.choose({ kind: 'folder', path: this.folderPath });
    };

    protected readonly onFileChange = (event: React.ChangeEvent<HTMLInputElement>) => {
        this.file = event.target.value;
        this.fileChosen = true;
        this.update();
    };

    protected readonly onBrowse = async () => {
        const chosen = await this.options.chooseFile(this.file);
        if (chosen) {
            this.file = chosen;
            this.fileChosen = true;
            this.update();
        }
    };

    protected readonly onMediaChange = (event: React.ChangeEvent<HTMLInputElement>) => {
        this.includeMedia = event.target.checked;
        this.update();
    };

    protected readonly onPathsChange = (event: React.ChangeEvent<HTMLInputElement>) => {
        this.includePaths = event.target.checked;
        this.update();
    };

    protected render(): React.ReactNode {
        return <div className='imageparser-transfer-form'>
            {this.renderParts()}
            <label className='imageparser-transfer-field'>
                <span>{nls.localize('imageparser/collections/transfer/fileLabel', 'File')}</span>
                <div className='imageparser-transfer-path'>
                    <input className='theia-input' data-role='file' type='text' value={this.file} spellCheck={false} onChange={this.onFileChange} />
                    <button className='theia-button secondary' data-action='browse' onClick={this.onBrowse}>
                        {nls.localize('imageparser/collections/transfer/browse', 'Browse…')}
                    </button>
                </div>
            </label>
            <label className='imageparser-transfer-option'>
                <input type='checkbox' data-role='include-media' checked={this.includeMedia} onChange={this.onMediaChange} />
                {nls.localize('imageparser/collections/transfer/includeMedia', 'Include thumbnails and previews')}
            </label>
            <div className='imageparser-transfer-hint'>
                {nls.localize('imageparser/collections/transfer/includeMediaHint', 'Without them the file is smaller; the importing app makes them again from the images.')}
            </div>
            <label className='imageparser-transfer-option'>
                <input type='checkbox' data-role='include-paths' checked={this.includePaths} onChange={this.onPathsChange} />
                {nls.localize('imageparser/collections/transfer/includePaths', 'Include the original folder paths')}
            </label>
            <div className='imageparser-transfer-hint'>
                {nls.localize('imageparser/collections/transfer/includePathsHint',
                    'Without them only file names travel: no folder path of this computer is anywhere in the file.')}
            </div>
        </div>;
    }

    protected renderParts(): React.ReactNode {
        const { resultCount, collections, folders } = this.options;
        const locale = nls.locale ?? 'en-US';
        const radio = (kind: ArchiveExportPart['kind'], label: string, disabled: boolean) =>
            <label className='imageparser-transfer-option'>
                <input type='radio' name='imageparser-export-part' data-part={kind} value={kind} checked={this.part.kind === kind} disabled={disabled}
                    onChange={this.onPartChange} />
                {label}
            </label>;
        return <fieldset className='imageparser-transfer-parts' data-role='scope'>
            <legend>{nls.localize('imageparser/collections/transfer/partLabel', 'What to export')}</legend>
            {radio('archive', nls.localize('imageparser/collections/transfer/scope/archive', 'The whole archive'), false)}
            {radio('results', resultCount
                ? nls.localize('imageparser/collections/transfer/scope/results', 'The current results ({0})', resultCount.toLocaleString(locale))
                : nls.localize('imageparser/collections/transfer/scope/noResults', 'The current results (search first)'), !resultCount)}
            {radio('collection', collections.length
                ? nls.localize('imageparser/collections/transfer/scope/aCollection', 'A collection, smart collection or folder of collections:')
                : nls.localize('imageparser/collections/transfer/scope/noCollection', 'A collection (there is none yet)'), !collections.length)}
            <select className='theia-select imageparser-transfer-part-choice' data-role='collection' disabled={!collections.length}
                value={this.collectionId ?? ''} onChange={this.onCollectionChange}
                aria-label={nls.localize('imageparser/collections/transfer/collectionLabel', 'Collection')}>
                {collections.map(collection => <option key={collection.id} value={collection.id}>
                    {'\u00a0\u00a0'.repeat(collection.depth) + describeCollectionOption(collection)}
                </option>)}
            </select>
            {radio('folder', folders.length ? nls.localize('imageparser/collections/transfer/scope/aFolder', 'A folder of images:')
                : nls.localize('imageparser/collections/transfer/scope/noFolder', 'A folder of images (the archive has none yet)'), !folders.length)}
            <select className='theia-select imageparser-transfer-part-choice' data-role='folder' disabled={!folders.length}
                value={this.folderPath ?? ''} onChange={this.onFolderChange}
                aria-label={nls.localize('imageparser/collections/transfer/folderLabel', 'Folder')}>
                {folders.map(folder => <option key={folder.path} value={folder.path}>
                    {nls.localize('imageparser/collections/transfer/folderOption', '{0} ({1})', folder.path, describeImageCount(folder.assets))}
                </option>)}
            </select>
        </fieldset>;
    }
}

function describeImageCount(count: number): string {
    const text = count.toLocaleString(nls.locale ?? 'en-US');
    return plural(count, nls.localize('imageparser/collections/transfer/imageCount/one', '{0} image', text),
        nls.localize('imageparser/collections/transfer/imageCount/other', '{0} images', text));
}

/** "Heroes (smart collection, 12 images)". */
export function describeCollectionOption(collection: ExportCollectionOption): string {
    if (collection.kind === 'folder') {
        return nls.localize('imageparser/collections/transfer/folderOfCollections', '{0} (folder)', collection.name);
    }
    const kind = collection.kind === 'smart' ? nls.localize('imageparser/collections/transfer/kind/smart', 'smart collection')
        : nls.localize('imageparser/collections/transfer/kind/manual', 'collection');
    return nls.localize('imageparser/collections/transfer/collectionOption', '{0} ({1}, {2})', collection.name, kind, describeImageCount(collection.count));
}
