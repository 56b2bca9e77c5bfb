export * from './archive-protocol';
export * from './archive-preferences';
export * from './media-protocol';
export * from './ingest-protocol';
export * from './annotation-protocol';
export * from './asset-details-protocol';
export * from './asset-uri';
export * from './file-problem-protocol';
