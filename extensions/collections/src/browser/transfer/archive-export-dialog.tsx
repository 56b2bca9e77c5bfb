import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { DialogMode, DialogError } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';

/** What the user chose in the export dialog. */
export interface ArchiveExportChoice {
    readonly file: string;
    readonly includeMedia: boolean;
    readonly includePaths: boolean;
}

export interface ArchiveExportDialogOptions {
    /** What is exported, e.g. "The whole archive" or "Collection: Heroes". */
    readonly scopeLabel: string;
    /** The file offered at first. */
    readonly file: string;
    /** Asks for a file in the save dialog; answers its path, or undefined when the user cancelled. */
    readonly chooseFile: (current: string) => Promise<string | undefined>;
}

/**
 * The export's options: where the file goes (a path on the backend's
 * machine, typed or chosen), whether thumbnails and previews travel and
 * whether the original folder paths do.
 */
export class ArchiveExportDialog extends ReactDialog<ArchiveExportChoice> {

    protected file: string;
    protected includeMedia = true;
    protected includePaths = true;

    constructor(protected readonly options: ArchiveExportDialogOptions) {
        super({ title: nls.localize('imageparser/collections/transfer/exportTitle', 'Export Archive') });
        this.addClass('imageparser-transfer-dialog');
        this.addClass('imageparser-export-dialog');
        this.file = options.file;
        this.appendCloseButton(nls.localize('imageparser/collections/transfer/cancel', 'Cancel'));
        this.appendAcceptButton(nls.localize('imageparser/collections/transfer/exportButton', 'Export'));
        this.update();
    }

    get value(): ArchiveExportChoice {
        return { file: this.file.trim(), includeMedia: this.includeMedia, includePaths: this.includePaths };
    }

    protected override isValid(value: ArchiveExportChoice, mode: DialogMode): DialogError {
        if (!value.file) {
            return mode === 'open' ? '' : nls.localize('imageparser/collections/transfer/fileNeeded', 'Choose the file to write.');
        }
        return /^(\/|[A-Za-z]:[\\/])/.test(value.file) ? ''
            : nls.localize('imageparser/collections/transfer/absoluteNeeded', 'Give the full path of the file, starting at the top folder.');
    }

    protected readonly onFileChange = (event: React.ChangeEvent<HTMLInputElement>) => {
        this.file = event.target.value;
        this.update();
    };

    protected readonly onBrowse = async () => {
        const chosen = await this.options.chooseFile(this.file);
        if (chosen) {
            this.file = chosen;
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
            <div className='imageparser-transfer-scope' data-role='scope'>{this.options.scopeLabel}</div>
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
}
