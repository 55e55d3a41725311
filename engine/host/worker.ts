/** Engine entry for a Web Worker (the browser build and the end-to-end tests). */
import { EngineHost } from './host';

const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

const host = new EngineHost((event, transfer) => scope.postMessage(event, transfer ?? []));
scope.onmessage = (event) => {
  void host.handle(event.data);
};
host.ready();
