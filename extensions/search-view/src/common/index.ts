/** The id of the ImageParser search view container in the side bar. */
export const SEARCH_VIEW_CONTAINER_ID = 'imageparser-search';
