/** The id prefix of ImageParser lightbox editors. */
export const VIEWER_WIDGET_ID_PREFIX = 'imageparser-viewer';
