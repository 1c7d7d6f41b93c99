// Pure: which endpoint origin each stored API key was stored for. A key goes only to that origin: when a
// model's endpoint moves (a settings edit, a dev container's remote settings), it is withheld until the user
// confirms the new origin.

/** `https://host:port` of an endpoint; the endpoint itself when it is not a URL (settings report that). */
export function endpointOrigin(endpoint: string): string {
  try {
    return new URL(endpoint.trim()).origin;
  } catch {
    return endpoint.trim();
  }
}

export type OriginCheck = { ok: true } | { ok: false; bound: string; origin: string };

export class StoredKeyOrigins {
  private readonly map: Map<string, string>;

  constructor(initial: Record<string, string> = {}) {
    this.map = new Map(Object.entries(initial).filter(([, v]) => typeof v === 'string'));
  }

  bound(modelId: string): string | undefined {
    return this.map.get(modelId);
  }

  bind(modelId: string, origin: string): void {
    this.map.set(modelId, origin);
  }

  forget(modelId: string): void {
    this.map.delete(modelId);
  }

  /** Whether a model's stored key may be sent to its endpoint of now. An unbound key is bound on first use. */
  check(modelId: string, endpoint: string): OriginCheck {
    const origin = endpointOrigin(endpoint);
    const bound = this.map.get(modelId);
    if (bound === undefined) {
      this.map.set(modelId, origin);
      return { ok: true };
    }
    return bound === origin ? { ok: true } : { ok: false, bound, origin };
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.map);
  }
}
