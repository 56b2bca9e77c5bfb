import { ContainerModule } from '@theia/core/shared/inversify';
import { bindLocalWorkerLauncher } from './runtime/child-process-worker-launcher';

/** The in-process worker runtime that claims phase jobs from archive-core's job queue. */
export default new ContainerModule(bind => {
    bindLocalWorkerLauncher(bind);
});
