import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { ArchiveStatus } from '../common/archive-protocol';
import { describeReadOnlyArchive } from './archive-error-messages';
import { ArchiveStatusModel } from './archive-status-model';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { IngestCommands } from './ingest/ingest-frontend-contribution';

/** "Focus Image Search", contributed by `@imageparser/search-view` (which builds on this package); the Search button shows when it is installed. */
export const FOCUS_IMAGE_SEARCH_COMMAND = 'imageparser.search.focus';

/** The ImageParser welcome page: what the app is and the state of the archive it serves. */
@injectable()
export class ArchiveWelcomeWidget extends ReactWidget {

    static readonly ID = 'imageparser-welcome';
    static readonly LABEL = nls.localize('imageparser/archive-core/welcome/title', 'Welcome to ImageParser');

    @inject(ArchiveStatusModel)
    protected readonly model: ArchiveStatusModel;

    @inject(CommandRegistry)
    protected readonly commands: CommandRegistry;

    @postConstruct()
    protected init(): void {
        this.id = ArchiveWelcomeWidget.ID;
        this.title.label = ArchiveWelcomeWidget.LABEL;
        this.title.caption = ArchiveWelcomeWidget.LABEL;
        this.title.iconClass = codicon('file-media');
        this.title.closable = true;
        this.addClass('imageparser-welcome');
        this.node.tabIndex = 0;
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.update();
    }

    protected override onActivateRequest(): void {
        this.node.focus();
    }

    protected render(): React.ReactNode {
        return <div className='imageparser-welcome-content'>
            {this.renderHeader()}
            {this.renderStatus()}
        </div>;
    }

    protected renderHeader(): React.ReactNode {
        return <header>
            <h1>{nls.localize('imageparser/archive-core/welcome/heading', 'ImageParser')}</h1>
            <p>{nls.localize('imageparser/archive-core/welcome/intro',
                'A searchable archive for folders of PSD, PNG and JPG files: search by words, by look and by meaning.')}</p>
        </header>;
    }

    protected renderStatus(): React.ReactNode {
        const state = this.model.state;
        return <section className='imageparser-welcome-status' aria-live='polite'>
            <h2>{nls.localize('imageparser/archive-core/welcome/archive', 'Archive')}</h2>
            {state.kind === 'loading' && <p>{nls.localize('imageparser/archive-core/welcome/loading', 'Opening the archive…')}</p>}
            {state.kind === 'error' && this.renderError(state.message, state.detail)}
            {state.kind === 'ready' && this.renderStatusTable(state.status)}
            <div className='imageparser-welcome-actions'>
                <button className='theia-button' onClick={this.addFolder}>
                    {nls.localize('imageparser/archive-core/welcome/addFolder', 'Add Folder…')}
                </button>
                {this.commands.getCommand(FOCUS_IMAGE_SEARCH_COMMAND) && <button className='theia-button imageparser-welcome-search' onClick={this.search}>
                    {nls.localize('imageparser/archive-core/welcome/search', 'Search')}
                </button>}
                <button className='theia-button secondary' onClick={this.refresh}>
                    {nls.localize('imageparser/archive-core/welcome/refresh', 'Refresh')}
                </button>
            </div>
        </section>;
    }

    protected renderError(message: string, detail?: string): React.ReactNode {
        return <div className='imageparser-welcome-error' role='alert'>
            <p>{message}</p>
            {detail && <p className='imageparser-welcome-error-detail'>{detail}</p>}
        </div>;
    }

    protected renderStatusTable(status: ArchiveStatus): React.ReactNode {
        const rows: [string, string, string][] = [
            ['location', nls.localize('imageparser/archive-core/welcome/location', 'Location'), status.location],
            ['assets', nls.localize('imageparser/archive-core/welcome/assetCount', 'Assets'), status.assetCount.toLocaleString(nls.locale)],
            ['schema', nls.localize('imageparser/archive-core/welcome/schemaVersion', 'Schema version'), String(status.schemaVersion)],
            ['sqlite', nls.localize('imageparser/archive-core/welcome/sqliteVersion', 'SQLite'), status.sqliteVersion],
            ['sqlite-vec', nls.localize('imageparser/archive-core/welcome/sqliteVecVersion', 'sqlite-vec'), status.sqliteVecVersion],
            ['access', nls.localize('imageparser/archive-core/welcome/access', 'Access'), status.readOnly
                ? nls.localize('imageparser/archive-core/welcome/readOnly', 'Read-only')
                : nls.localize('imageparser/archive-core/welcome/readWrite', 'Read and write')]
        ];
        return <>
            {status.readOnly && <p className='imageparser-welcome-read-only' role='status'>{describeReadOnlyArchive()}</p>}
            <table className='imageparser-welcome-table'>
                <tbody>
                    {rows.map(([key, label, value]) => <tr key={key} data-field={key}>
                        <th scope='row'>{label}</th>
                        <td>{value}</td>
                    </tr>)}
                </tbody>
            </table>
        </>;
    }

    protected addFolder = (): void => {
        this.commands.executeCommand(IngestCommands.ADD_FOLDER.id);
    };

    protected search = (): void => {
        this.commands.executeCommand(FOCUS_IMAGE_SEARCH_COMMAND);
    };

    protected refresh = (): void => {
        this.model.refresh();
    };
}
