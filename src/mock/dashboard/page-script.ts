import { ACTIONS_SCRIPT } from './page-script-actions.js';
import { DRAW_SCRIPT } from './page-script-draw.js';
import { LIVE_SCRIPT } from './page-script-live.js';
import { POLICY_SCRIPT } from './page-script-policy.js';

/**
 * The dashboard's whole script, in one strict-mode function scope (written without template literals, as
 * it lives in TypeScript template strings). No library, no fetch but the control API's.
 */
export const PAGE_SCRIPT = `(() => {
'use strict';
${LIVE_SCRIPT}
${DRAW_SCRIPT}
${POLICY_SCRIPT}
${ACTIONS_SCRIPT}
})();
`;
