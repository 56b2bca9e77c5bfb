import { injectable } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { CollectionNameInputDialog } from './collection-name-input-dialog';

/** Asks for a collection's or folder's name; an empty name is refused in the dialog. */
@injectable()
export class CollectionNameDialog {

    /**
     * The name typed (trimmed), or undefined when the dialog was cancelled.
     * `detail` is a line above the name (how many images go in).
     */
    async ask(title: string, initialValue = '', detail?: string): Promise<string | undefined> {
        const dialog = new CollectionNameInputDialog({
            title,
            detail,
            initialValue,
            initialSelectionRange: { start: 0, end: initialValue.length },
            placeholder: nls.localize('imageparser/collections/namePlaceholder', 'Name')
        });
        const name = await dialog.open();
        return name?.trim() || undefined;
    }
}
