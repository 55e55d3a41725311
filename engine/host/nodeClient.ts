/** Node only: start the engine in a child process and talk to it through an EngineClient. */
import { fork, type Serializable, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EngineClient } from './client';
import type { EngineEvent } from './protocol';

export interface ForkedEngine {
  client: EngineClient;
  child: ChildProcess;
  /** Resolves when the engine has said it is ready. */
  ready: Promise<void>;
}

export function forkEngine(): ForkedEngine {
  const entry = fileURLToPath(new URL('./nodeProcess.ts', import.meta.url));
  const child = fork(entry, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const client = new EngineClient((message) => {
    if (child.connected) child.send(message as Serializable);
    else throw new Error('The engine process is not connected');
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-2000);
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: EngineEvent) => {
      if (message?.type === 'ready') resolve();
      client.receive(message);
    });
    child.on('exit', (code, signal) => {
      const reason = signal ? `killed by ${signal}` : `exited with code ${code}`;
      reject(new Error(`The engine process ${reason}${stderr ? `: ${stderr.trim()}` : ''}`));
      client.transportClosed(reason);
    });
  });
  return { client, child, ready };
}
