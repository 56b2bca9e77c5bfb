import { nls } from '@theia/core/lib/common/nls';

/** A text field a hit matched in (the engine's column name: name, path, layers, text, tags, captions, comments, ocr), in the display language. */
export function matchFieldText(field: string): string {
    switch (field) {
        case 'name': return nls.localize('imageparser/search-view/field/name', 'file name');
        case 'path': return nls.localize('imageparser/search-view/field/path', 'path');
        case 'layers': return nls.localize('imageparser/search-view/field/layers', 'layer names');
        case 'text': return nls.localize('imageparser/search-view/field/text', 'text layers');
        case 'tags': return nls.localize('imageparser/search-view/field/tags', 'tags');
        case 'captions': return nls.localize('imageparser/search-view/field/captions', 'captions');
        case 'comments': return nls.localize('imageparser/search-view/field/comments', 'comments');
        case 'ocr': return nls.localize('imageparser/search-view/field/ocr', 'text in image');
        default: return field;
    }
}
