/** One task waiting for its turn; it leaves the queue once it started, was aborted or was dropped. */
interface Waiter {
  readonly signal: AbortSignal | undefined;
  start(): void;
  reject(error: unknown): void;
}

/** A task in the queue, as the one who queued it holds it. */
export interface Entry<T> {
  /** Settles with the task's result, or rejects when the task is aborted or dropped. */
  readonly result: Promise<T>;
  /** Starts this task now, unless it has left the queue; false when it had. */
  start(): boolean;
}

export interface WaitingQueue {
  readonly size: number;
  /** Queues `task`; the promise settles with the task's result, or rejects when aborted or dropped. */
  add<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T>;
  /** Queues `task` to be started by its entry, whatever its place in the queue. */
  enter<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Entry<T>;
  /** Starts the oldest waiting task; false when none waits. */
  startNext(): boolean;
  /** Rejects every waiting task with `error`. */
  rejectAll(error: Error): void;
}

/**
 * Tasks waiting for their turn, in the order they came, whose signals take them out at once: the
 * queue may hold thousands, and none of them may delay a deadline. Leaving and starting are O(1)
 * (a Set keeps the order). Each signal gets one listener however many of its tasks wait (a run's
 * deadline is shared by every request: a listener each would pass Node's limit of ten and warn).
 */
export function createWaitingQueue(): WaitingQueue {
  const waiting = new Set<Waiter>();
  const watched = new Map<AbortSignal, { waiters: Set<Waiter>; onAbort: () => void }>();

  const watch = (waiter: Waiter, signal: AbortSignal) => {
    let watch = watched.get(signal);
    if (!watch) {
      const waiters = new Set<Waiter>();
      const onAbort = () => {
        for (const each of [...waiters]) if (leave(each)) each.reject(signal.reason);
      };
      watch = { waiters, onAbort };
      watched.set(signal, watch);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    watch.waiters.add(waiter);
  };

  const leave = (waiter: Waiter): boolean => {
    if (!waiting.delete(waiter)) return false;
    const signal = waiter.signal;
    const watch = signal && watched.get(signal);
    if (signal && watch) {
      watch.waiters.delete(waiter);
      if (watch.waiters.size === 0) {
        signal.removeEventListener("abort", watch.onAbort);
        watched.delete(signal);
      }
    }
    return true;
  };

  const enter = <T>(task: () => Promise<T>, signal: AbortSignal | undefined): Entry<T> => {
    if (signal?.aborted) return { result: Promise.reject(signal.reason), start: () => false };
    let waiter: Waiter | undefined;
    const result = new Promise<T>((resolve, reject) => {
      waiter = { signal, start: () => resolve(Promise.resolve().then(task)), reject };
    });
    const queued = waiter as Waiter;
    waiting.add(queued);
    if (signal) watch(queued, signal);
    return {
      result,
      start() {
        if (!leave(queued)) return false;
        queued.start();
        return true;
      },
    };
  };

  return {
    get size() {
      return waiting.size;
    },
    add: (task, signal) => enter(task, signal).result,
    enter,
    startNext(): boolean {
      const first = waiting.values().next();
      if (first.done) return false;
      leave(first.value);
      first.value.start();
      return true;
    },
    rejectAll(error: Error) {
      for (const waiter of [...waiting]) if (leave(waiter)) waiter.reject(error);
    },
  };
}
