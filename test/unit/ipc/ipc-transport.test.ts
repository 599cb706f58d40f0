// The desktop transport, run for real without Electron: electron/main/ipc-core.ts (what
// electron/main/ipc.ts hands ipcMain to), the preload's bridge and the renderer's IPC transport,
// over an in-memory IpcMainLike/IpcRendererLike pair. Every contract method round-trips against a
// real workbench; an unknown sender is refused; a malformed message never reaches a handler
// (1,000 generated ones included); the lint ban on raw ipcMain/ipcRenderer catches every import form.
import { ESLint } from 'eslint';
import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../../electron/api/dispatcher.ts';
import { openWorkbench, type Workbench } from '../../../electron/api/workbench.ts';
import { sendEventTo, serveApiOverIpcWith } from '../../../electron/main/ipc-core.ts';
import { createBridge } from '../../../electron/preload/bridge.ts';
import { createIpcTransport } from '../../../renderer/src/api/ipc-transport.ts';
import { createClient } from '../../../shared/client.ts';
import { API_ERROR_CODES, ApiError, methods, type Envelope, type MethodName } from '../../../shared/contract.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/ipc-channels.ts';
import { homeWithCompletedRun, tempDir, type Fixture } from '../../integration/safety/home-fixture.ts';
import { APP_FRAME, FakeIpc, TRUSTED } from './fake-ipc.ts';

const NAMES = Object.keys(methods) as MethodName[];

/** Handlers that record what reaches them and answer nothing useful. */
function spyHandlers() {
  const calls: { method: string; request: unknown }[] = [];
  const handlers = Object.fromEntries(
    NAMES.map((name) => [name, (request: unknown) => {
      calls.push({ method: name, request });
      throw new ApiError('unsupported', 'spy');
    }]),
  ) as unknown as Handlers;
  return { calls, handlers };
}

function isEnvelope(value: unknown): value is Envelope {
  const v = value as Envelope;
  if (typeof v !== 'object' || v === null || typeof v.ok !== 'boolean') return false;
  return v.ok || ((API_ERROR_CODES as readonly string[]).includes(v.error.code) && typeof v.error.message === 'string');
}

describe('IPC: every contract method round-trips against a real workbench', () => {
  let fixture: Fixture;
  let workbench: Workbench;
  let ipc: FakeIpc;
  let data: string;

  beforeAll(async () => {
    fixture = await homeWithCompletedRun();
    fixture.store.close();
    workbench = await openWorkbench({ home: fixture.home, parallel: 1 });
    ipc = new FakeIpc();
    serveApiOverIpcWith(ipc.main, workbench.dispatch, TRUSTED, undefined);
    data = tempDir();
    const [header, ...rows] = readFileSync(join(process.cwd(), 'resources', 'samples', 'recommendation', 'ratings.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(data, 'r.csv'), `${[header, ...rows.slice(0, 120)].join('\n')}\n`);
    mkdirSync(join(data, 'exports'));
  }, 60_000);
  afterAll(async () => workbench?.close());

  const id = () => fixture.runId;
  // One request per method; `repeatable` ones are compared with the same request dispatched directly.
  const cases: [MethodName, () => unknown, boolean][] = [
    ['info', () => ({}), true],
    ['datasets.add', () => ({ path: join(data, 'r.csv'), kind: 'recommendation', name: 'r' }), false],
    ['datasets.list', () => ({}), true],
    ['datasets.show', () => ({ name: 'r' }), true],
    ['datasets.remove', () => ({ name: 'no-such-dataset' }), true],
    ['runs.trainExpert', () => ({ dataset: 'no-such-dataset' }), true],
    ['runs.assemble', () => ({ experts: [id()], top_k: 1 }), true],
    ['runs.cancel', () => ({ id: id() }), true],
    ['runs.resume', () => ({ id: id() }), true],
    ['runs.list', () => ({}), true],
    ['runs.show', () => ({ id: id() }), true],
    ['runs.compare', () => ({ a: id(), b: id() }), true],
    ['runs.metrics', () => ({ id: id() }), true],
    ['runs.routing', () => ({ id: id() }), true],
    ['runs.replay', () => ({ id: 9999 }), true],
    ['runs.replayVerdict', () => ({ id: id() }), true],
    ['runs.export', () => ({ id: id(), dir: join(data, 'exports', 'one') }), false],
    ['runs.import', () => ({ dir: join(data, 'exports', 'one') }), false],
    ['predict', () => ({ id: id(), task: 'd', input: { user: 'u1', item: 'i1' } }), true],
    ['dialogs.pick', () => ({ what: 'folder', title: 'Pick' }), true],
    ['config.schema', () => ({}), true],
    ['runs.tuneExpert', () => ({ config: { dataset: 'no-such-dataset' }, budget_s: 10 }), true],
    ['runs.trainAnchored', () => ({ experts: [{ dataset: 'no-such-dataset' }] }), true],
    ['explain', () => ({ id: 9999, task: 'd', split: 'test' }), true],
    ['sweeps.start', () => ({ experts: [9999], axes: [{ path: 'top_k', values: [1] }] }), true],
    ['sweeps.show', () => ({ id: 9999 }), true],
    ['sweeps.list', () => ({}), true],
    ['sweeps.resume', () => ({ id: 9999 }), true],
    ['runs.configDiff', () => ({ ids: [id(), id()] }), true],
    ['routerBench.start', () => ({ experts: [9999] }), true],
    ['routerBench.show', () => ({ id: 9999 }), true],
    ['samples.add', () => ({}), false],
    ['demo.status', () => ({}), true],
    // A valid start would run the whole demo inside this test; the refusal of a bad request
    // still travels the whole IPC path (the demo itself is tested in first-run tests).
    ['demo.start', () => ({ epochs: 0 }), true],
  ];

  it('covers every method of the contract', () => {
    expect(cases.map(([m]) => m).sort()).toEqual([...NAMES].sort());
  });

  it.each(cases)('%s', async (method, request, repeatable) => {
    const bridge = createBridge(ipc.renderer(APP_FRAME));
    const client = createClient(createIpcTransport(bridge as WorkbenchBridge));
    const envelope = (await bridge.invoke(method, request())) as Envelope;
    expect(isEnvelope(envelope), JSON.stringify(envelope)).toBe(true);
    if (envelope.ok) expect(methods[method].response.safeParse(envelope.value).success).toBe(true);
    if (repeatable) {
      expect(envelope).toEqual(structuredClone(await workbench.dispatch(method, request())));
      // The renderer's typed client gives the value, or the same structured error.
      const viaClient = await client.call(method, request() as never).then((value) => ({ ok: true, value }), (e: ApiError) => ({ ok: false, error: e.toWire() }));
      expect(viaClient).toEqual(envelope);
    }
    if (method === 'datasets.add') expect(envelope).toMatchObject({ ok: true, value: { created: true, dataset: { name: 'r' } } });
    if (method === 'runs.export') expect(envelope).toMatchObject({ ok: true, value: { files: ['manifest.json', 'model.json', 'weights.bin'] } });
    if (method === 'runs.import') expect(envelope).toMatchObject({ ok: true, value: { id: expect.any(Number) } });
    if (method === 'samples.add') expect(envelope).toMatchObject({ ok: true, value: { datasets: expect.any(Array) } });
    if (method === 'runs.tuneExpert') expect(envelope).toMatchObject({ ok: false, error: { code: 'not_found' } });
    if (method === 'runs.trainAnchored') expect(envelope).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('no-such-dataset') } });
  });

  it('events reach the renderer validated, and stop after unsubscribe', () => {
    const bridge = createBridge(ipc.renderer(APP_FRAME));
    const client = createClient(createIpcTransport(bridge as WorkbenchBridge));
    const seen: unknown[] = [];
    const off = client.on('run.status', (e) => seen.push(e));
    sendEventTo(ipc.webContents, 'run.status', { id: 3, status: 'running', error: null });
    sendEventTo(ipc.webContents, 'run.status', { id: 'x', status: 'exploded' });
    ipc.webContents.send(IPC_EVENT_CHANNEL, 42, { id: 3 });
    off();
    sendEventTo(ipc.webContents, 'run.status', { id: 4, status: 'completed', error: null });
    expect(seen).toEqual([{ id: 3, status: 'running', error: null }]);
    expect(ipc.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    ipc.webContents.destroyed = true;
    expect(() => sendEventTo(ipc.webContents, 'run.status', { id: 5, status: 'completed', error: null })).not.toThrow();
  });
});

describe('IPC: senders and malformed messages', () => {
  it('refuses every caller but the top frame of the trusted window, before any handler', async () => {
    const { calls, handlers } = spyHandlers();
    const ipc = new FakeIpc();
    serveApiOverIpcWith(ipc.main, createDispatcher(handlers), TRUSTED, 'http://localhost:5173');
    const refused = { ok: false, error: { code: 'invalid_request', message: 'untrusted sender' } };
    for (const frame of [
      null,
      { ...APP_FRAME, processId: 8 },
      { ...APP_FRAME, parent: { url: 'file:///app/out/renderer/index.html' } },
      { ...APP_FRAME, url: 'https://evil.example/' },
      { ...APP_FRAME, url: 'http://localhost:5174/' },
    ]) {
      expect(await ipc.renderer(frame).invoke(IPC_INVOKE_CHANNEL, 'info', {})).toEqual(refused);
    }
    expect(calls).toEqual([]);
    await ipc.renderer({ ...APP_FRAME, url: 'http://localhost:5173/index.html' }).invoke(IPC_INVOKE_CHANNEL, 'info', {});
    expect(calls).toEqual([{ method: 'info', request: {} }]);
  });

  it('refuses wrong argument counts, non-string methods and invalid requests before any handler', async () => {
    const { calls, handlers } = spyHandlers();
    const ipc = new FakeIpc();
    serveApiOverIpcWith(ipc.main, createDispatcher(handlers), TRUSTED, undefined);
    const r = ipc.renderer(APP_FRAME);
    const answers = [
      await r.invoke(IPC_INVOKE_CHANNEL),
      await r.invoke(IPC_INVOKE_CHANNEL, 'info'),
      await r.invoke(IPC_INVOKE_CHANNEL, 'info', {}, 'extra'),
      await r.invoke(IPC_INVOKE_CHANNEL, ['info'], {}),
      await r.invoke(IPC_INVOKE_CHANNEL, 'constructor', {}),
      await r.invoke(IPC_INVOKE_CHANNEL, '__proto__', {}),
      await r.invoke(IPC_INVOKE_CHANNEL, 'runs.show', { id: 1n }),
      await r.invoke(IPC_INVOKE_CHANNEL, 'runs.show', new Map([['id', 1]])),
      await r.invoke(IPC_INVOKE_CHANNEL, 'datasets.show', { name: 'x', extra: new Date() }),
      await r.invoke(IPC_INVOKE_CHANNEL, 'runs.export', { id: 1, dir: new Uint8Array([47]) }),
    ];
    for (const a of answers) expect(a).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(calls).toEqual([]);
  });

  it('fuzz: 1,000 generated messages; a handler sees only requests its schema accepts; every answer an envelope', async () => {
    const { calls, handlers } = spyHandlers();
    const ipc = new FakeIpc();
    serveApiOverIpcWith(ipc.main, createDispatcher(handlers), TRUSTED, undefined);
    const r = ipc.renderer(APP_FRAME);
    // Deeply nested (as deep as Electron's structured clone carries: ~1,000 levels here).
    const deep = fc.integer({ min: 1, max: 1000 }).map((n) => {
      let v: unknown = 'x';
      for (let i = 0; i < n; i++) v = i % 2 ? { name: v } : [v];
      return v;
    });
    const request = fc.oneof(
      fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }),
      fc.record({ id: fc.oneof(fc.integer(), fc.double(), fc.string()), name: fc.string({ maxLength: 200 }), dir: fc.string(), dataset: fc.string(), experts: fc.array(fc.integer()) }, { requiredKeys: [] }),
      fc.tuple(fc.integer({ min: 100_000, max: 2_000_000 }), fc.constantFrom('name', 'dir', 'path', 'dataset')).map(([n, key]) => ({ [key]: 'x'.repeat(n) })),
      deep,
    );
    const method = fc.oneof(fc.constantFrom(...NAMES), fc.string(), fc.anything());
    await fc.assert(
      fc.asyncProperty(method, request, fc.array(fc.anything(), { maxLength: 2 }), async (m, req, extra) => {
        const before = calls.length;
        const answer = await r.invoke(IPC_INVOKE_CHANNEL, m, req, ...extra);
        expect(isEnvelope(answer)).toBe(true);
        if (calls.length > before) {
          expect(extra).toEqual([]);
          expect(methods[m as MethodName].request.safeParse(req).success).toBe(true);
        }
      }),
      { numRuns: 1000, seed: 20261130 },
    );
    // Still correct afterwards.
    handlers.info = () => ({ backend: 'wasm', versions: { node: '24', tfjs: '4', app: '0' }, home: '/h', nativeBackendHint: null });
    const ok = new FakeIpc();
    serveApiOverIpcWith(ok.main, createDispatcher(handlers), TRUSTED, undefined);
    expect(await ok.renderer(APP_FRAME).invoke(IPC_INVOKE_CHANNEL, 'info', {})).toEqual({ ok: true, value: { backend: 'wasm', versions: { node: '24', tfjs: '4', app: '0' }, home: '/h', nativeBackendHint: null } });
  }, 120_000);
});

describe('lint: raw ipcMain/ipcRenderer only in the wrappers', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const ipcErrors = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath }))[0].messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  const forbidden: [string, string][] = [
    ['electron/main/window.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n"],
    ['electron/main/window.ts', "import { ipcMain as m } from 'electron';\nm.handle('x', () => 1);\n"],
    ['electron/main/window.ts', "import * as electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);\n"],
    ['electron/main/window.ts', "import electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);\n"],
    ['electron/main/window.ts', "const { ipcMain } = await import('electron');\nexport const m = ipcMain;\n"],
    ['electron/main/window.ts', "// eslint-disable-next-line @typescript-eslint/no-require-imports\nconst e = require('electron');\nexport const m = e;\n"],
    ['electron/preload/bridge.ts', "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n"],
    ['electron/preload/bridge.ts', "import * as e from 'electron';\nexport const r = e;\n"],
  ];
  it.each(forbidden)('%s: rejects %s', async (file, code) => {
    const errors = await ipcErrors(file, code);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.every((e) => e.startsWith('Use the typed IPC wrappers'))).toBe(true);
  });
  it('allows the wrappers themselves and other Electron imports', async () => {
    expect(await ipcErrors('electron/main/ipc.ts', "import { ipcMain } from 'electron';\nexport const m = ipcMain;\n")).toEqual([]);
    expect(await ipcErrors('electron/preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron';\nexport const r = [contextBridge, ipcRenderer];\n")).toEqual([]);
    expect(await ipcErrors('electron/main/window.ts', "import { app, BrowserWindow } from 'electron';\nexport const a = [app, BrowserWindow];\n")).toEqual([]);
  });
});
