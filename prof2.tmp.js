require('reflect-metadata');
const { Container } = require('@theia/core/shared/inversify');
const { ILogger } = require('@theia/core/lib/common/logger');
const { MockLogger } = require('@theia/core/lib/common/test/mock-logger');
const { ArchiveLocationProvider } = require('@imageparser/archive-core/lib/node/store/archive-location-provider');
const { DefaultArchiveStore, ArchiveStore } = require('@imageparser/archive-core/lib/node/store/archive-store');
const { SqliteVectorIndexRepository, VectorIndexRepository } = require('@imageparser/archive-core/lib/node/store/vector-index-repository');
const { bindSearch } = require('@imageparser/archive-core/lib/node/search/search-bindings');
const { SearchService } = require('@imageparser/archive-core/lib/common/search-protocol');
const { vocabulary } = require('./bench/lib/search/synthetic-archive');
(async () => {
  const c = new Container();
  c.bind(ILogger).to(MockLogger).inSingletonScope();
  c.bind(ArchiveLocationProvider).toConstantValue({ resolve: async () => ({ folder: '.bench-data/search-20000', source: 'environment' }) });
  c.bind(DefaultArchiveStore).toSelf().inSingletonScope(); c.bind(ArchiveStore).toService(DefaultArchiveStore);
  c.bind(SqliteVectorIndexRepository).toSelf().inSingletonScope(); c.bind(VectorIndexRepository).toService(SqliteVectorIndexRepository);
  bindSearch(c.bind.bind(c));
  const s = c.get(SearchService);
  const words = vocabulary().slice(0, 60);
  const res = [];
  for (const w of words) { const t = performance.now(); const r = await s.search({ text: w, limit: 100 }); res.push([performance.now() - t, w, r.total]); }
  res.sort((a,b)=>b[0]-a[0]); console.log(res.slice(0,8));
})();
