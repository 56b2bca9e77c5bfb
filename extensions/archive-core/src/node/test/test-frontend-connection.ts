import { Container, decorate, injectable, interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { AbstractChannel, Channel, ChannelMultiplexer } from '@theia/core/lib/common/message-rpc/channel';
import { Uint8ArrayReadBuffer, Uint8ArrayWriteBuffer } from '@theia/core/lib/common/message-rpc/uint8-array-message-buffer';
import { servicesPath } from '@theia/core/lib/common/messaging/handler';
import { RpcProxy, RpcProxyFactory } from '@theia/core/lib/common/messaging/proxy-factory';
import { WriteBuffer } from '@theia/core/lib/common/message-rpc/message-buffer';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { DefaultMessagingService, MessagingContainer } from '@theia/core/lib/node/messaging/default-messaging-service';
import { FrontendConnectionService } from '@theia/core/lib/node/messaging/frontend-connection-service';
import { MessagingService } from '@theia/core/lib/node/messaging/messaging-service';

/**
 * A frontend connected to a test container's backend services the way a
 * browser window is connected: through Theia's own messaging service, which
 * makes the connection's child container and loads every
 * `ConnectionContainerModule` into it, with RPC over a multiplexed socket
 * (kept in memory, without the websocket).
 */
export interface TestFrontendConnection {
    /** The container the backend made for this connection. */
    readonly container: interfaces.Container;
    /** A proxy of the backend service at `path` on a channel of its own, as the frontend's `RemoteConnectionProvider` makes one. */
    proxy<T extends object>(path: string, client?: object): RpcProxy<T>;
    /** Closes the connection, as closing the window does; the backend drops the connection's container. */
    close(): Promise<void>;
}

/** The messaging service of a test container; it keeps the container of each connection for the test to look at. */
class TestMessagingService extends DefaultMessagingService {

    readonly connectionContainers = new Map<Channel, Container>();

    protected override createMainChannelContainer(socket: Channel): Container {
        const container = super.createMainChannelContainer(socket);
        this.connectionContainers.set(socket, container);
        return container;
    }
}

// Not with decorator syntax: vitest's transform of `@injectable()` on this subclass fails to load (a SyntaxError).
decorate(injectable(), TestMessagingService);

/** One end of an in-memory socket: what it writes arrives at the other end. */
class SocketEnd extends AbstractChannel {

    other: SocketEnd;

    getWriteBuffer(): WriteBuffer {
        const buffer = new Uint8ArrayWriteBuffer();
        buffer.onCommit(bytes => this.other.onMessageEmitter.fire(() => new Uint8ArrayReadBuffer(bytes)));
        return buffer;
    }

    override close(): void {
        super.close();
        this.other.onCloseEmitter.fire({ reason: 'The other end closed the socket' });
    }
}

/**
 * Connects a new frontend to `container`'s services (the archive test
 * container, or any with the backend's `ConnectionHandler`s and
 * `ConnectionContainerModule`s bound); the first call sets up the
 * container's messaging service and makes its backend contributions, as
 * the backend's start does.
 */
export function connectTestFrontend(container: Container): TestFrontendConnection {
    const messaging = testMessagingService(container);
    const frontendEnd = new SocketEnd();
    const backendEnd = new SocketEnd();
    frontendEnd.other = backendEnd;
    backendEnd.other = frontendEnd;
    messaging.connect(backendEnd);
    const connectionContainer = messaging.service.connectionContainers.get(backendEnd)!;
    const multiplexer = new ChannelMultiplexer(frontendEnd);
    return {
        container: connectionContainer,
        proxy: <T extends object>(path: string, client?: object) => {
            const factory = new RpcProxyFactory<T>(client);
            multiplexer.open(path).then(channel => factory.listen(channel));
            return factory.createProxy();
        },
        close: async () => {
            frontendEnd.close();
            // The backend drops the connection's container asynchronously.
            await new Promise<void>(resolve => setImmediate(resolve));
        }
    };
}

interface TestMessaging {
    readonly service: TestMessagingService;
    connect(socket: Channel): void;
}

const messagingOf = new WeakMap<Container, TestMessaging>();

function testMessagingService(container: Container): TestMessaging {
    let messaging = messagingOf.get(container);
    if (!messaging) {
        let connect: ((params: MessagingService.PathParams, socket: Channel) => void) | undefined;
        container.bind(MessagingContainer).toConstantValue(container);
        container.bind<FrontendConnectionService>(FrontendConnectionService).toConstantValue({
            registerConnectionHandler: (path, callback) => {
                if (path === servicesPath) {
                    connect = callback;
                }
            }
        });
        bindRootContributionProvider(container, MessagingService.Contribution);
        container.bind(TestMessagingService).toSelf().inSingletonScope();
        // As the backend's start, which makes every BackendApplicationContribution (and what they use) before the first connection.
        if (container.isBound(BackendApplicationContribution)) {
            container.getAll(BackendApplicationContribution);
        }
        const service = container.get(TestMessagingService);
        service.initialize();
        messaging = { service, connect: socket => connect!({}, socket) };
        messagingOf.set(container, messaging);
    }
    return messaging;
}
