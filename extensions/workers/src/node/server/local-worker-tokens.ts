import { injectable } from '@theia/core/shared/inversify';

export const LocalWorkerTokens = Symbol('LocalWorkerTokens');

/** The tokens this server issued to the worker it starts on its own machine (the Contribute command), so its sessions show as local. */
export interface LocalWorkerTokens {
    add(tokenId: string): void;
    remove(tokenId: string): void;
    isLocal(tokenId: string): boolean;
}

@injectable()
export class DefaultLocalWorkerTokens implements LocalWorkerTokens {

    protected readonly ids = new Set<string>();

    add(tokenId: string): void {
        this.ids.add(tokenId);
    }

    remove(tokenId: string): void {
        this.ids.delete(tokenId);
    }

    isLocal(tokenId: string): boolean {
        return this.ids.has(tokenId);
    }
}
