/** The Electron shell's file actions (Theia's preload API); absent in a browser. */
interface ElectronFileActions {
    showItemInFolder(fsPath: string): void;
    openWithSystemApp(location: string): void;
}

export function desktopActions(): ElectronFileActions | undefined {
    const api = (window as unknown as { electronTheiaCore?: Partial<ElectronFileActions> }).electronTheiaCore;
    return api?.showItemInFolder && api.openWithSystemApp ? api as ElectronFileActions : undefined;
}
