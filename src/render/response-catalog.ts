/** One pre-rendered response of one operation. */
export interface RenderedResponse {
  status: number;
  contentType: string | undefined;
  headers: Record<string, string>;
  /** The body as text (JSON already serialized), or null for none. */
  body: string | null;
}

/** One operation of the spec with its responses by status code. */
export interface RenderedOperation {
  method: string;
  path: string;
  operationId?: string;
  /** Header parameters the operation declares (lower-case), e.g. idempotency-key. */
  headerParams: string[];
  /** True when the operation declares a security requirement that is not empty. */
  secured: boolean;
  responses: Record<string, RenderedResponse>;
}

/** The response catalog: what Prism renders for a spec, keyed by the spec text's hash. */
export interface ResponseCatalog {
  specSha256: string;
  renderer: string;
  operations: RenderedOperation[];
}
