// The workbench's event bus: `emit` is typed by event name (a payload that does not fit its
// contract schema, or an unknown name, fails the typecheck: the @ts-expect-error lines below
// would themselves be errors if it did not), `on` hands one event's payloads to its handler, and
// a failing listener does not stop the others.
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/events.ts';
import { events, type EventOf } from '../../../shared/contract.ts';

describe('EventBus', () => {
  it('delivers each event to every listener and to the matching `on` handlers only', () => {
    const bus = new EventBus();
    const all: string[] = [];
    const statuses: EventOf<'run.status'>[] = [];
    bus.subscribe(() => {
      throw new Error('a broken listener');
    });
    bus.subscribe((name) => all.push(name));
    const off = bus.on('run.status', (s) => statuses.push(s));
    bus.emit('run.status', { id: 3, status: 'running', error: null });
    bus.emit('ui.command', { command: 'add-dataset' });
    off();
    bus.emit('run.status', { id: 3, status: 'completed', error: null });
    expect(all).toEqual(['run.status', 'ui.command', 'run.status']);
    expect(statuses).toEqual([{ id: 3, status: 'running', error: null }]);
  });

  it('accepts exactly the payloads the contract describes', () => {
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((name, payload) => seen.push(events[name].safeParse(payload).success));
    bus.emit('run.progress', { id: 1, phase: 'train', epoch: 1, epochs: 2, step: 3, steps: 4, metrics: { loss: 0.5 }, samplesPerSec: 10, etaSec: null });
    // @ts-expect-error a status the contract does not know
    bus.emit('run.status', { id: 1, status: 'exploded', error: null });
    // @ts-expect-error a progress payload on the status event
    bus.emit('run.status', { id: 1, phase: 'train', epoch: 1, epochs: 2, step: 3, steps: 4, metrics: {}, samplesPerSec: 1, etaSec: null });
    // @ts-expect-error an event the contract does not have
    bus.emit('run.exploded', { id: 1 });
    // At run time the bus forwards what it is given: the client's validation is the receiving side's check.
    expect(seen).toEqual([true, false, false]);
  });
});
