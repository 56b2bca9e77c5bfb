import { injectable } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { CollectionNameInputDialog } from './collection-name-input-dialog';

/**
 * Asks for a name in a small dialog that says why a name is refused: every
 * name of the collections scope (a collection, a folder, a smart collection,
 * a filter preset; new or renamed) is asked this one way.
 */
@injectable()
export class CollectionNameDialog {

    /**
     * The name typed (trimmed), or undefined when the dialog was cancelled.
     * `detail` is a line above the name (how many images go in, which filters).
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
