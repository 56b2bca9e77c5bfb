import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { FLEET_SERVICE_PATH, FleetService } from '../common/fleet-service';
import { FleetEvents } from './fleet-events';
import { FleetModel } from './fleet-model';
import { FleetViewContribution } from './fleet-view-contribution';
import { FleetWidget } from './fleet-widget';
import '../../src/browser/style/fleet-view.css';

/** The fleet admin panel: workers, roles, state, resources, schedules, per-phase queues, commands and worker tokens. */
export default new ContainerModule(bind => {
    bind(FleetEvents).toSelf().inSingletonScope();
    bind(FleetService).toDynamicValue(({ container }) =>
        ServiceConnectionProvider.createProxy<FleetService>(container, FLEET_SERVICE_PATH, container.get(FleetEvents))
    ).inSingletonScope();
    bind(FleetModel).toSelf().inSingletonScope();

    bind(FleetWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: FleetWidget.ID, createWidget: () => ctx.container.get(FleetWidget) })).inSingletonScope();
    bindViewContribution(bind, FleetViewContribution);
});
