const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML, in an element or a quoted attribute: everything that came from a server (headers,
 * bodies, paths, messages quoting them) goes through here, so a hostile server cannot add markup.
 * C0 controls other than tab and newlines are dropped (HTML forbids them; they would only garble the page).
 */
export function escapeHtml(text: string | number): string {
  return (
    String(text)
      .replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to drop.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
  );
}

/** An id for an element from any text: letters, digits, `-` and `_` only, with a prefix. */
export const htmlId = (prefix: string, text: string): string => `${prefix}-${text.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

/** Seconds since the run began, for people: `1.234 s`. */
export const secondsText = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
