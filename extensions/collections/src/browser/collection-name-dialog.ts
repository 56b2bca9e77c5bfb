import { injectable } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { SingleTextInputDialog } from '@theia/core/lib/browser/dialogs';

/** Asks for a collection's or folder's name; an empty name is refused in the dialog. */
@injectable()
export class CollectionNameDialog {

    /** The name typed (trimmed), or undefined when the dialog was cancelled. */
    async ask(title: string, initialValue = ''): Promise<string | undefined> {
        const dialog = new SingleTextInputDialog({
            title,
            initialValue,
            initialSelectionRange: { start: 0, end: initialValue.length },
            placeholder: nls.localize('imageparser/collections/namePlaceholder', 'Name'),
            validate: input => input.trim() ? '' : nls.localize('imageparser/collections/nameEmpty', 'Type a name.')
        });
        const name = await dialog.open();
        return name?.trim() || undefined;
    }
}
