import type { IpcHost } from '../../src/store/ipc-host.js';
import type { CallsMessage, IpcChannel } from '../../src/store/ipc-protocol.js';

/**
 * A worker's channel to an IPC host in this process, as node's IPC behaves: each message is a copy
 * (structured clone), and arrives on a later event-loop turn.
 */
export function channelTo(host: IpcHost): IpcChannel {
  const handlers: Array<(message: unknown) => void> = [];
  return {
    send(message) {
      const copy = structuredClone(message) as CallsMessage;
      setImmediate(() =>
        host.handle(copy, (answers) => {
          const back = structuredClone(answers);
          setImmediate(() => {
            for (const handler of handlers) handler(back);
          });
        }),
      );
    },
    onMessage: (handler) => handlers.push(handler),
  };
}
