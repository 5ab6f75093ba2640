/** A scripted fault: the next `remaining` matching requests get a 429, a 500, or added latency. */
export interface Fault {
  id: number;
  kind: 'status-429' | 'status-500' | 'latency';
  method?: string;
  /** A path prefix the request's canonical path must start with. */
  path?: string;
  remaining: number;
  latencyMs: number;
}

/** The fault queue of the control API: consumed in order, like nock's interceptors. */
export function createFaultQueue() {
  let faults: Fault[] = [];
  let nextId = 1;
  return {
    add(input: Omit<Fault, 'id'>): Fault {
      const fault = { ...input, id: nextId++ };
      faults.push(fault);
      return fault;
    },
    /** Takes one use of the first fault that matches, if any. */
    take(method: string, path: string): Fault | undefined {
      if (faults.length === 0) return undefined;
      const fault = faults.find((f) => (!f.method || f.method === method) && (!f.path || path.startsWith(f.path)));
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault);
      return fault;
    },
    list: (): Fault[] => faults.map((f) => ({ ...f })),
    clear: () => {
      faults = [];
    },
  };
}
export type FaultQueue = ReturnType<typeof createFaultQueue>;
