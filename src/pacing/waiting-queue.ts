/** One task waiting for a slot; `left` once it started, was aborted or was dropped. */
interface Waiter {
  readonly signal: AbortSignal | undefined;
  left: boolean;
  start(): void;
  reject(error: unknown): void;
}

export interface WaitingQueue {
  readonly size: number;
  /** Queues `task`; the promise settles with the task's result, or rejects when aborted or dropped. */
  add<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T>;
  /** Starts the oldest waiting task; false when none waits. */
  startNext(): boolean;
  /** Rejects every waiting task with `error`. */
  rejectAll(error: Error): void;
}

/**
 * Tasks waiting for a slot, first come first served, whose signals take them out at once: the
 * queue may hold thousands, and none of them may delay a deadline. A task that leaves is only
 * marked, and skipped when its turn comes, so leaving and starting are O(1). Each signal gets one
 * listener however many of its tasks wait (a run's deadline is shared by every request: a
 * listener each would pass Node's limit of ten and warn).
 */
export function createWaitingQueue(): WaitingQueue {
  let queue: Waiter[] = [];
  let head = 0;
  let size = 0;
  const watched = new Map<AbortSignal, { waiting: number; onAbort: () => void }>();

  const watch = (signal: AbortSignal) => {
    let watch = watched.get(signal);
    if (!watch) {
      const onAbort = () => {
        watched.delete(signal);
        for (let i = head; i < queue.length; i++) {
          const waiter = queue[i] as Waiter;
          if (waiter.signal === signal && leave(waiter)) waiter.reject(signal.reason);
        }
      };
      watch = { waiting: 0, onAbort };
      watched.set(signal, watch);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    watch.waiting++;
  };

  const leave = (waiter: Waiter): boolean => {
    if (waiter.left) return false;
    waiter.left = true;
    size--;
    const watch = waiter.signal && watched.get(waiter.signal);
    if (watch && --watch.waiting === 0) {
      waiter.signal?.removeEventListener("abort", watch.onAbort);
      watched.delete(waiter.signal as AbortSignal);
    }
    return true;
  };

  return {
    get size() {
      return size;
    },
    add<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        queue.push({
          signal,
          left: false,
          start: () => resolve(Promise.resolve().then(task)),
          reject,
        });
        size++;
        if (signal) watch(signal);
      });
    },
    startNext(): boolean {
      while (head < queue.length) {
        const waiter = queue[head++] as Waiter;
        if (!leave(waiter)) continue;
        // Drops the passed part now and then, so that the array does not grow without end.
        if (head > 1024 && head * 2 > queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        waiter.start();
        return true;
      }
      return false;
    },
    rejectAll(error: Error) {
      const left = queue.slice(head);
      queue = [];
      head = 0;
      for (const waiter of left) if (leave(waiter)) waiter.reject(error);
    },
  };
}
