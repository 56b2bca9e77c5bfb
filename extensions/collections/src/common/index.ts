/** The collections package's shared part: the protocol lives in @imageparser/archive-core (collection-protocol, archive-transfer-protocol). */
export * from '@imageparser/archive-core/lib/common/collection-protocol';
