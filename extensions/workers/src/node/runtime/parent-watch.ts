/** How often the parent process is looked for. */
const PARENT_CHECK_MS = 1000;

/**
 * Calls `onGone` once when this process's parent is gone: its IPC channel
 * disconnected (a parent that spawned it with one: the app's Contribute
 * command, a test), or the parent's pid no longer runs (the process was
 * given to another parent, as happens when the parent was killed). Answers
 * a function that stops watching. The timer never keeps the process alive.
 */
export function watchParent(onGone: () => void): () => void {
    const parent = process.ppid;
    let done = false;
    const gone = () => {
        if (!done) {
            done = true;
            stop();
            onGone();
        }
    };
    const timer = setInterval(() => {
        if (process.ppid !== parent || !isRunning(parent)) {
            gone();
        }
    }, PARENT_CHECK_MS);
    timer.unref();
    if (process.connected) {
        process.once('disconnect', gone);
    }
    const stop = () => {
        done = true;
        clearInterval(timer);
        process.removeListener('disconnect', gone);
    };
    return stop;
}

function isRunning(pid: number): boolean {
    if (pid <= 1) {
        // Started by init (a service manager, a container): that parent never goes away.
        return true;
    }
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        // EPERM: it runs under another user.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}
