// Runs the emulator on its own thread, so the benchmarks measure the client's heap and CPU,
// not the server's.
import { parentPort, workerData } from 'node:worker_threads';
import { startEmulator } from '../dist/emulator/index.js';

const emu = await startEmulator(workerData);
parentPort.postMessage({
  url: emu.url,
  projectId: emu.projectId,
  instanceId: emu.instanceId,
  token: emu.token,
  credentials: emu.credentials,
});
