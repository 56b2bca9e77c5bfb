/** The id of the ImageParser fleet admin view. */
export const FLEET_VIEW_ID = 'imageparser-fleet';
