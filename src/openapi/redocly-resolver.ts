import { BaseResolver, ResolveError, Source } from '@redocly/openapi-core';
import type { ResolvedSpec } from './spec-refs.js';

/**
 * A Redocly resolver that reads nothing itself: it serves the documents resolveSpecRefs has already
 * read under the spec's ref policy, and refuses every other path or URL (Redocly's own resolver reads
 * any file and fetches any URL a `$ref` or `externalValue` names).
 */
export class PolicyRefResolver extends BaseResolver {
  constructor(private readonly resolved: ResolvedSpec) {
    super();
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    const text = this.resolved.textAt(absoluteRef);
    if (text === undefined) throw new ResolveError(new Error(`${absoluteRef} was not read: the spec's reference policy did not allow it`));
    return new Source(absoluteRef, text);
  }
}
