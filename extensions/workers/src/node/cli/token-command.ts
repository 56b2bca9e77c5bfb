/**
 * `imageparser token issue <label> | list | revoke <id> [--archive <folder>]`:
 * the worker tokens of an archive's fleet, as the fleet panel manages them.
 * `issue` prints the secret alone on standard output (it is shown this once;
 * only its hash is kept), so a script can take it: `T=$(imageparser token issue "GPU room 3")`.
 */
import 'reflect-metadata';
import { printable } from '@imageparser/archive-core/lib/common/printable-text';
import { cliArchiveLocation } from '@imageparser/archive-core/lib/node/cli/cli-archive-location';
import { closeCliContainer, createCliContainer } from '@imageparser/archive-core/lib/node/cli/cli-container';
import { WorkerTokenService } from '../server/worker-token-service';
import { bindFleetServer } from '../server/fleet-server-bindings';
import { CliUsageError, parseCliArguments, stringOption } from './cli-options';

const USAGE = `usage: imageparser token issue <label> [--archive <folder>]   issue a worker token (its secret is printed once)
       imageparser token list [--archive <folder>]            list the tokens: id, state, created, label
       imageparser token revoke <id> [--archive <folder>]     revoke a token: its workers are refused from their next call`;

export async function run(args: readonly string[]): Promise<number> {
    let archive: string | undefined;
    let action: string;
    let argument: string | undefined;
    try {
        const parsed = parseCliArguments(args, ['archive', 'help']);
        if ('error' in parsed) {
            throw new CliUsageError(parsed.error);
        }
        if (parsed.options.has('help')) {
            process.stdout.write(`${USAGE}\n`);
            return 0;
        }
        archive = stringOption(parsed, 'archive');
        [action, argument] = parsed.positional;
        const arity: Record<string, number> = { issue: 2, list: 1, revoke: 2 };
        if (!action || !(action in arity)) {
            throw new CliUsageError(action ? `unknown token command ${printable(action)}` : 'token needs issue, list or revoke');
        }
        if (parsed.positional.length !== arity[action]) {
            throw new CliUsageError(action === 'list' ? 'token list takes no argument' : `token ${action} needs ${action === 'issue' ? 'a label' : 'the token id'}`);
        }
    } catch (error) {
        if (error instanceof CliUsageError) {
            process.stderr.write(`imageparser: ${error.message}\n${USAGE}\n`);
            return 2;
        }
        throw error;
    }

    const location = cliArchiveLocation(archive);
    const container = createCliContainer(location);
    bindFleetServer(container.bind.bind(container));
    const tokens = container.get<WorkerTokenService>(WorkerTokenService);
    try {
        if (action === 'issue') {
            const issued = await tokens.issue(argument!);
            process.stderr.write(`imageparser: token ${issued.record.id} issued for ${printable(issued.record.label)}; its secret is printed once:\n`);
            process.stdout.write(`${issued.secret}\n`);
        } else if (action === 'revoke') {
            await tokens.revoke(argument!);
            process.stdout.write(`token ${printable(argument!)} revoked\n`);
        } else {
            for (const token of await tokens.list()) {
                const state = token.revokedAt ? `revoked ${token.revokedAt}` : 'active';
                process.stdout.write(`${token.id}  ${state}  created ${token.createdAt}  ${printable(token.label)}\n`);
            }
        }
        return 0;
    } catch (error) {
        process.stderr.write(`imageparser: ${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
    } finally {
        await closeCliContainer(container);
    }
}
