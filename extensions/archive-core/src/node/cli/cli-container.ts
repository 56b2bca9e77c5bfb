import * as path from 'path';
import { Container, ContainerModule, interfaces } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { DefaultArchiveIngester } from '../ingest/archive-ingester';
import { bindIngest } from '../ingest/ingest-bindings';
import { bindInference } from '../inference/inference-bindings';
import { OcrEngine } from '../inference/ocr/ocr-engine';
import { bindPhasePipeline } from '../jobs/phase-bindings';
import { ArchiveLocation } from '../store/archive-location';
import { ArchiveStore } from '../store/archive-store';
import { bindArchiveStore } from '../store/store-bindings';
import { bindSearch } from '../search/search-bindings';
import { bindArchiveExport } from '../transfer/archive-export-bindings';
import { bindArchiveImport } from '../transfer/archive-import-bindings';
import { createCliLogger } from './cli-logger';

/**
 * Modules that contribute phases to the command-line tool, separated like
 * PATH: each exports (as `default` or as the module) an inversify
 * ContainerModule that binds its `PhaseContribution`s, as a package's
 * backend module does in the app.
 */
export const PHASE_MODULES_ENV = 'IMAGEPARSER_PHASE_MODULES';

/**
 * The services every command uses, over the archive at `location`, bound by
 * the same functions as the backend's: store, ingester (with `threads`
 * parse threads, the number of cores by default) and the phases with their
 * queue and OCR, the search engine and the archive exporter.
 */
export function createCliContainer(location: ArchiveLocation, threads?: number): Container {
    const container = new Container();
    const bind: interfaces.Bind = container.bind.bind(container);
    container.bind(ILogger).toConstantValue(createCliLogger());
    bindArchiveStore(bind, { location });
    bindIngest(bind, { parsePool: { threads } });
    bindPhasePipeline(bind);
    bindInference(bind);
    bindSearch(bind);
    bindArchiveExport(bind);
    bindArchiveImport(bind);
    for (const module of phaseModules(process.env[PHASE_MODULES_ENV])) {
        container.load(module);
    }
    return container;
}

function phaseModules(list: string | undefined): ContainerModule[] {
    return (list ?? '').split(path.delimiter).filter(Boolean).map(file => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(path.resolve(file));
        const module = loaded?.default ?? loaded;
        if (!(module instanceof ContainerModule)) {
            throw new Error(`${file} (in ${PHASE_MODULES_ENV}) does not export an inversify ContainerModule`);
        }
        return module;
    });
}

/** Stops what the container started and closes the archive once its sweep of temporary files is over. */
export async function closeCliContainer(container: Container): Promise<void> {
    await container.get(DefaultArchiveIngester).onStop();
    // The OCR threads would keep the process alive until their idle unload.
    await container.get<OcrEngine>(OcrEngine).dispose();
    const store = container.get<ArchiveStore>(ArchiveStore);
    const open = store.opened();
    if (open) {
        await open.swept;
    }
    store.close();
}
