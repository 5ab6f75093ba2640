/** Redis became unreachable (told once per outage), or is reachable again. */
export type StoreOutage = { kind: 'down'; reason: string } | { kind: 'up' };
