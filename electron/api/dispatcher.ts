// The receiving side of the contract, shared by both transports (IPC and serve): it checks the
// method name, validates the request before any handler sees it, validates the handler's answer,
// and wraps everything in an envelope so structured errors survive the wire.
import type { z } from 'zod';
import {
  ApiError,
  describeZodError,
  methods,
  type Envelope,
  type MethodName,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/contract.ts';

export type Handlers = {
  [M in MethodName]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M>;
};

export type Dispatch = (method: unknown, request: unknown) => Promise<Envelope>;

function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

/**
 * `describeError` may turn a handler's error into a clearer one (a damaged store file named, say)
 * before it is wrapped.
 */
export function createDispatcher(handlers: Handlers, describeError: (error: unknown) => unknown = (e) => e): Dispatch {
  return async (method, request) => {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'invalid_request', message: `unknown method: ${String(method).slice(0, 80)}` } };
    }
    const schema: z.ZodType = methods[method].request;
    let parsed: ReturnType<z.ZodType['safeParse']>;
    try {
      parsed = schema.safeParse(request);
    } catch {
      // A request too deep or too strange to validate (stack overflow, a throwing getter).
      return { ok: false, error: { code: 'invalid_request', message: `${method}: the request could not be validated` } };
    }
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid_request', message: `${method}: ${describeZodError(parsed.error)}` } };
    }
    try {
      const handler = handlers[method] as (r: unknown) => unknown;
      const value = await handler(parsed.data);
      const checked = (methods[method].response as z.ZodType).safeParse(value);
      if (!checked.success) {
        return { ok: false, error: { code: 'failed', message: `${method} produced a malformed answer: ${describeZodError(checked.error)}` } };
      }
      return { ok: true, value: checked.data };
    } catch (thrown) {
      const error = describeError(thrown);
      if (error instanceof ApiError) return { ok: false, error: error.toWire() };
      return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
    }
  };
}
