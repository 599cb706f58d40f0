// Every contract method refuses a malformed request before any handler runs, and wraps
// handler results and errors in envelopes.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, methods, type MethodName } from '../../../shared/contract.ts';
import { createDispatcher, type Handlers } from '../../../electron/api/dispatcher.ts';
import { isTrustedSender } from '../../../electron/main/sender-check.ts';

function spyHandlers() {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    Object.keys(methods).map((name) => [name, vi.fn(() => { calls.push(name); throw new Error('handler must not run'); })]),
  ) as unknown as Handlers;
  return { calls, handlers };
}

// Requests no method accepts: wrong type, unknown keys, or missing required fields.
const malformed: unknown[] = [null, 'x', 42, [], { unexpected: true, id: 'one', name: 5, path: 3, kind: 'poetry', dataset: 7, experts: 'a', dir: null, a: 'x', what: 'socket' }];

describe('dispatcher', () => {
  const names = Object.keys(methods) as MethodName[];
  it.each(names)('%s rejects malformed requests without calling its handler', async (name) => {
    const { calls, handlers } = spyHandlers();
    const dispatch = createDispatcher(handlers);
    for (const request of malformed) {
      const envelope = await dispatch(name, request);
      expect(envelope.ok, `${name} accepted ${JSON.stringify(request)}`).toBe(false);
      if (!envelope.ok) expect(envelope.error.code).toBe('invalid_request');
    }
    expect(calls).toEqual([]);
  });

  it('rejects unknown methods', async () => {
    const { handlers } = spyHandlers();
    const envelope = await createDispatcher(handlers)('__proto__', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('passes a valid request to its handler and validates the answer', async () => {
    const { handlers } = spyHandlers();
    handlers['datasets.show'] = vi.fn(async () => { throw new ApiError('not_found', 'no dataset named x'); });
    handlers.info = vi.fn(() => ({ backend: 'wasm', versions: { node: '24', tfjs: '4', app: '0' }, home: '/h', nativeBackendHint: null }) as const);
    const dispatch = createDispatcher(handlers);
    expect(await dispatch('info', {})).toEqual({ ok: true, value: { backend: 'wasm', versions: { node: '24', tfjs: '4', app: '0' }, home: '/h', nativeBackendHint: null } });
    expect(await dispatch('datasets.show', { name: 'x' })).toEqual({ ok: false, error: { code: 'not_found', message: 'no dataset named x' } });
    handlers.info = vi.fn(() => ({ backend: 'quantum' }) as never);
    const bad = await dispatch('info', {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'failed' } });
  });
});

describe('IPC sender check', () => {
  const trusted = new Set([7]);
  it('answers only the top frame of the trusted window showing app files', () => {
    expect(isTrustedSender({ url: 'file:///app/index.html', processId: 7, isTop: true }, trusted, undefined)).toBe(true);
    expect(isTrustedSender({ url: 'file:///app/index.html', processId: 8, isTop: true }, trusted, undefined)).toBe(false);
    expect(isTrustedSender({ url: 'file:///app/index.html', processId: 7, isTop: false }, trusted, undefined)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', processId: 7, isTop: true }, trusted, undefined)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/', processId: 7, isTop: true }, trusted, 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender(null, trusted, undefined)).toBe(false);
  });
});
