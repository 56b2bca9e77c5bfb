import { nls } from '@theia/core/lib/common/nls';
import { Dialog, SingleTextInputDialog, SingleTextInputDialogProps } from '@theia/core/lib/browser/dialogs';
import { MAX_COLLECTION_NAME_LENGTH } from '@imageparser/archive-core/lib/common/collection-protocol';

/** What the name dialog shows besides its title and the name. */
export interface CollectionNameInputDialogProps extends SingleTextInputDialogProps {
    /** A line above the name, e.g. how many images go into the new collection. */
    readonly detail?: string;
}

/**
 * A dialog for one name, with Cancel beside OK. A name the store would
 * refuse is refused here first, saying why: an empty one (once the user
 * typed and cleared it or pressed OK, not before anything was typed) and
 * one longer than {@link MAX_COLLECTION_NAME_LENGTH} characters.
 */
export class CollectionNameInputDialog extends SingleTextInputDialog {

    /** Whether the user typed in the name field (or tried to confirm). */
    protected touched = false;

    constructor(props: CollectionNameInputDialogProps) {
        super(props);
        if (props.detail) {
            const detail = document.createElement('p');
            detail.className = 'imageparser-collection-name-detail';
            detail.textContent = props.detail;
            this.contentNode.insertBefore(detail, this.inputField);
        }
        const cancel = this.createButton(Dialog.CANCEL);
        cancel.classList.add('secondary');
        this.controlPanel.insertBefore(cancel, this.acceptButton ?? null);
        this.closeButton = cancel;
        this.inputField.addEventListener('input', () => this.touched = true);
    }

    protected override isValid(input: string, mode: 'open' | 'preview'): string {
        if (mode === 'open') {
            this.touched = true;
        }
        const name = input.trim();
        if (!name) {
            return this.touched ? nls.localize('imageparser/collections/nameEmpty', 'Type a name.') : '';
        }
        if (name.length > MAX_COLLECTION_NAME_LENGTH) {
            return nls.localize('imageparser/collections/nameTooLong', 'A name can be at most {0} characters long; this one has {1}.',
                MAX_COLLECTION_NAME_LENGTH, name.length);
        }
        return '';
    }
}
